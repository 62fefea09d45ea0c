"""Write the finished visits of an imported log in one transaction (atomic, idempotent).

Each visit becomes a ticket with its periods, numbered after the day's own tickets;
a visit already imported (its source ticket and arrival) or already issued here is
counted as present and not written again::

    added, present = import_visits(store, [NewVisit(...), ...])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kiosk.store.sql import Params, SqlStore


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


# (seq, state, action, started, ended, staff) of one period of a visit, as the period table takes them
_PeriodRow = tuple[int, str, str, float | None, float | None, str | None]


def _periods_of(v: NewVisit) -> list[_PeriodRow]:
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
    if v.outcome == "closed_at_end_of_day":
        return _closed_periods(v)
    # a no-show: called, never came; the log does not say when it was marked, so at the call
    return [
        (0, "waiting", "issue", v.arrived_at, v.called_at, None),
        (1, "called", "call", v.called_at, v.called_at, v.staff),
        (2, "no_show", "no_show", v.called_at, v.called_at, v.staff),
    ]


def _closed_periods(v: NewVisit) -> list[_PeriodRow]:
    """Waiting, then called and serving as far as it got, each until the next; closed at ``left_at``."""
    steps: list[tuple[str, str, float | None, str | None]] = [("waiting", "issue", v.arrived_at, None)]
    if v.called_at is not None:
        steps.append(("called", "call", v.called_at, v.staff))
    if v.service_started_at is not None:
        steps.append(("serving", "start", v.service_started_at, v.staff))
    steps.append(("closed_at_end_of_day", "close_day", v.left_at, v.staff))
    ends = [step[2] for step in steps[1:]] + [v.left_at]
    return [
        (seq, state, action, at, end, staff) for seq, ((state, action, at, staff), end) in enumerate(zip(steps, ends))
    ]


def import_visits(store: SqlStore, new: list[NewVisit]) -> tuple[int, int]:
    """Write the visits not yet in the store, all in one transaction; (added, already_there).

    A visit is already there when the same source id and arrival were imported
    before, or when it is this store's own ticket (same day, number and arrival
    to the second: a file exported from here).
    """
    added = present = 0
    with store.transaction(lock=True):
        known = {(r[0], r[1]) for r in store.all("SELECT source_ticket, arrived_local FROM import_key")}
        days = sorted({v.day for v in new})
        native: dict[tuple[str, str], float] = {}
        next_seq: dict[tuple[str, str], int] = defaultdict(int)
        for day in days:
            for number, issued_at in store.all("SELECT number, issued_at FROM ticket WHERE day = ?", (day,)):
                native[(day, number)] = issued_at
            for prefix, top in store.all("SELECT prefix, MAX(seq) FROM ticket WHERE day = ? GROUP BY prefix", (day,)):
                next_seq[(day, prefix)] = top
        periods: list[Params] = []
        keys: list[Params] = []
        tickets: list[Params] = []
        # SQLite: ids handed out here, under the write lock, so that tickets go in with one
        # executemany; PostgreSQL's identity column hands them out itself, one row at a time
        next_id = None
        if store.engine_name == "sqlite":
            next_id = (store.value("SELECT MAX(id) FROM ticket") or 0) + 1
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
                ticket_id = store.insert(
                    "INSERT INTO ticket (day, number, prefix, seq, priority, issued_at, language)"
                    " VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    (v.day, number, v.prefix, seq, int(v.priority), v.arrived_at),
                )
            for seq_p, state, action, started, ended, staff in _periods_of(v):
                periods.append((ticket_id, seq_p, state, action, started, ended, v.service, None, staff))
            keys.append((v.source_ticket, v.arrived_local, ticket_id))
            known.add((v.source_ticket, v.arrived_local))
            added += 1
        store.run_many(
            "INSERT INTO ticket (id, day, number, prefix, seq, priority, issued_at, language)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            tickets,
        )
        store.run_many(
            "INSERT INTO period (ticket_id, seq, state, action, started_at, ended_at, service, counter, staff)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            periods,
        )
        store.run_many("INSERT INTO import_key (source_ticket, arrived_local, ticket_id) VALUES (?, ?, ?)", keys)
    return added, present
