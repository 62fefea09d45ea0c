"""A day at the branch through the engine, on a real database (SQLite and PostgreSQL)."""

import pytest

from kiosk.core.model import Action, Level, QueueObservation, State
from kiosk.engine import Engine
from kiosk.errors import LifecycleError, UsageError
from kiosk.store import open_store


def test_numbers_are_per_service_and_daily(engine, clock):
    assert [engine.issue(s).ticket.number for s in ("CASH", "CASH", "LOANS", "CASH")] == [
        "A001",
        "A002",
        "C001",
        "A003",
    ]
    clock.advance(24 * 3600)  # the next branch-local day starts again at 001
    assert engine.issue("CASH").ticket.number == "A001"


def test_full_visit_is_recorded_as_periods(engine, store, clock):
    issued = engine.issue("CASH", language="en")
    clock.advance(120)
    assert engine.call_next(counter=1, staff="Saraa").ticket.number == "A001"
    clock.advance(15)
    engine.act("A001", Action.START)
    clock.advance(200)
    engine.act("a001", Action.FINISH)
    assert engine.rate("A001", 5) is True
    assert engine.rate("A001", 1) is False  # the first rating is kept

    tickets, periods = store.day_history(issued.ticket.day)
    assert [(p.state, p.counter, p.staff) for p in periods] == [
        (State.WAITING, None, None),
        (State.CALLED, 1, "Saraa"),
        (State.SERVING, 1, "Saraa"),
        (State.DONE, 1, "Saraa"),
    ]
    durations = [p.ended_at - p.started_at for p in periods]
    assert durations == [120, 15, 200, 0]
    assert engine.snapshot().tickets == ()


def test_refused_actions_change_nothing(engine, store, clock):
    engine.issue("CASH")
    before = store.day_history(engine.day_of(clock()))
    with pytest.raises(LifecycleError, match="cannot finish a ticket that is waiting"):
        engine.act("A001", Action.FINISH)
    with pytest.raises(UsageError, match="no ticket A999 today"):
        engine.act("A999", Action.CALL, counter=1)
    with pytest.raises(UsageError, match="unknown service"):
        engine.issue("PIZZA")
    with pytest.raises(UsageError, match="unknown counter 7"):
        engine.call_next(counter=7)
    assert store.day_history(engine.day_of(clock())) == before


def test_counters_call_only_their_services_and_priority_first(engine, clock):
    engine.issue("LOANS")  # C001: counters 3 and 4
    clock.advance(60)
    engine.issue("CASH")  # A001
    clock.advance(60)
    engine.issue("CASH", priority=True)  # A002 with a 10-minute head start
    assert engine.call_next(counter=1).ticket.number == "A002"
    assert engine.call_next(counter=1).ticket.number == "A001"
    assert engine.call_next(counter=1) is None  # LOANS is not served at counter 1
    assert engine.call_next(counter=4).ticket.number == "C001"


def test_transfer_hold_no_show_and_recall(engine, store, clock):
    engine.issue("CASH")
    engine.call_next(counter=1)
    engine.act("A001", Action.START)
    moved = engine.act("A001", Action.TRANSFER, service="COMPLAINT")
    assert (moved.state, moved.service) == (State.WAITING, "COMPLAINT")
    assert engine.call_next(counter=1) is None
    engine.call_next(counter=4, staff="Senior")
    engine.act("A001", Action.NO_SHOW)
    clock.advance(30)
    assert engine.act("A001", Action.RECALL).state is State.CALLED  # came late
    engine.act("A001", Action.START)
    engine.act("A001", Action.HOLD)
    engine.act("A001", Action.START)
    engine.act("A001", Action.FINISH)
    _, periods = store.day_history(engine.day_of(clock()))
    assert [p.action for p in periods] == [
        Action.ISSUE,
        Action.CALL,
        Action.START,
        Action.TRANSFER,
        Action.CALL,
        Action.NO_SHOW,
        Action.RECALL,
        Action.START,
        Action.HOLD,
        Action.START,
        Action.FINISH,
    ]
    assert all(p.ended_at is not None for p in periods)


