"""A clerk's two missing taps (issue 14), in the engine on SQLite and PostgreSQL: call one
particular waiting ticket (recorded as a call, under the lifecycle's rules), and print a ticket
again (recorded in the log, the same number, claimed by exactly one kiosk)."""

from __future__ import annotations

import pytest

from kiosk.core.model import Action, State
from kiosk.engine import Engine
from kiosk.errors import LifecycleError, UsageError
from kiosk.store import open_store, reprints


def test_calling_a_particular_ticket_is_recorded_as_a_call(engine, clock):
    for _ in range(3):
        engine.issue("CASH")
    clock.advance(30)
    called = engine.call_ticket("a003", counter=1, staff="Saraa")  # the customer shows A003
    assert (called.ticket.number, called.state, called.period.action) == ("A003", State.CALLED, Action.CALL)
    assert (called.period.counter, called.period.staff, called.since) == (1, "Saraa", clock.now)
    # the others still wait, in their order: call_next goes on with A001
    clock.advance(10)
    assert engine.call_next(counter=2).ticket.number == "A001"
    day = engine.day_of(clock.now)
    calls = engine.store.calls(day, 10)
    assert [(c.number, c.counter) for c in calls] == [("A001", 2), ("A003", 1)]


def test_calling_a_particular_ticket_keeps_the_lifecycle_rules(engine, clock):
    engine.issue("CASH")
    engine.issue("ACCOUNTS")
    engine.call_ticket("A001", counter=1)
    with pytest.raises(LifecycleError, match="cannot call a ticket that has been called"):
        engine.call_ticket("A001", counter=2)  # already called elsewhere
    with pytest.raises(LifecycleError, match="B001 is for ACCOUNTS, which counter 1 does not serve"):
        engine.call_ticket("B001", counter=1)
    engine.act("A001", Action.START, counter=1)
    engine.act("A001", Action.FINISH, counter=1)
    with pytest.raises(LifecycleError, match="cannot call a ticket that was already served"):
        engine.call_ticket("A001", counter=1)
    with pytest.raises(UsageError, match="no ticket Z999 today"):
        engine.call_ticket("Z999", counter=1)
    with pytest.raises(UsageError, match="unknown counter"):
        engine.call_ticket("B001", counter=99)
    live = {t.ticket.number: t.state for t in engine.snapshot().tickets}
    assert live == {"B001": State.WAITING}  # nothing the refusals touched moved


def test_a_reprint_is_the_same_ticket_recorded_in_the_log(engine, clock):
    issued = engine.issue("CASH", language="ru")
    engine.issue("CASH")
    clock.advance(60)
    again = engine.reprint("A001")  # at the kiosk: printed at once
    assert again.issued.ticket == issued.ticket  # same number, same issue time
    assert again.issued.status_token == issued.status_token  # the same phone page
    assert again.counter is None and again.issued.ahead == 0
    clock.advance(5)
    engine.reprint("A002", counter=2)  # asked at a counter: waits for the kiosk's printer
    day = engine.day_of(clock.now)
    logged = [(r.number, r.counter, r.printed_at is not None) for r in reprints.of_day(engine.store, day)]
    assert logged == [("A001", None, True), ("A002", 2, False)]
    assert [t.ticket.number for t in engine.snapshot().tickets] == ["A001", "A002"]  # no new number
    with pytest.raises(UsageError, match="no ticket A009 today"):
        engine.reprint("A009")


def test_a_counters_reprint_is_claimed_by_one_kiosk_only(cfg, db_url, engine, clock):
    engine.issue("CASH")
    engine.issue("CASH")
    engine.reprint("A002", counter=3)
    kiosks = [Engine(cfg, open_store(db_url), clock=clock) for _ in range(2)]
    try:
        first, second = (k.pending_reprints() for k in kiosks)
        assert [(r.issued.ticket.number, r.counter, r.issued.ahead) for r in first] == [("A002", 3, 1)]
        assert second == []
        assert kiosks[0].pending_reprints() == []  # printed once
    finally:
        for k in kiosks:
            k.store.close()
