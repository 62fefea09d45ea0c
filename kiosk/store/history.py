"""The store's history as visits: one row per ticket, for reports and export (the reads).

The bulk import of a log is :mod:`kiosk.store.bulk_import`; the wait estimate's own
record, :mod:`kiosk.store.estimate_log`.

A ticket's periods fold into the few moments the queue-system log format uses
(arrival, first call, service start and end, walk-away, final state). The fold
happens in SQL so that a year of a busy branch is read in one pass.

>>> from kiosk.store import open_store
>>> store = open_store("sqlite:///:memory:")
>>> visits(store, None, None)
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.store.sql import Row, SqlStore

OUTCOME_OF_STATE = {
    "done": "served",
    "walked_away": "abandoned",
    "no_show": "no_show",
    "closed_at_end_of_day": "closed_at_end_of_day",  # still open when the branch closed
}


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
    left_at: float | None  # walked away, or closed at the end of its day
    outcome: str | None  # served | abandoned | no_show | closed_at_end_of_day | None
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


# Fold each ticket's periods in one grouped pass, then read its last period by key.
_VISITS_SQL = """
SELECT t.id, t.day, COALESCE(k.source_ticket, t.number), last.service, t.priority, t.issued_at,
       a.called_at, a.started_at, a.ended_at, a.left_at, last.state, last.staff, f.rating
FROM (SELECT p.ticket_id,
             MIN(CASE WHEN p.state = 'called' THEN p.started_at END) AS called_at,
             MIN(CASE WHEN p.state = 'serving' THEN p.started_at END) AS started_at,
             MAX(CASE WHEN p.state = 'serving' THEN p.ended_at END) AS ended_at,
             MAX(CASE WHEN p.state IN ('walked_away', 'closed_at_end_of_day') THEN p.started_at END) AS left_at,
             MAX(p.seq) AS last_seq
      FROM ticket r JOIN period p ON p.ticket_id = r.id
      WHERE r.day >= ? AND r.day <= ?
      GROUP BY p.ticket_id) a
JOIN ticket t ON t.id = a.ticket_id
JOIN period last ON last.ticket_id = a.ticket_id AND last.seq = a.last_seq
LEFT JOIN import_key k ON k.ticket_id = t.id
LEFT JOIN feedback f ON f.ticket_id = t.id
"""


def _day_bounds(day_from: str | None, day_to: str | None) -> tuple[str, str]:
    return day_from or "0000-01-01", day_to or "9999-12-31"


# the whole log: one scan of the periods in key order, no day index and no sort
_ALL_VISITS_SQL = _VISITS_SQL.replace(
    "FROM ticket r JOIN period p ON p.ticket_id = r.id\n      WHERE r.day >= ? AND r.day <= ?", "FROM period p"
)


def visit_rows(store: SqlStore, day_from: str | None, day_to: str | None) -> list[Row]:
    """The visits as raw rows in no particular order (fast; the fields of :class:`Visit`,
    with the last period's state in place of the outcome)."""
    with store.transaction(lock=False):
        if day_from is None and day_to is None:
            return store.all(_ALL_VISITS_SQL)
        return store.all(_VISITS_SQL, _day_bounds(day_from, day_to))


def visits(store: SqlStore, day_from: str | None, day_to: str | None) -> list[Visit]:
    """Every ticket whose branch-local day is within [day_from, day_to] (None: open end), by arrival."""
    rows = sorted(visit_rows(store, day_from, day_to), key=lambda r: (r[5], r[0]))
    return [
        Visit(
            r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8], r[9], OUTCOME_OF_STATE.get(r[10]), r[11], r[12]
        )
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
    with store.transaction(lock=False):
        rows = store.all(
            "SELECT kind, subject, level, value, limit_value, raised_at, cleared_at FROM alert_log"
            f" WHERE raised_at >= ? AND raised_at < ? AND level IN ({marks}) ORDER BY raised_at",
            (since, until, *wanted),
        )
    return [Breach(*r) for r in rows]


def observations(store: SqlStore, since: float, until: float) -> list[tuple[float, int]]:
    """The camera's (at, people) counts in [since, until), oldest first."""
    with store.transaction(lock=False):
        rows = store.all(
            "SELECT at, people FROM queue_observation WHERE at >= ? AND at < ? ORDER BY at", (since, until)
        )
    return [(r[0], r[1]) for r in rows]
