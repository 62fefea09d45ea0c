"""A store no other connection can write (an in-memory SQLite, a replay's scratch store) reads a
counter's clerk's state once and again only after writing it; every other store reads it each time.

The answers must be the ones a store that reads every time gives, through a clerk's whole day and
after a transaction that rolled back.
"""

from __future__ import annotations

import pytest

from kiosk.core.model import Action
from kiosk.core.staffing import StaffState
from kiosk.engine import Engine
from kiosk.store import open_store, staff_log

S = StaffState


def _a_clerk_s_day(engine: Engine, clock) -> list:
    """The engine's answers about counter 1's clerk through a day, with two customers."""
    seen = [engine.staff_state(1)]
    engine.issue("CASH")
    engine.call_next(1)  # nobody signed in: nobody follows the ticket
    seen.append(engine.staff_state(1))
    engine.act("A001", Action.START)
    engine.act("A001", Action.FINISH)
    engine.sign_in(1, "Saraa")
    seen.append(engine.staff_state(1))
    engine.issue("CASH")
    clock.advance(10)
    seen.append(engine.call_next(1))  # called by the clerk signed in there
    seen.append(engine.staff_state(1))  # serving
    engine.act("A002", Action.START)
    clock.advance(100)
    engine.act("A002", Action.FINISH)
    seen.append(engine.staff_state(1))
    engine.set_staff_state(1, S.ON_BREAK, "lunch")
    seen.append(engine.staff_state(1))
    engine.sign_in(1, "Bold")
    engine.sign_out(1)
    seen.append(engine.staff_state(1))
    with engine.store.transaction(lock=False):
        seen.append(engine.store.all("SELECT counter, staff, state, reason, started_at, ended_at FROM staff_period"))
    return seen


def test_a_private_store_answers_as_a_store_that_reads_every_time(cfg, clock, tmp_path):
    start = clock()
    private = open_store("sqlite:///:memory:")
    on_file = open_store(f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}")
    assert private.private_memo("any") is not None and on_file.private_memo("any") is None
    private_day = _a_clerk_s_day(Engine(cfg, private, clock=clock), clock)
    clock.advance(start - clock())
    assert private_day == _a_clerk_s_day(Engine(cfg, on_file, clock=clock), clock)
    assert private_day[4].state is S.SERVING and private_day[-2].state is S.SIGNED_OUT


def test_what_was_read_inside_a_rolled_back_transaction_is_forgotten(cfg, clock):
    store = open_store("sqlite:///:memory:")
    engine = Engine(cfg, store, clock=clock)
    engine.sign_in(1, "Saraa")
    with pytest.raises(RuntimeError), store.transaction(lock=True):
        staff_log.begin(store, 1, "Saraa", S.ON_BREAK, "lunch", clock() + 5)
        assert staff_log.open_period(store, 1).state is S.ON_BREAK  # read (and kept) inside it
        raise RuntimeError("the tap's transaction fails")
    assert engine.staff_state(1).state is S.SIGNED_IN
