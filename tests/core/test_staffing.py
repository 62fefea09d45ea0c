"""The clerk's states and the idle-while-waiting standard: pure, no store, no clock."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from kiosk.core.model import Action, Level, LiveTicket, Period, QueueSnapshot, State, Ticket
from kiosk.core.staffing import StaffPeriod, StaffState, follow_tickets, next_staff_state
from kiosk.core.standards import alerts_in_force, idle_while_waiting
from kiosk.errors import LifecycleError, UsageError

S = StaffState
REASONS = ("lunch", "short_break", "meeting")


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (None, S.SIGNED_IN),
        (S.SIGNED_OUT, S.SIGNED_IN),
        (S.SIGNED_IN, S.SERVING),
        (S.SIGNED_IN, S.BACK_OFFICE),
        (S.SIGNED_IN, S.SIGNED_OUT),
        (S.SERVING, S.SIGNED_IN),
        (S.SERVING, S.SIGNED_OUT),
        (S.ON_BREAK, S.SIGNED_IN),
        (S.BACK_OFFICE, S.SIGNED_IN),
        (S.BACK_OFFICE, S.SIGNED_OUT),
    ],
)
def test_allowed_moves(current, wanted):
    assert next_staff_state(current, wanted, None, REASONS) is wanted


@pytest.mark.parametrize(
    ("current", "wanted", "said"),
    [
        (None, S.SERVING, "cannot serve before signing in"),
        (S.SIGNED_OUT, S.BACK_OFFICE, "cannot go to the back office while signed out"),
        (S.SERVING, S.BACK_OFFICE, "cannot go to the back office while serving a customer"),
        (S.ON_BREAK, S.SERVING, "cannot serve while on a break"),
        (S.BACK_OFFICE, S.SERVING, "cannot serve while in the back office"),
    ],
)
def test_refused_moves_say_why(current, wanted, said):
    with pytest.raises(LifecycleError) as err:
        next_staff_state(current, wanted, None, REASONS)
    assert str(err.value) == said


def test_a_break_needs_one_of_the_branch_s_reasons():
    assert next_staff_state(S.SIGNED_IN, S.ON_BREAK, "meeting", REASONS) is S.ON_BREAK
    for reason in (None, "nap"):
        with pytest.raises(UsageError, match="a break needs a reason: one of lunch, short_break, meeting"):
            next_staff_state(S.SIGNED_IN, S.ON_BREAK, reason, REASONS)
    with pytest.raises(LifecycleError, match="cannot go on a break while serving a customer"):
        next_staff_state(S.SERVING, S.ON_BREAK, "lunch", REASONS)
    with pytest.raises(UsageError, match="only a break has a reason"):
        next_staff_state(S.SIGNED_IN, S.BACK_OFFICE, "lunch", REASONS)


def test_the_same_state_again_is_no_move():
    assert next_staff_state(S.ON_BREAK, S.ON_BREAK, "lunch", REASONS) is S.ON_BREAK
    assert next_staff_state(S.SIGNED_IN, S.SIGNED_IN, None, REASONS) is S.SIGNED_IN


def test_only_a_clerk_at_the_counter_follows_its_tickets():
    assert follow_tickets(S.SIGNED_IN, busy=True) is S.SERVING
    assert follow_tickets(S.SERVING, busy=False) is S.SIGNED_IN
    assert follow_tickets(S.SERVING, busy=True) is None
    assert follow_tickets(S.SIGNED_IN, busy=False) is None
    for away in (S.ON_BREAK, S.BACK_OFFICE, S.SIGNED_OUT, None):
        assert follow_tickets(away, busy=True) is None


# -- the standard ------------------------------------------------------------------------------

SERVICES = [
    SimpleNamespace(code="CASH", target_wait_s=3600, target_service_s=3600, counters=[1, 2]),
    SimpleNamespace(code="LOANS", target_wait_s=3600, target_service_s=3600, counters=[3]),
]
LIMITS = SimpleNamespace(
    warning_fraction=0.8,
    queue_warning_length=50,
    queue_breach_length=60,
    untracked_people_margin=2,
    idle_while_waiting_s=300,
)
CFG = SimpleNamespace(standards=LIMITS, services=SERVICES)


def waiting(number: str, service: str, since: float, counter: int | None = None) -> LiveTicket:
    ticket = Ticket(int(number[1:]), "2026-12-01", number, number[0], int(number[1:]), False, since)
    return LiveTicket(ticket, Period(ticket.id, 0, State.WAITING, Action.ISSUE, since, None, service, counter))


def clerk(counter: int, state: StaffState, since: float, reason: str | None = None) -> StaffPeriod:
    return StaffPeriod(counter, f"clerk{counter}", state, since, None, reason)


def test_idle_counts_from_the_later_of_the_clerk_s_idleness_and_the_oldest_wait():
    snap = QueueSnapshot(
        at=1000.0,
        day="2026-12-01",
        tickets=(waiting("A001", "CASH", 400.0), waiting("A002", "CASH", 700.0), waiting("C001", "LOANS", 100.0)),
        staff=(clerk(1, S.SIGNED_IN, 600.0), clerk(2, S.SIGNED_IN, 200.0), clerk(3, S.BACK_OFFICE, 900.0)),
    )
    assert idle_while_waiting(snap, SERVICES) == {1: 400.0, 2: 600.0, 3: 100.0}


def test_a_clerk_serving_or_on_a_break_is_not_idle_and_nobody_waiting_is_no_idleness():
    tickets = (waiting("A001", "CASH", 0.0),)
    staff = (clerk(1, S.SERVING, 0.0), clerk(2, S.ON_BREAK, 0.0, "lunch"), clerk(3, S.SIGNED_IN, 0.0))
    snap = QueueSnapshot(at=5000.0, day="2026-12-01", tickets=tickets, staff=staff)
    assert idle_while_waiting(snap, SERVICES) == {}  # counter 3 serves loans: nobody waits for it


def test_a_ticket_transferred_to_one_counter_waits_for_that_counter_only():
    tickets = (waiting("A001", "CASH", 0.0, counter=3),)  # sent to counter 3, whatever its service
    staff = (clerk(1, S.SIGNED_IN, 0.0), clerk(3, S.SIGNED_IN, 0.0))
    snap = QueueSnapshot(at=100.0, day="2026-12-01", tickets=tickets, staff=staff)
    assert idle_while_waiting(snap, SERVICES) == {3: 100.0}


@pytest.mark.parametrize(
    ("idle_s", "level"), [(239.0, None), (240.0, Level.WARNING), (299.9, Level.WARNING), (300.0, Level.BREACH)]
)
def test_idle_while_waiting_is_a_standard_with_its_own_threshold(idle_s, level):
    snap = QueueSnapshot(
        at=10_000.0,
        day="2026-12-01",
        tickets=(waiting("A001", "CASH", 0.0),),
        staff=(clerk(2, S.SIGNED_IN, 10_000.0 - idle_s),),
    )
    found = [a for a in alerts_in_force(snap, CFG) if a.kind == "idle_while_waiting"]
    if level is None:
        assert found == []
    else:
        assert [(a.subject, a.level, a.value, a.limit) for a in found] == [("2", level, idle_s, 300.0)]
    stricter = SimpleNamespace(standards=replace_limits(idle_while_waiting_s=200), services=SERVICES)
    assert [a.level for a in alerts_in_force(snap, stricter) if a.kind == "idle_while_waiting"] == (
        [Level.BREACH] if idle_s >= 200 else [Level.WARNING] if idle_s >= 160 else []
    )


def replace_limits(**changed) -> SimpleNamespace:
    return SimpleNamespace(**(vars(LIMITS) | changed))


def test_the_alert_is_gone_once_the_clerk_calls_or_leaves_for_a_break():
    idle = QueueSnapshot(
        at=1000.0, day="d", tickets=(waiting("A001", "CASH", 0.0),), staff=(clerk(1, S.SIGNED_IN, 0.0),)
    )
    assert any(a.kind == "idle_while_waiting" for a in alerts_in_force(idle, CFG))
    for state in (S.SERVING, S.ON_BREAK):
        moved = replace(idle, staff=(replace(idle.staff[0], state=state),))
        assert not any(a.kind == "idle_while_waiting" for a in alerts_in_force(moved, CFG))
