"""Closing the day, the pure decision: which open tickets closing closes, and at what moment (no IO)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from config.schema import OpeningHours
from kiosk.core.closing import closes_of_day, closing_moment, due_closes
from kiosk.core.lifecycle import allowed_actions, next_state
from kiosk.core.model import Action, LiveTicket, Period, State, Ticket
from kiosk.errors import LifecycleError

UB = ZoneInfo("Asia/Ulaanbaatar")
HOURS = OpeningHours(mon="09:00-18:00", tue="09:00-18:00", sat="10:00-15:00", sun="closed")


def at(day: str, hh: int, mm: int = 0, tz: ZoneInfo = UB) -> float:
    return datetime.combine(datetime.fromisoformat(day).date(), time(hh, mm), tz).timestamp()


def ticket(tid: int, day: str, issued: float, state: State = State.WAITING, since: float | None = None) -> LiveTicket:
    t = Ticket(tid, day, f"A{tid:03d}", "A", tid, False, issued)
    action = Action.ISSUE if state is State.WAITING else Action.CALL
    return LiveTicket(t, Period(tid, 0, state, action, since if since is not None else issued, None, "CASH", 1))


MON = "2026-11-30"  # a Monday
TUE = "2026-12-01"


def test_nothing_closes_before_closing_time():
    open_ = [ticket(1, MON, at(MON, 10)), ticket(2, MON, at(MON, 17, 59), State.SERVING)]
    assert due_closes(open_, at(MON, 17, 59), HOURS, UB) == []


@pytest.mark.parametrize("state", [State.WAITING, State.CALLED, State.SERVING, State.ON_HOLD])
def test_at_closing_time_every_open_state_closes_at_the_closing_moment(state):
    live = ticket(1, MON, at(MON, 11), state, since=at(MON, 17, 30))
    [close] = due_closes([live], at(MON, 18, 0), HOURS, UB)
    assert close.live is live and close.at == at(MON, 18)
    assert next_state(state, Action.CLOSE_DAY) is State.CLOSED_AT_END_OF_DAY


def test_a_machine_off_at_closing_closes_at_the_closing_time_when_it_starts_the_next_morning():
    live = ticket(1, MON, at(MON, 16))
    [close] = due_closes([live], at(TUE, 8, 55), HOURS, UB)
    assert close.at == at(MON, 18)  # recorded at closing, not at the restart


def test_a_ticket_issued_after_closing_is_left_until_its_day_is_over():
    late = ticket(1, MON, at(MON, 18, 30))
    assert due_closes([late], at(MON, 23, 59), HOURS, UB) == []
    [close] = due_closes([late], at(TUE, 0, 0), HOURS, UB)
    assert close.at == at(MON, 18, 30)  # never before the state it closes began


def test_a_state_begun_after_closing_of_a_past_day_is_closed_no_earlier_than_it_began():
    live = ticket(1, MON, at(MON, 17), State.SERVING, since=at(MON, 18, 20))  # a clerk stayed late
    [close] = due_closes([live], at(TUE, 9), HOURS, UB)
    assert close.at == at(MON, 18, 20)


def test_a_closed_weekday_and_a_branch_without_hours_close_at_midnight():
    sun = "2026-12-06"
    assert closing_moment(sun, HOURS, UB) == at("2026-12-07", 0)
    assert closing_moment(MON, None, UB) == at(TUE, 0)
    assert closing_moment("2026-12-05", HOURS, UB) == at("2026-12-05", 15)  # Saturday's short day
    assert closing_moment(MON, OpeningHours(mon="08:00-24:00"), UB) == at(TUE, 0)
    assert due_closes([ticket(1, sun, at(sun, 12))], at(sun, 23), HOURS, UB) == []


def test_closing_moment_in_a_zone_with_a_clock_change():
    berlin = ZoneInfo("Europe/Berlin")
    hours = OpeningHours(sun="09:00-18:00")
    summer_to_winter = "2026-10-25"  # a Sunday of 25 hours
    assert closing_moment(summer_to_winter, hours, berlin) == at(summer_to_winter, 18, 0, berlin)
    assert datetime.fromtimestamp(closing_moment(summer_to_winter, hours, berlin), berlin).hour == 18


def test_tickets_of_several_past_days_each_close_at_their_own_days_closing():
    sat = "2026-12-05"
    found = due_closes([ticket(2, TUE, at(TUE, 9)), ticket(1, sat, at(sat, 14))], at("2026-12-07", 9), HOURS, UB)
    assert [(c.live.ticket.id, c.at) for c in found] == [(1, at(sat, 15)), (2, at(TUE, 18))]


def test_by_hand_a_day_closes_early_at_now_and_later_at_its_closing():
    live = [ticket(1, MON, at(MON, 10)), ticket(2, TUE, at(TUE, 10))]
    early = closes_of_day(live, MON, at(MON, 14), HOURS, UB)
    assert [(c.live.ticket.id, c.at) for c in early] == [(1, at(MON, 14))]  # only that day's, at now
    late = closes_of_day(live, MON, at(TUE, 12), HOURS, UB)
    assert [c.at for c in late] == [at(MON, 18)]


def test_closed_at_end_of_day_is_terminal_and_takes_no_further_action():
    state = State.CLOSED_AT_END_OF_DAY
    assert state.terminal and allowed_actions(state) == []
    for action in (Action.CALL, Action.RECALL, Action.FINISH, Action.START):
        with pytest.raises(LifecycleError, match="was closed at the end of its day"):
            next_state(state, action)
    for final in (State.DONE, State.NO_SHOW, State.WALKED_AWAY):
        with pytest.raises(LifecycleError):
            next_state(final, Action.CLOSE_DAY)  # a finished visit keeps its own outcome
