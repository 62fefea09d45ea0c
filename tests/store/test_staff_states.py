"""The clerks' states recorded by the engine, on SQLite and PostgreSQL (real databases)."""

from __future__ import annotations

import pytest

from kiosk.core.model import Action
from kiosk.core.staffing import StaffState
from kiosk.engine import Engine, StaffChanged
from kiosk.errors import LifecycleError, UsageError
from kiosk.store import open_store
from kiosk.store.staff_log import staff_periods

S = StaffState


def rows(store) -> list[tuple]:
    """Every staff_period row as stored, read with plain SQL."""
    with store.transaction(lock=False):
        return [
            tuple(r)
            for r in store.all(
                "SELECT counter, staff, state, reason, started_at, ended_at FROM staff_period ORDER BY id"
            )
        ]


def test_a_clerk_s_day_is_one_row_per_state(engine, store, clock):
    t0 = clock()
    events = []
    engine.subscribe(lambda e: events.append(e) if isinstance(e, StaffChanged) else None)
    engine.sign_in(1, "Saraa")
    engine.issue("CASH")
    clock.advance(10)
    engine.call_next(1, "Saraa")  # serving starts with the call
    clock.advance(20)
    engine.act("A001", Action.START)
    clock.advance(100)
    engine.act("A001", Action.FINISH)  # and ends with the customer
    clock.advance(5)
    engine.set_staff_state(1, S.ON_BREAK, "lunch")
    clock.advance(1800)
    engine.set_staff_state(1, S.SIGNED_IN)
    clock.advance(60)
    engine.set_staff_state(1, S.BACK_OFFICE)
    clock.advance(600)
    engine.sign_out(1)
    assert rows(store) == [
        (1, "Saraa", "signed_in", None, t0, t0 + 10),
        (1, "Saraa", "serving", None, t0 + 10, t0 + 130),
        (1, "Saraa", "signed_in", None, t0 + 130, t0 + 135),
        (1, "Saraa", "on_break", "lunch", t0 + 135, t0 + 1935),
        (1, "Saraa", "signed_in", None, t0 + 1935, t0 + 1995),
        (1, "Saraa", "back_office", None, t0 + 1995, t0 + 2595),
        (1, "Saraa", "signed_out", None, t0 + 2595, None),
    ]
    assert [e.period.state for e in events] == [
        S.SIGNED_IN,
        S.SERVING,
        S.SIGNED_IN,
        S.ON_BREAK,
        S.SIGNED_IN,
        S.BACK_OFFICE,
        S.SIGNED_OUT,
    ]
    assert engine.staff_state(1).state is S.SIGNED_OUT
    assert engine.snapshot().staff == ()  # a signed-out counter has nobody in it


def test_states_survive_a_restart_and_the_snapshot_carries_them(db_url, cfg, clock):
    first = Engine(cfg, open_store(db_url), clock=clock)
    first.sign_in(2, "Bold")
    first.set_staff_state(2, S.ON_BREAK, "meeting")
    first.store.close()
    again = Engine(cfg, open_store(db_url), clock=clock)
    (clerk,) = again.snapshot().staff
    assert (clerk.counter, clerk.staff, clerk.state, clerk.reason) == (2, "Bold", S.ON_BREAK, "meeting")
    again.store.close()


def test_refusals_change_nothing(engine, store, clock):
    with pytest.raises(UsageError, match="nobody is signed in at counter 1"):
        engine.set_staff_state(1, S.ON_BREAK, "lunch")
    engine.sign_in(1, "Saraa")
    with pytest.raises(UsageError, match="a break needs a reason"):
        engine.set_staff_state(1, S.ON_BREAK, "nap")
    with pytest.raises(UsageError, match="unknown counter 9"):
        engine.sign_in(9, "Saraa")
    engine.issue("CASH")
    engine.call_next(1)
    with pytest.raises(LifecycleError, match="cannot go on a break while serving a customer"):
        engine.set_staff_state(1, S.ON_BREAK, "lunch")
    with pytest.raises(UsageError, match="Bold is not signed in at counter 1"):
        engine.set_staff_state(1, S.SIGNED_IN, staff="Bold")
    with pytest.raises(UsageError, match="serving follows the counter's tickets"):
        engine.set_staff_state(1, S.SERVING)
    assert [r[2] for r in rows(store)] == ["signed_in", "serving"]


