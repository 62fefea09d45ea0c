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

import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.core.estimate import Situation, WaitHistory
from kiosk.core.model import WaitEstimate
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


# Fold each ticket's periods in one grouped pass, then read its last period by key.
_VISITS_SQL = """
SELECT t.id, t.day, COALESCE(k.source_ticket, t.number), last.service, t.priority, t.issued_at,
       a.called_at, a.started_at, a.ended_at, a.left_at, last.state, last.staff, f.rating
FROM (SELECT p.ticket_id,
             MIN(CASE WHEN p.state = 'called' THEN p.started_at END) AS called_at,
             MIN(CASE WHEN p.state = 'serving' THEN p.started_at END) AS started_at,
             MAX(CASE WHEN p.state = 'serving' THEN p.ended_at END) AS ended_at,
             MAX(CASE WHEN p.state = 'walked_away' THEN p.started_at END) AS left_at,
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


def visit_rows(store: SqlStore, day_from: str | None, day_to: str | None) -> list[tuple]:
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
    with store.transaction(lock=True):
        known = {
            (r[0], r[1]) for r in store.all("SELECT source_ticket, arrived_local FROM import_key")
        }
        days = sorted({v.day for v in new})
        native: dict[tuple[str, str], float] = {}
        next_seq: dict[tuple[str, str], int] = defaultdict(int)
        for day in days:
            for number, issued_at in store.all("SELECT number, issued_at FROM ticket WHERE day = ?", (day,)):
                native[(day, number)] = issued_at
            for prefix, top in store.all("SELECT prefix, MAX(seq) FROM ticket WHERE day = ? GROUP BY prefix", (day,)):
                next_seq[(day, prefix)] = top
        periods: list[tuple] = []
        keys: list[tuple] = []
        tickets: list[tuple] = []
        # SQLite: ids handed out here, under the write lock, so that tickets go in with one
        # executemany; PostgreSQL's identity column hands them out itself, one row at a time
        next_id = None
        if store.engine_name == "sqlite":
            next_id = (store.one("SELECT MAX(id) FROM ticket")[0] or 0) + 1
        for v in sorted(new, key=lambda v: v.arrived_at):  # stable: ties keep the file's order
            issued = native.get((v.day, v.source_ticket))
            if (v.source_ticket, v.arrived_local) in known or (issued is not None and abs(issued - v.arrived_at) < 1.0):
                present += 1
                continue
            next_seq[(v.day, v.prefix)] += 1
            seq = next_seq[(v.day, v.prefix)]
            number = f"{v.prefix}{seq:03d}"
            if next_id is not None:
                ticket_id, next_id = next_id, next_id + 1
                tickets.append((ticket_id, v.day, number, v.prefix, seq, int(v.priority), v.arrived_at))
            else:
                ticket_id = store.one(
                    "INSERT INTO ticket (day, number, prefix, seq, priority, issued_at, language)"
                    " VALUES (?, ?, ?, ?, ?, ?, NULL) RETURNING id",
                    (v.day, number, v.prefix, seq, int(v.priority), v.arrived_at),
                )[0]
            for seq_p, state, action, started, ended, staff in _periods_of(v):
                periods.append((ticket_id, seq_p, state, action, started, ended, v.service, None, staff))
            keys.append((v.source_ticket, v.arrived_local, ticket_id))
            known.add((v.source_ticket, v.arrived_local))
            added += 1
        store.run_many("INSERT INTO ticket (id, day, number, prefix, seq, priority, issued_at, language)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, NULL)", tickets)
        store.run_many(
            "INSERT INTO period (ticket_id, seq, state, action, started_at, ended_at, service, counter, staff)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", periods)
        store.run_many("INSERT INTO import_key (source_ticket, arrived_local, ticket_id) VALUES (?, ?, ?)", keys)
    return added, present


# -- the wait estimate's own record ---------------------------------------------------------------

LEARN_FROM_LAST = 5000  # a process that starts late learns from this many past first calls


def record_estimate(store: SqlStore, ticket_id: int, situation: Situation, shown: WaitEstimate,
                    classic: WaitEstimate) -> None:
    """Keep the estimate shown at check-in, its situation and the classic one beside it
    (inside the issuing transaction)."""
    store.run(
        "INSERT INTO wait_estimate (ticket_id, ahead, free, priority, point_s, low_s, high_s,"
        " classic_s, classic_low_s, classic_high_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ticket_id, situation.ahead, situation.free, int(situation.priority), shown.point_s, shown.low_s,
         shown.high_s, classic.point_s, classic.low_s, classic.high_s),
    )


@dataclass(frozen=True, slots=True)
class ShownEstimate:
    """The estimate a ticket was shown, the classic one beside it, and its actual wait (None: not called)."""

    ticket_id: int
    shown: WaitEstimate
    classic: WaitEstimate
    actual_wait_s: float | None


def shown_estimates(store: SqlStore) -> dict[int, ShownEstimate]:
    """Every recorded estimate by ticket id, with the wait until the ticket's first call."""
    with store.transaction(lock=False):
        first_call = dict(store.all(
            "SELECT ticket_id, MIN(started_at) FROM period WHERE state = 'called' GROUP BY ticket_id"
        ))
        rows = store.all(
            "SELECT e.ticket_id, e.point_s, e.low_s, e.high_s, e.classic_s, e.classic_low_s, e.classic_high_s,"
            " t.issued_at FROM wait_estimate e JOIN ticket t ON t.id = e.ticket_id"
        )
    return {
        r[0]: ShownEstimate(r[0], WaitEstimate(r[1], r[2], r[3]), WaitEstimate(r[4], r[5], r[6]),
                            first_call[r[0]] - r[7] if r[0] in first_call else None)
        for r in rows
    }


