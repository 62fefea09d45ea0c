"""The store's history as visits: one row per ticket, for reports, export and import.

A ticket's periods fold into the few moments the queue-system log format uses
(arrival, first call, service start and end, walk-away, final state). The fold
happens in SQL so that a year of a busy branch is read in one pass.

>>> from kiosk.store import open_store
>>> store = open_store("sqlite:///:memory:")
>>> visits(store, None, None)
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.store.sql import SqlStore

OUTCOME_OF_STATE = {"done": "served", "walked_away": "abandoned", "no_show": "no_show"}


@dataclass(frozen=True, slots=True)
class Visit:
    """One ticket's visit. Times are POSIX seconds; ``outcome`` None: not finished yet."""

    ticket_id: int
    day: str  # branch-local date of the ticket
    number: str  # the number printed on it, or the source's id for an imported ticket
    service: str  # the service it ended in (after any transfer)
    priority: bool
    arrived_at: float
    called_at: float | None  # first call
    service_started_at: float | None  # first start of service
    service_ended_at: float | None  # end of the last service period
    left_at: float | None  # walked away
    outcome: str | None  # served | abandoned | no_show | None
    staff: str | None  # who served (or called) it last
    rating: int | None = None

    @property
    def wait_s(self) -> float | None:
        """Waiting time of a served ticket: first call minus arrival."""
        if self.outcome != "served" or self.called_at is None:
            return None
        return self.called_at - self.arrived_at

    @property
    def service_s(self) -> float | None:
        if self.outcome != "served" or self.service_started_at is None or self.service_ended_at is None:
            return None
        return self.service_ended_at - self.service_started_at


_VISITS_SQL = """
SELECT t.id, t.day, COALESCE(k.source_ticket, t.number), last.service, t.priority, t.issued_at,
       MIN(CASE WHEN p.state = 'called' THEN p.started_at END),
       MIN(CASE WHEN p.state = 'serving' THEN p.started_at END),
       MAX(CASE WHEN p.state = 'serving' THEN p.ended_at END),
       MAX(CASE WHEN p.state = 'walked_away' THEN p.started_at END),
       last.state, last.staff, f.rating
FROM ticket t
JOIN period p ON p.ticket_id = t.id
JOIN period last ON last.ticket_id = t.id
     AND last.seq = (SELECT MAX(seq) FROM period m WHERE m.ticket_id = t.id)
LEFT JOIN import_key k ON k.ticket_id = t.id
LEFT JOIN feedback f ON f.ticket_id = t.id
WHERE t.day >= ? AND t.day <= ?
GROUP BY t.id, t.day, k.source_ticket, t.number, last.service, t.priority, t.issued_at,
         last.state, last.staff, f.rating
ORDER BY t.issued_at, t.id
"""


def _day_bounds(day_from: str | None, day_to: str | None) -> tuple[str, str]:
    return day_from or "0000-01-01", day_to or "9999-12-31"


def visits(store: SqlStore, day_from: str | None, day_to: str | None) -> list[Visit]:
    """Every ticket whose branch-local day is within [day_from, day_to] (None: open end)."""
    with store._transaction(lock=False):
        rows = store._all(_VISITS_SQL, _day_bounds(day_from, day_to))
    return [
        Visit(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8], r[9],
              OUTCOME_OF_STATE.get(r[10]), r[11], r[12])
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class Breach:
    """One alert from the alert log (raised and, when it was, cleared)."""

    kind: str
    subject: str
    level: str
    value: float
    limit: float
    raised_at: float
    cleared_at: float | None


def alerts(store: SqlStore, since: float, until: float, levels: Iterable[str] = ("breach",)) -> list[Breach]:
    """Alerts raised in [since, until) at the given levels, oldest first."""
    wanted = tuple(levels)
    marks = ", ".join("?" for _ in wanted)
    with store._transaction(lock=False):
        rows = store._all(
            "SELECT kind, subject, level, value, limit_value, raised_at, cleared_at FROM alert_log"
            f" WHERE raised_at >= ? AND raised_at < ? AND level IN ({marks}) ORDER BY raised_at",
            (since, until, *wanted),
        )
    return [Breach(*r) for r in rows]


def observations(store: SqlStore, since: float, until: float) -> list[tuple[float, int]]:
    """The camera's (at, people) counts in [since, until), oldest first."""
    with store._transaction(lock=False):
        rows = store._all(
            "SELECT at, people FROM queue_observation WHERE at >= ? AND at < ? ORDER BY at", (since, until)
        )
    return [(r[0], r[1]) for r in rows]