def test_the_same_state_again_records_nothing(engine, store):
    engine.sign_in(1, "Saraa")
    first = engine.set_staff_state(1, S.ON_BREAK, "lunch")
    assert engine.set_staff_state(1, S.ON_BREAK, "lunch") == first
    assert [r[2] for r in rows(store)] == ["signed_in", "on_break"]


def test_serving_follows_transfers_holds_and_finishes(engine, store, clock):
    engine.sign_in(1, "Saraa")
    engine.issue("CASH")
    engine.issue("CASH")
    engine.call_next(1)
    clock.advance(30)
    engine.act("A001", Action.HOLD)  # the customer steps away: the clerk is free again
    clock.advance(30)
    engine.call_next(1)
    clock.advance(30)
    engine.act("A002", Action.TRANSFER, service="ACCOUNTS")  # handed over: free again
    clock.advance(30)
    engine.act("A001", Action.START, counter=1)  # the held customer is back
    clock.advance(30)
    engine.act("A001", Action.FINISH)
    engine.issue("CASH")
    engine.call_next(1)
    engine.act("A003", Action.NO_SHOW)  # called, never came
    assert [r[2] for r in rows(store)] == ["signed_in", "serving"] * 4 + ["signed_in"]


def test_a_clerk_on_a_break_does_not_start_serving_when_another_console_calls_to_their_counter(engine, store):
    engine.sign_in(1, "Saraa")
    engine.set_staff_state(1, S.ON_BREAK, "short_break")
    engine.issue("CASH")
    engine.call_next(1)  # e.g. `frontdesk call --counter 1` from a script
    assert engine.staff_state(1).state is S.ON_BREAK


def test_signing_in_signs_out_whoever_was_left_signed_in(engine, store, clock):
    t0 = clock()
    engine.sign_in(1, "Saraa")
    clock.advance(100)  # the console stopped without signing out; Bold signs in at the same counter
    engine.issue("CASH")
    engine.call(engine.snapshot().tickets[0].ticket.number, counter=1)
    clock.advance(50)
    period = engine.sign_in(1, "Bold")
    assert period.state is S.SERVING and period.staff == "Bold"  # a customer is already at the counter
    assert rows(store) == [
        (1, "Saraa", "signed_in", None, t0, t0 + 100),
        (1, "Saraa", "serving", None, t0 + 100, t0 + 150),
        (1, "Saraa", "signed_out", None, t0 + 150, t0 + 150),
        (1, "Bold", "signed_in", None, t0 + 150, t0 + 150),
        (1, "Bold", "serving", None, t0 + 150, None),
    ]
    assert [p.staff for p in staff_periods(store, t0, t0 + 200)] == ["Saraa", "Saraa", "Saraa", "Bold", "Bold"]


def test_at_most_one_open_state_per_counter_is_enforced_by_the_database(engine, store, clock):
    engine.sign_in(3, "Saraa")
    with pytest.raises(Exception), store.transaction(lock=True):  # noqa: B017 (the driver's own error type)
        store.run(
            "INSERT INTO staff_period (counter, staff, state, started_at) VALUES (3, 'Bold', 'signed_in', ?)",
            (clock(),),
        )
    assert [r[1] for r in rows(store)] == ["Saraa"]


def test_idle_while_waiting_is_raised_and_logged_then_cleared_by_the_call(engine, store, clock):
    t0 = clock()
    engine.sign_in(1, "Saraa")
    engine.issue("CASH")
    clock.advance(299)
    assert [(a.kind, a.subject, a.level.value) for a in engine.tick().in_force] == [
        ("idle_while_waiting", "1", "warning")
    ]
    clock.advance(1)
    assert ("idle_while_waiting", "1", "breach") in [(a.kind, a.subject, a.level.value) for a in engine.tick().raised]
    engine.call_next(1)
    cleared = engine.tick().cleared
    assert [(a.kind, a.level.value) for a in cleared] == [("idle_while_waiting", "breach")]
    with store.transaction(lock=False):
        logged = store.all(
            "SELECT level, raised_at, cleared_at FROM alert_log WHERE kind = 'idle_while_waiting' ORDER BY id"
        )
    assert [tuple(r) for r in logged] == [("warning", t0 + 299, t0 + 300), ("breach", t0 + 300, t0 + 300)]