def test_restart_mid_day_rebuilds_the_same_queue(cfg, db_url, clock):
    first = Engine(cfg, open_store(db_url), clock=clock)
    for s in ("CASH", "ACCOUNTS", "CASH", "LOANS"):
        first.issue(s)
        clock.advance(30)
    first.call_next(counter=2)
    before = first.snapshot()
    first.store.close()

    second = Engine(cfg, open_store(db_url), clock=clock)
    after = second.snapshot()
    assert after.tickets == before.tickets
    assert second.issue("CASH").ticket.number == "A003"  # numbering goes on


def test_alerts_are_logged_when_raised_and_cleared(engine, store, clock):
    engine.issue("CASH")  # target wait 600 s
    assert engine.tick().in_force == []
    clock.advance(500)
    event = engine.tick()
    assert [(a.kind, a.level) for a in event.raised] == [("wait", Level.WARNING)]
    assert event.level is Level.WARNING
    clock.advance(200)
    assert [a.level for a in engine.tick().raised] == [Level.BREACH]
    assert [row[2] for row in store.open_alerts()] == ["breach"]
    engine.call_next(counter=1)
    cleared = engine.tick()
    assert [a.level for a in cleared.cleared] == [Level.BREACH] and cleared.level is Level.WITHIN
    assert store.open_alerts() == []


def test_camera_observation_raises_untracked_people(engine, clock):
    engine.observe(QueueObservation(at=clock(), people=5))
    kinds = {a.kind for a in engine.tick().in_force}
    assert "untracked_people" in kinds


def test_estimate_is_a_range_that_grows_with_the_queue(engine, clock):
    first = engine.issue("CASH")
    for _ in range(5):
        engine.issue("CASH")
    last = engine.issue("CASH")
    assert last.ahead == 6
    assert last.estimate.low_s <= last.estimate.point_s <= last.estimate.high_s
    assert last.estimate.point_s > first.estimate.point_s


def test_listeners_hear_ticket_changes(engine):
    events = []
    engine.subscribe(events.append)
    engine.issue("CASH")
    engine.call_next(counter=1)
    assert [e.live.state for e in events] == [State.WAITING, State.CALLED]


def test_senior_counter_takes_complaints_first(engine, clock):
    engine.issue("LOANS")
    clock.advance(60)
    engine.issue("COMPLAINT")
    assert engine.call_next(counter=4).ticket.number == "D001"
    assert engine.call_next(counter=4).ticket.number == "C001"


def test_several_consoles_log_each_alert_once(cfg, db_url, clock):
    consoles = [Engine(cfg, open_store(db_url), clock=clock) for _ in range(3)]
    consoles[0].issue("CASH")
    clock.advance(700)
    for console in consoles:
        console.tick()
    assert [row[:3] for row in consoles[0].store.open_alerts()] == [("wait", "A001", "breach")]
    consoles[1].call_next(counter=1)
    for console in consoles:
        console.tick()
    assert consoles[2].store.open_alerts() == []


def test_threads_sharing_one_engine_never_interleave_transactions(engine, clock):
    import threading

    errors = []

    def camera():
        try:
            for i in range(200):
                engine.observe(QueueObservation(at=clock(), people=i % 4))
        except Exception as exc:  # noqa: BLE001 - any failure is the test's finding
            errors.append(exc)

    worker = threading.Thread(target=camera)
    worker.start()
    for _ in range(40):
        engine.issue("CASH")
        engine.store.open_alerts()
    worker.join()
    assert errors == []
    assert len(engine.snapshot().tickets) == 40


def test_the_camera_seeing_one_more_person_wakes_the_kiosk(engine, clock):
    from kiosk.core.model import Presence

    heard = []
    engine.subscribe(heard.append)
    for people in (0, 1, 1, 0, 2):
        engine.observe(QueueObservation(at=clock(), people=people))
        clock.advance(1)
    wakes = [e for e in heard if isinstance(e, Presence)]
    assert [(w.source, w.at - heard[0].at) for w in wakes] == [("camera", 1.0), ("camera", 4.0)]
