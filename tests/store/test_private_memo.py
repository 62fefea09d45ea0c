"""A store no other connection can write (an in-memory SQLite, a replay's scratch store) reads a
counter's clerk's state, the day's live tickets, its last numbers and when each counter last called
once, and again only after writing them, and hands the wait estimate the first calls it wrote; every
other store reads them each time.

The answers must be the ones a store that reads every time gives, through a clerk's whole day, a
day of tickets (recalls, transfers, the day's closing and the next day included) and after a
transaction that rolled back.
"""

from __future__ import annotations

import pytest

from kiosk.core.model import Action, State
from kiosk.core.staffing import StaffState
from kiosk.engine import Engine
from kiosk.errors import LifecycleError
from kiosk.store import estimate_log, open_store, staff_log
from kiosk.store.bulk_import import NewVisit, import_visits
from kiosk.store.migrations import SCRATCH_MEMORY_SPARE_INDEXES

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


def _a_day_of_tickets(engine: Engine, clock) -> list:
    """What the engine answers (estimates, the queue, calls) through a day and the next morning."""
    seen: list = []

    def issue(service: str, priority: bool = False) -> None:
        issued = engine.issue(service, priority=priority)
        seen.append((issued.ticket, issued.service, issued.ahead, issued.estimate))  # not the random token
        clock.advance(30)

    def queue_now() -> None:
        seen.append(engine.store.live(engine.day_of(clock())))
        seen.append(engine.outlook())

    def step(number: str, action: Action, **where) -> None:
        seen.append(engine.act(number, action, **where))
        clock.advance(45)

    for service in ("CASH", "CASH", "ACCOUNTS", "CASH", "LOANS"):
        issue(service)
    issue("CASH", priority=True)
    queue_now()
    first = engine.call_next(1)
    second = engine.call_next(2)
    assert first is not None and second is not None
    seen += [first, second]
    step(first.ticket.number, Action.START)
    step(second.ticket.number, Action.NO_SHOW)
    queue_now()
    step(second.ticket.number, Action.RECALL, counter=2)  # back from a final state
    step(first.ticket.number, Action.TRANSFER, service="ACCOUNTS")
    seen.append(engine.call_next(3))
    queue_now()
    waiting = [t for t in engine.store.live(engine.day_of(clock())) if t.state is State.WAITING]
    seen.append(engine.remaining_waits(waiting))
    issue("CASH")
    with pytest.raises(LifecycleError) as refused:
        engine.act(second.ticket.number, Action.FINISH)  # called, not served yet: refused, nothing written
    seen.append(str(refused.value))
    queue_now()
    clock.advance(24 * 3600)  # the next day: the last day's tickets close, numbers start anew
    seen.append(engine.close_overdue())
    queue_now()
    issue("CASH")
    issue("ACCOUNTS")
    queue_now()
    seen.append(engine.call_next(1))
    return seen


@pytest.mark.parametrize("scratch", [False, True], ids=["in-memory", "replay-scratch"])
def test_a_private_store_keeps_the_queue_as_a_store_that_reads_every_time(cfg, clock, tmp_path, scratch):
    start = clock()
    private = open_store("sqlite:///:memory:", scratch=scratch)  # a replay's also drops indexes
    on_file = open_store(f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}")
    private_day = _a_day_of_tickets(Engine(cfg, private, clock=clock), clock)
    clock.advance(start - clock())
    assert private_day == _a_day_of_tickets(Engine(cfg, on_file, clock=clock), clock)
    assert private.private_memo("sql.live"), "the private store answered from what it kept"
    numbers = [entry[0].number for entry in private_day if isinstance(entry, tuple)]
    assert numbers == ["A001", "A002", "B001", "A003", "C001", "A004", "A005", "A001", "B001"]


def test_what_was_read_inside_a_rolled_back_transaction_is_forgotten(cfg, clock):
    store = open_store("sqlite:///:memory:")
    engine = Engine(cfg, store, clock=clock)
    engine.sign_in(1, "Saraa")
    with pytest.raises(RuntimeError), store.transaction(lock=True):
        staff_log.begin(store, 1, "Saraa", S.ON_BREAK, "lunch", clock() + 5)
        assert staff_log.open_period(store, 1).state is S.ON_BREAK  # read (and kept) inside it
        raise RuntimeError("the tap's transaction fails")
    assert engine.staff_state(1).state is S.SIGNED_IN


