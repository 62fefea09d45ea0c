"""The clerks' states in the log: one ``staff_period`` row per state of a counter's clerk.

The engine writes them inside its own transactions (``open_period``, ``begin``); the report
reads a range of them with the tickets' waiting periods beside (``staff_periods``,
``waiting_spans``)::

    with store.transaction(lock=True):
        begin(store, counter=1, staff="Saraa", state=StaffState.SIGNED_IN, reason=None, at=now)
    staff_periods(store, since, until)   # [StaffPeriod(counter=1, staff='Saraa', ...)]

>>> from kiosk.store import open_store
>>> store = open_store("sqlite:///:memory:")
>>> with store.transaction(lock=True):
...     _ = begin(store, 1, "Saraa", StaffState.SIGNED_IN, None, 100.0)
...     _ = begin(store, 1, "Saraa", StaffState.ON_BREAK, "lunch", 160.0)
>>> [(p.state.value, p.started_at, p.ended_at, p.reason) for p in staff_periods(store, 0.0, 1000.0)]
[('signed_in', 100.0, 160.0, None), ('on_break', 160.0, None, 'lunch')]
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.staffing import StaffPeriod, StaffState
from kiosk.store.sql import Row, SqlStore

_COLS = "counter, staff, state, started_at, ended_at, reason"


def _period(row: Row) -> StaffPeriod:
    return StaffPeriod(row[0], row[1], StaffState(row[2]), row[3], row[4], row[5])


_OPEN_MEMO = "staff_log.open_period"


def open_period(store: SqlStore, counter: int) -> StaffPeriod | None:
    """The counter's clerk's state now (inside the caller's transaction); None: never signed in.

    A store no other connection can write (a replay's in-memory one) reads it once per counter
    and again after ``begin`` writes it: every ticket action asks, and nothing else writes it there.
    """
    memo = store.private_memo(_OPEN_MEMO)
    if memo is not None and counter in memo:
        known: StaffPeriod | None = memo[counter]
        return known
    row = store.one(f"SELECT {_COLS} FROM staff_period WHERE counter = ? AND ended_at IS NULL", (counter,))
    period = _period(row) if row else None
    if memo is not None:
        memo[counter] = period
    return period


def open_periods(store: SqlStore) -> list[StaffPeriod]:
    """Every counter's current state but signed out, by counter (inside the caller's transaction)."""
    rows = store.all(
        f"SELECT {_COLS} FROM staff_period WHERE ended_at IS NULL AND state <> 'signed_out' ORDER BY counter"
    )
    return [_period(r) for r in rows]


def begin(store: SqlStore, counter: int, staff: str, state: StaffState, reason: str | None, at: float) -> StaffPeriod:
    """End the counter's open period at ``at`` (never before it began) and open ``state``
    (inside the caller's write transaction)."""
    memo = store.private_memo(_OPEN_MEMO)
    if memo is not None:
        memo.pop(counter, None)  # read again after this write
    store.run(
        "UPDATE staff_period SET ended_at = CASE WHEN started_at > ? THEN started_at ELSE ? END"
        " WHERE counter = ? AND ended_at IS NULL",
        (at, at, counter),
    )
    store.run(
        "INSERT INTO staff_period (counter, staff, state, reason, started_at) VALUES (?, ?, ?, ?, ?)",
        (counter, staff, state.value, reason, at),
    )
    return StaffPeriod(counter, staff, state, at, None, reason)


def staff_periods(store: SqlStore, since: float, until: float) -> list[StaffPeriod]:
    """Periods that overlap [since, until), the open ones included, oldest first."""
    with store.transaction(lock=False):
        rows = store.all(
            f"SELECT {_COLS} FROM staff_period WHERE started_at < ? AND (ended_at IS NULL OR ended_at > ?)"
            " ORDER BY started_at, id",
            (until, since),
        )
    return [_period(r) for r in rows]


@dataclass(frozen=True, slots=True)
class WaitSpan:
    """One waiting period of a ticket: for a service, or (after a transfer to a counter) for one counter."""

    started_at: float
    ended_at: float | None
    service: str
    counter: int | None


def waiting_spans(store: SqlStore, since: float, until: float) -> list[WaitSpan]:
    """The tickets' waiting periods that overlap [since, until), oldest first."""
    with store.transaction(lock=False):
        rows = store.all(
            "SELECT started_at, ended_at, service, counter FROM period WHERE state = 'waiting'"
            " AND started_at < ? AND (ended_at IS NULL OR ended_at > ?) ORDER BY started_at",
            (until, since),
        )
    return [WaitSpan(*r) for r in rows]
