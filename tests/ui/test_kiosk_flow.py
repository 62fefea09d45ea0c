"""The customer's path, driven without a window against a real SQLite engine."""

from __future__ import annotations

from kiosk.core.model import Action, State
from kiosk.ui.kiosk_flow import AWAKE_S, KioskFlow, Step


def make_flow(cfg, tr, run, clock, **kw) -> KioskFlow:
    return KioskFlow(cfg, tr, run, clock=clock, **kw)


def test_check_in_in_english_gives_a_ticket_with_an_honest_range(cfg, tr, run, handle, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    flow.choose_language("en")
    assert flow.step is Step.SERVICE
    flow.choose_service("CASH")
    assert flow.step is Step.TICKET
    view = flow.ticket
    assert view.number == "A001"
    assert view.service_name == "Cash and payments"
    assert view.ahead == "You are next in line."
    assert view.wait_low_min < view.wait_high_min  # a range, never one falsely precise number
    live = handle.engine.snapshot().tickets
    assert [(t.ticket.number, t.ticket.language, t.state) for t in live] == [("A001", "en", State.WAITING)]


def test_rapid_repeated_taps_issue_one_ticket(cfg, tr, handle, ui_clock):
    queued = []  # a runner that holds the job, as the worker thread does while the DB writes
    flow = make_flow(cfg, tr, lambda job, done, err: queued.append((job, done)), ui_clock)
    flow.choose_language("ru")
    for _ in range(5):
        flow.choose_service("CASH")
    flow.choose_service("LOANS")
    assert len(queued) == 1
    job, done = queued[0]
    done(handle.call(job))
    flow.choose_service("CASH")  # a late tap that lands on the ticket screen
    assert len(queued) == 1
    assert [t.ticket.number for t in handle.engine.snapshot().tickets] == ["A001"]


def test_taps_meant_for_another_screen_do_nothing(cfg, tr, run, handle, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    flow.choose_service("CASH")  # still on the greeting
    flow.rate(5)
    flow.done()
    assert flow.step is Step.GREETING
    assert handle.call(lambda e: e.snapshot()).tickets == ()


def test_complaint_apologises_first_and_priority_is_told(cfg, tr, run, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    flow.choose_language("en")
    flow.set_priority(True)
    flow.choose_service("COMPLAINT")
    assert flow.ticket.number == "D001"
    assert flow.ticket.heading.startswith("We are sorry")
    assert "sooner" in flow.ticket.priority  # the example branch gives a head start
    flow.done()
    flow.choose_language("mn")
    flow.choose_service("CASH")
    assert flow.ticket.heading == tr.gettext("mn", "Here is your number")
    assert flow.ticket.priority == ""


def test_people_ahead_counts_the_same_service_only(cfg, tr, run, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    for code in ("CASH", "CASH", "LOANS", "CASH"):
        flow.choose_language("ru")
        flow.choose_service(code)
        flow.done()
    flow.choose_language("ru")
    flow.choose_service("CASH")
    assert flow.ticket.ahead == "Перед вами 3 клиента."


def test_idle_returns_to_the_greeting_in_the_branch_language(cfg, tr, run, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    flow.choose_language("hy")
    flow.choose_service("CASH")
    ui_clock.advance(cfg.kiosk.idle_return_s - 1)
    flow.tick()
    assert flow.step is Step.TICKET
    ui_clock.advance(2)
    flow.tick()
    assert (flow.step, flow.lang) == (Step.GREETING, cfg.branch.default_language)


def test_presence_wakes_the_greeting_and_it_dims_later(cfg, tr, run, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    seen = []
    flow.subscribe(lambda: seen.append(flow.awake))
    ui_clock.advance(AWAKE_S + 1)
    flow.presence()
    assert flow.awake and seen == [True]
    ui_clock.advance(AWAKE_S + 1)
    flow.tick()
    assert not flow.awake


def test_a_finished_visit_is_rated_once_in_the_customers_language(cfg, tr, run, handle, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    flow.choose_language("hy")
    flow.choose_service("CASH")
    flow.done()
    engine = handle.engine
    engine.call_next(1, "Saraa")
    engine.act("A001", Action.START)
    ui_clock.advance(120)
    engine.act("A001", Action.FINISH)
    flow.ticket_finished("A001", "hy")
    assert flow.step is Step.FEEDBACK and flow.lang == "hy"
    flow.rate(4)
    flow.rate(1)  # a second tap on another face: the first answer stands
    assert flow.feedback.thanked
    ticket = engine.store.find_ticket(engine.day_of(ui_clock()), "A001")
    assert not engine.store.record_feedback(ticket.id, 2, ui_clock())  # already rated once
    flow.ticket_finished("A001", "hy")  # the same ticket again: not asked twice
    ui_clock.advance(5)
    flow.tick()
    assert flow.step is Step.GREETING


def test_feedback_waits_until_the_customer_at_the_kiosk_is_done(cfg, tr, run, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    flow.choose_language("en")
    flow.ticket_finished("B007", "ru")
    assert flow.step is Step.SERVICE  # never interrupts a check-in
    flow.back()
    assert flow.step is Step.FEEDBACK and flow.feedback.number == "B007" and flow.lang == "ru"


def test_database_loss_shows_out_of_service_and_recovers(cfg, tr, run, handle, ui_clock):
    flow = make_flow(cfg, tr, run, ui_clock)
    flow.choose_language("en")
    flow.choose_service("CASH")
    flow.done()
    handle.engine.store._conn.close()  # the connection dies under the kiosk
    flow.choose_language("en")
    flow.choose_service("CASH")
    assert flow.step is Step.OUT_OF_SERVICE and flow.ticket is None
    assert len(set(flow.out_of_service_lines())) == len(cfg.branch.languages)
    ui_clock.advance(10)
    flow.tick()  # the retry opens the database again
    assert flow.step is Step.GREETING
    flow.choose_language("en")
    flow.choose_service("CASH")
    assert flow.ticket.number == "A002"  # nothing lost, no number reused


def test_kiosk_starting_without_its_database_waits_for_it(cfg, tr, tmp_path, ui_clock):
    from kiosk.engine import Engine
    from kiosk.store import open_store
    from kiosk.ui.backend import EngineHandle, InlineRunner

    folder = tmp_path / "mounted-later"
    url = f"sqlite:///{folder / 'frontdesk.sqlite3'}"
    handle = EngineHandle(lambda: Engine(cfg, open_store(url), clock=ui_clock))
    flow = make_flow(cfg, tr, InlineRunner(handle), ui_clock)
    flow.choose_language("en")
    flow.choose_service("CASH")
    assert flow.step is Step.OUT_OF_SERVICE
    ui_clock.advance(10)
    flow.tick()
    assert flow.step is Step.OUT_OF_SERVICE  # still not there
    folder.mkdir()
    ui_clock.advance(10)
    flow.tick()
    assert flow.step is Step.GREETING
    handle.drop()


def test_a_failed_print_asks_to_remember_the_number(cfg, tr, run, ui_clock):
    printed = []
    flow = make_flow(
        cfg, tr, run, ui_clock, print_ticket=lambda issued, view, lang: printed.append((view.number, lang))
    )
    flow.choose_language("mn")
    flow.choose_service("LOANS")
    assert printed == [("C001", "mn")]
    flow.printing_failed()
    assert flow.print_failed


def test_counter_screen_greets_the_called_customer_and_asks_there(cfg, tr, run, handle, ui_clock):
    from kiosk.core.model import Action
    from kiosk.ui.counter_display import CounterDisplay

    at_counter = cfg.model_copy(update={"kiosk": cfg.kiosk.model_copy(update={"feedback_on": "counter"})})
    display = CounterDisplay(at_counter, counter=4, tr=tr, run=run, clock=ui_clock)
    kiosk = make_flow(at_counter, tr, run, ui_clock)
    engine = handle.call(lambda e: e)
    engine.issue("COMPLAINT", language="ru")
    display.apply_snapshot(engine.snapshot())
    assert display.step == "idle" and display.message() == tr.gettext("mn", "Please wait until your number is called.")
    engine.call_next(4, "Bat")
    display.apply_snapshot(engine.snapshot())
    assert (display.step, display.number, display.lang) == ("called", "D001", "ru")
    assert display.message() == "Талон D001, пожалуйста, подойдите к этому окну."
    engine.act("D001", Action.START)
    display.apply_snapshot(engine.snapshot())
    assert display.step == "serving"
    engine.act("D001", Action.FINISH)
    kiosk.ticket_finished("D001", "ru")  # the kiosk does not ask: the counter does
    assert kiosk.step is Step.GREETING
    display.apply_snapshot(engine.snapshot())
    assert display.step == "feedback" and display.feedback.number == "D001"
    display.rate(2)
    ticket = engine.store.find_ticket(engine.day_of(ui_clock()), "D001")
    assert not engine.store.record_feedback(ticket.id, 5, ui_clock())  # the 2 was stored
    ui_clock.advance(5)
    display.tick()
    assert display.step == "idle"


def test_a_hung_database_shows_out_of_service_and_a_late_ticket_is_still_shown(cfg, tr, handle, ui_clock):
    held = []  # the worker is stuck on the database: the answer has not come
    flow = make_flow(cfg, tr, lambda job, done, err: held.append((job, done)), ui_clock)
    flow.choose_language("en")
    flow.choose_service("CASH")
    ui_clock.advance(6)
    flow.tick()
    assert flow.step is Step.OUT_OF_SERVICE
    job, done = held[0]
    done(handle.call(job))  # the database answers after all: the customer gets the number
    assert flow.step is Step.TICKET and flow.ticket.number == "A001"