def test_an_import_into_a_private_store_is_read_again(cfg, clock):
    """An import writes tickets in bulk, past the memos: the next ticket is numbered after them."""
    store = open_store("sqlite:///:memory:")
    engine = Engine(cfg, store, clock=clock)
    engine.issue("CASH")  # A001: the store now knows the day's last A
    day, now = engine.day_of(clock()), clock()
    visit = NewVisit(
        "X-1", "earlier", day, "A", "CASH", False, now - 600, now - 300, now - 290, now - 100, None, "served", "Saraa"
    )
    assert import_visits(store, [visit]) == (1, 0)  # numbered A002, after the day's own
    clock.advance(10)
    assert engine.issue("CASH").ticket.number == "A003"


def _estimates_learnt_through_two_days(engine: Engine, clock) -> list:
    """The estimates shown through enough first calls for the learned estimate to take over, with
    a call after a transfer, a recall, a call written and rolled back, and the next day; then
    what the estimate learnt: how many waits, the range's share and every situation's waits."""
    shown: list = []
    day = engine.day_of(clock())
    for n in range(1, 61):
        shown.append(engine.issue("CASH", priority=n % 7 == 0).estimate)
        clock.advance(20 + n % 5 * 15)
        if n == 27:  # the clock steps back: a first call before the latest one learnt is never learnt
            clock.advance(-300)
        if n % 3 == 0:  # one called while two others wait, each at the same moment as the next issue
            called = engine.call_next(1 + n % 2)
            assert called is not None
            if n == 36:  # a second call at the same moment: the priority ticket first, then an older one
                engine.call_next(2)
            if n == 30:
                engine.act(called.ticket.number, Action.NO_SHOW)
                engine.act(called.ticket.number, Action.RECALL, counter=1)
                continue
            engine.act(called.ticket.number, Action.START)
            if n == 21:
                engine.act(called.ticket.number, Action.TRANSFER, service="ACCOUNTS")
                engine.call_next(2)  # its second call: not a first call, not learnt again
            else:
                engine.act(called.ticket.number, Action.FINISH)
        if n == 57:  # a call written, then the transaction rolls back: nothing of it is learnt
            waiting = next(t for t in engine.store.live(day) if t.state is State.WAITING)
            with pytest.raises(RuntimeError), engine.store.writing(day) as w:
                w.move(waiting, State.CALLED, Action.CALL, clock(), counter=3)
                raise RuntimeError("the call's transaction fails")
    clock.advance(24 * 3600)
    engine.close_overdue()  # nobody waits the next morning
    shown.append(engine.issue("CASH").estimate)
    clock.advance(10)
    shown.append(engine.issue("CASH", priority=True).estimate)  # with its head start, before the first
    clock.advance(50)
    engine.call_next(1)  # both called at one moment, the later ticket first: learnt in the log's order
    engine.call_next(2)
    shown.append(engine.issue("CASH").estimate)
    with engine.store.reading(engine.day_of(clock())):
        history = estimate_log.learned_waits(engine.store)
    windows = {key: list(window.order) for key, window in history._windows.items()}
    return [*shown, history.observations, history.share, windows]


def test_a_private_store_learns_the_first_calls_a_store_that_reads_every_time_learns(cfg, clock, tmp_path):
    """A private store hands the wait estimate the first calls it wrote instead of their query."""
    start = clock()
    private = open_store("sqlite:///:memory:", scratch=True)
    on_file = open_store(f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}")
    private_days = _estimates_learnt_through_two_days(Engine(cfg, private, clock=clock), clock)
    clock.advance(start - clock())
    assert private_days == _estimates_learnt_through_two_days(Engine(cfg, on_file, clock=clock), clock)
    assert private_days[-3] >= 20, "enough first calls for the learned estimate to be shown"
    assert private.take_first_calls() is not None and on_file.take_first_calls() is None


def test_only_a_scratch_store_in_memory_goes_without_the_indexes_no_read_of_its_needs(tmp_path):
    def indexes(store) -> set[str]:
        with store.transaction(lock=False):
            return {r[0] for r in store.all("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}

    every = indexes(open_store("sqlite:///:memory:"))
    spare = set(SCRATCH_MEMORY_SPARE_INDEXES)
    assert spare < every
    assert indexes(open_store("sqlite:///:memory:", scratch=True)) == every - spare
    assert indexes(open_store(f"sqlite:///{tmp_path / 'replay.sqlite3'}", scratch=True)) == every  # a --db file
