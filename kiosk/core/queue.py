"""The live queue: rebuilt from periods, and who a counter calls next.

A ticket's place in line is its issue time (a transfer keeps it), moved earlier
by the priority head start, or ahead of everyone under the strict rule.

>>> from kiosk.core.model import Ticket, Period, State, Action, LiveTicket
>>> t = Ticket(1, "2026-11-24", "A001", "A", 1, False, 100.0)
>>> p = Period(1, 0, State.WAITING, Action.ISSUE, 100.0, None, "CASH")
>>> choose_next([LiveTicket(t, p)], counter=1, services=frozenset({"CASH"}),
...             rule="strict", head_start_s=0).ticket.number
'A001'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kiosk.core.model import LiveTicket, State


def queue_key(live: LiveTicket, rule: str, head_start_s: float) -> tuple[float, ...]:
    """Sort key of a waiting ticket: smaller is called earlier."""
    t = live.ticket
    if rule == "strict":
        return (0 if t.priority else 1, t.issued_at, t.id)
    start = t.issued_at - (head_start_s if t.priority else 0.0)
    return (start, t.id)


def eligible(live: LiveTicket, counter: int, services: frozenset[str]) -> bool:
    """May this counter call this waiting ticket? (its service, or transferred to it)"""
    if live.state is not State.WAITING:
        return False
    if live.period.counter is not None:  # transferred to one counter
        return live.period.counter == counter
    return live.service in services


def choose_next(
    tickets: Iterable[LiveTicket],
    counter: int,
    services: frozenset[str],
    rule: str,
    head_start_s: float,
    prefer: Sequence[str] = (),
) -> LiveTicket | None:
    """The waiting ticket ``counter`` should call now, or None if none is for it.

    A counter's preferred services (a senior officer's complaints) come first
    when any of them are waiting; the calling order applies within each group.
    """
    candidates = [t for t in tickets if eligible(t, counter, services)]
    preferred = [t for t in candidates if t.service in prefer]
    pool = preferred or candidates
    if not pool:
        return None
    return min(pool, key=lambda t: queue_key(t, rule, head_start_s))


def waiting_order(tickets: Iterable[LiveTicket], rule: str, head_start_s: float) -> list[LiveTicket]:
    """All waiting tickets in the order they would be called (ignoring counters)."""
    waiting = [t for t in tickets if t.state is State.WAITING]
    return sorted(waiting, key=lambda t: queue_key(t, rule, head_start_s))


def ahead_of(tickets: Sequence[LiveTicket], target: LiveTicket, rule: str, head_start_s: float) -> int:
    """How many waiting tickets of the same service would be called before ``target``."""
    key = queue_key(target, rule, head_start_s)
    return sum(
        1
        for t in tickets
        if t.state is State.WAITING
        and t.ticket.id != target.ticket.id
        and t.service == target.service
        and queue_key(t, rule, head_start_s) < key
    )
