"""The wait estimate's own record: what each ticket was shown, and what the estimate learns from.

The engine records the estimate shown at check-in (and the classic one, for the replay's
comparison) in the same transaction as the ticket; a process that starts learns the
branch's waits from the log::

    record_estimate(store, ticket_id, situation, shown, classic)
    history = learned_waits(store)       # kiosk.core.estimate.WaitHistory
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from kiosk.core.estimate import Situation, WaitHistory
from kiosk.core.model import WaitEstimate
from kiosk.store.sql import Row, SqlStore

LEARN_FROM_LAST = 5000  # a process that starts late learns from this many past first calls
# a private store's (SqlStore.private_memo) record of what each ticket not called yet was shown:
# by ticket id, the columns of wait_estimate that _FIRST_CALLS_SQL reads
_SHOWN_WITH_MEMO = "estimate_log.shown_with"


def record_estimate(
    store: SqlStore, ticket_id: int, situation: Situation, shown: WaitEstimate, classic: WaitEstimate
) -> None:
    """Keep the estimate shown at check-in, its situation and the classic one beside it
    (inside the issuing transaction)."""
    shown_with = store.private_memo(_SHOWN_WITH_MEMO)
    if shown_with is not None:
        shown_with[ticket_id] = (situation.ahead, situation.free, int(situation.priority), shown.low_s, shown.high_s)
    store.run(
        "INSERT INTO wait_estimate (ticket_id, ahead, free, priority, point_s, low_s, high_s,"
        " classic_s, classic_low_s, classic_high_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ticket_id,
            situation.ahead,
            situation.free,
            int(situation.priority),
            shown.point_s,
            shown.low_s,
            shown.high_s,
            classic.point_s,
            classic.low_s,
            classic.high_s,
        ),
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
        first_call: dict[int, float] = dict(
            store.all("SELECT ticket_id, MIN(started_at) FROM period WHERE state = 'called' GROUP BY ticket_id")
        )
        rows = store.all(
            "SELECT e.ticket_id, e.point_s, e.low_s, e.high_s, e.classic_s, e.classic_low_s, e.classic_high_s,"
            " t.issued_at FROM wait_estimate e JOIN ticket t ON t.id = e.ticket_id"
        )
    return {
        r[0]: ShownEstimate(
            r[0],
            WaitEstimate(r[1], r[2], r[3]),
            WaitEstimate(r[4], r[5], r[6]),
            first_call[r[0]] - r[7] if r[0] in first_call else None,
        )
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
        self.call_mark: int | None = None  # the store's call mark when it was last read (a private store)

    def refresh(self, store: SqlStore) -> WaitHistory:
        mark = store.call_mark()
        if mark is not None and mark == self.call_mark:
            return self.history  # no call written since the last look: no first call to learn
        first_calls = store.take_first_calls()
        rows = self._kept_first_calls(store, first_calls) if first_calls is not None else None
        if rows is None:
            rows = store.all(_FIRST_CALLS_SQL, (self.since, LEARN_FROM_LAST))[::-1]
        self.call_mark = mark
        for ticket_id, called_at, wait_s, ahead, free, priority, low_s, high_s in rows:
            if called_at == self.since and ticket_id in self.seen_at_since:
                continue
            self.history.observe(Situation(ahead, free, bool(priority)), wait_s, low_s, high_s)
            if called_at > self.since:
                self.since, self.seen_at_since = called_at, set()
            self.seen_at_since.add(ticket_id)
        return self.history

    def _kept_first_calls(self, store: SqlStore, first_calls: list[tuple[int, float, float]]) -> list[Row] | None:
        """The rows _FIRST_CALLS_SQL would give, oldest first, from a private store's first calls
        written since the last refresh and the estimates it recorded; None: read the log (a ticket
        whose estimate it does not hold, or more calls than the query takes)."""
        shown_with = store.private_memo(_SHOWN_WITH_MEMO)
        if shown_with is None or len(first_calls) > LEARN_FROM_LAST:
            return None
        rows = []
        for ticket_id, called_at, wait_s in first_calls:
            shown = shown_with.pop(ticket_id, None)  # a ticket has one first call
            if shown is None:
                return None  # issued before a rollback or an import, or its estimate never recorded
            if called_at >= self.since:  # what the query asks for
                rows.append((ticket_id, called_at, wait_s, *shown))
        rows.sort(key=lambda row: (row[1], row[0]))  # the query's order, by call time, then ticket
        return rows


_LEARNERS: "weakref.WeakKeyDictionary[SqlStore, _Learner]" = weakref.WeakKeyDictionary()


def learned_waits(store: SqlStore) -> WaitHistory:
    """The store's wait history, brought up to date with the first calls logged since last asked.

    Call it inside a transaction (the engine's issuing one): it reads, never writes.
    """
    learner = _LEARNERS.get(store)
    if learner is None:
        learner = _LEARNERS[store] = _Learner()
    return learner.refresh(store)