# -- bulk import --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewVisit:
    """A finished visit to write, as an imported log row gives it (POSIX times)."""

    source_ticket: str  # the source system's ticket id
    arrived_local: str  # its arrival as written in the file (with the id, the idempotency key)
    day: str
    prefix: str
    service: str
    priority: bool
    arrived_at: float
    called_at: float | None
    service_started_at: float | None
    service_ended_at: float | None
    left_at: float | None
    outcome: str
    staff: str | None


def _periods_of(v: NewVisit) -> list[tuple]:
    """(seq, state, action, started, ended, staff) rows that tell this visit's story."""
    if v.outcome == "served":
        return [
            (0, "waiting", "issue", v.arrived_at, v.called_at, None),
            (1, "called", "call", v.called_at, v.service_started_at, v.staff),
            (2, "serving", "start", v.service_started_at, v.service_ended_at, v.staff),
            (3, "done", "finish", v.service_ended_at, v.service_ended_at, v.staff),
        ]
    if v.outcome == "abandoned":
        return [
            (0, "waiting", "issue", v.arrived_at, v.left_at, None),
            (1, "walked_away", "walk_away", v.left_at, v.left_at, None),
        ]
    # a no-show: called, never came; the log does not say when it was marked, so at the call
    return [
        (0, "waiting", "issue", v.arrived_at, v.called_at, None),
        (1, "called", "call", v.called_at, v.called_at, v.staff),
        (2, "no_show", "no_show", v.called_at, v.called_at, v.staff),
    ]


def import_visits(store: SqlStore, new: list[NewVisit]) -> tuple[int, int]:
    """Write the visits not yet in the store, all in one transaction; (added, already_there).

    A visit is already there when the same source id and arrival were imported
    before, or when it is this store's own ticket (same day, number and arrival
    to the second: a file exported from here).
    """
    added = present = 0
    with store._transaction(lock=True):
        known = {
            (r[0], r[1]) for r in store._all("SELECT source_ticket, arrived_local FROM import_key")
        }
        days = sorted({v.day for v in new})
        native: dict[tuple[str, str], float] = {}
        next_seq: dict[tuple[str, str], int] = defaultdict(int)
        for day in days:
            for number, issued_at in store._all("SELECT number, issued_at FROM ticket WHERE day = ?", (day,)):
                native[(day, number)] = issued_at
            for prefix, top in store._all("SELECT prefix, MAX(seq) FROM ticket WHERE day = ? GROUP BY prefix", (day,)):
                next_seq[(day, prefix)] = top
        periods: list[tuple] = []
        keys: list[tuple] = []
        for v in sorted(new, key=lambda v: (v.arrived_at, v.source_ticket)):
            issued = native.get((v.day, v.source_ticket))
            if (v.source_ticket, v.arrived_local) in known or (issued is not None and abs(issued - v.arrived_at) < 1.0):
                present += 1
                continue
            next_seq[(v.day, v.prefix)] += 1
            seq = next_seq[(v.day, v.prefix)]
            number = f"{v.prefix}{seq:03d}"
            row = store._one(
                "INSERT INTO ticket (day, number, prefix, seq, priority, issued_at, language)"
                " VALUES (?, ?, ?, ?, ?, ?, NULL) RETURNING id",
                (v.day, number, v.prefix, seq, int(v.priority), v.arrived_at),
            )
            ticket_id = row[0]
            for seq_p, state, action, started, ended, staff in _periods_of(v):
                periods.append((ticket_id, seq_p, state, action, started, ended, v.service, None, staff))
            keys.append((v.source_ticket, v.arrived_local, ticket_id))
            known.add((v.source_ticket, v.arrived_local))
            added += 1
        _many(store,
              "INSERT INTO period (ticket_id, seq, state, action, started_at, ended_at, service, counter, staff)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", periods)
        _many(store, "INSERT INTO import_key (source_ticket, arrived_local, ticket_id) VALUES (?, ?, ?)", keys)
    return added, present


def _many(store: SqlStore, sql: str, rows: list[tuple]) -> None:
    """executemany through the store's dialect; driver errors become StoreErrors."""
    if not rows:
        return
    from kiosk.store.sql import _translate

    try:
        store._conn.cursor().executemany(store._dialect.sql(sql), rows)
    except Exception as exc:
        raise _translate(exc, store.url) from None
