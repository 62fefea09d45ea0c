from kiosk.core.model import Action, LiveTicket, Period, State, Ticket
from kiosk.core.queue import ahead_of, choose_next, waiting_order


def live(tid, number, service, issued, priority=False, state=State.WAITING, counter=None):
    t = Ticket(tid, "2026-11-24", number, number[0], tid, priority, issued)
    return LiveTicket(t, Period(tid, 0, state, Action.ISSUE, issued, None, service, counter))


QUEUE = [
    live(1, "A001", "CASH", 0.0),
    live(2, "A002", "CASH", 60.0),
    live(3, "A003", "CASH", 120.0, priority=True),
    live(4, "C001", "LOANS", 10.0),
]


def test_strict_priority_calls_priority_first():
    nxt = choose_next(QUEUE, 1, frozenset({"CASH"}), "strict", 0)
    assert nxt.ticket.number == "A003"


def test_head_start_moves_priority_by_minutes_only():
    # 2 minutes head start: A003 (issued at 120 s) counts as issued at 0 s, tie broken by id
    assert choose_next(QUEUE, 1, frozenset({"CASH"}), "head_start", 120).ticket.number == "A001"
    # 10 minutes: ahead of everyone
    assert choose_next(QUEUE, 1, frozenset({"CASH"}), "head_start", 600).ticket.number == "A003"
    # 30 seconds: only ahead of nobody (A002 issued 60 s < 90 s)
    order = [t.ticket.number for t in waiting_order(QUEUE, "head_start", 30)]
    assert order == ["A001", "C001", "A002", "A003"]


def test_counter_only_calls_its_services():
    assert choose_next(QUEUE, 4, frozenset({"LOANS"}), "strict", 0).ticket.number == "C001"
    assert choose_next(QUEUE, 4, frozenset({"COMPLAINT"}), "strict", 0) is None


def test_ticket_transferred_to_a_counter_waits_for_that_counter_only():
    q = QUEUE + [live(5, "D001", "COMPLAINT", -100.0, counter=2)]
    assert choose_next(q, 2, frozenset({"CASH"}), "head_start", 0).ticket.number == "D001"
    assert choose_next(q, 4, frozenset({"COMPLAINT"}), "strict", 0) is None


def test_ahead_counts_same_service_in_calling_order():
    a002 = QUEUE[1]
    assert ahead_of(QUEUE, a002, "strict", 0) == 2  # A001 and the priority A003
    assert ahead_of(QUEUE, a002, "head_start", 0) == 1


def test_a_counters_preferred_service_is_taken_first():
    q = QUEUE + [live(6, "D001", "COMPLAINT", 500.0)]
    both = frozenset({"LOANS", "COMPLAINT"})
    assert choose_next(q, 4, both, "head_start", 0, prefer=["COMPLAINT"]).ticket.number == "D001"
    assert choose_next(q, 4, both, "head_start", 0).ticket.number == "C001"  # no preference: arrival order