_FIRST_CALLS_SQL = """
SELECT c.ticket_id, c.started_at, c.started_at - t.issued_at, e.ahead, e.free, e.priority, e.low_s, e.high_s
FROM period c
JOIN ticket t ON t.id = c.ticket_id
JOIN wait_estimate e ON e.ticket_id = c.ticket_id
WHERE c.state = 'called' AND c.action = 'call' AND c.started_at >= ?
  AND NOT EXISTS (SELECT 1 FROM period b WHERE b.ticket_id = c.ticket_id AND b.seq < c.seq AND b.state = 'called')
ORDER BY c.started_at DESC, c.ticket_id DESC
LIMIT ?
"""


class _Learner:
    """A process's WaitHistory, fed from the store's record of first calls (any kiosk's)."""

    def __init__(self) -> None:
        self.history = WaitHistory()
        self.since = float("-inf")  # first calls at or after this moment are not learned yet
        self.seen_at_since: set[int] = set()  # tickets learned whose call was exactly at ``since``

    def refresh(self, store: SqlStore) -> WaitHistory:
        rows = store.all(_FIRST_CALLS_SQL, (self.since, LEARN_FROM_LAST))
        for ticket_id, called_at, wait_s, ahead, free, priority, low_s, high_s in reversed(rows):
            if called_at == self.since and ticket_id in self.seen_at_since:
                continue
            self.history.observe(Situation(ahead, free, bool(priority)), wait_s, low_s, high_s)
            if called_at > self.since:
                self.since, self.seen_at_since = called_at, set()
            self.seen_at_since.add(ticket_id)
        return self.history


_LEARNERS: "weakref.WeakKeyDictionary[SqlStore, _Learner]" = weakref.WeakKeyDictionary()


def learned_waits(store: SqlStore) -> WaitHistory:
    """The store's wait history, brought up to date with the first calls logged since last asked.

    Call it inside a transaction (the engine's issuing one): it reads, never writes.
    """
    learner = _LEARNERS.get(store)
    if learner is None:
        learner = _LEARNERS[store] = _Learner()
    return learner.refresh(store)
