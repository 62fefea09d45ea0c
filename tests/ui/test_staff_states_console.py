"""The console's break with its reason, the back office and the clerk's state line, without a window."""

from __future__ import annotations

import pytest

from kiosk.core.staffing import StaffState
from kiosk.ui.staff_console import StaffConsole

S = StaffState


@pytest.fixture
def engine(handle):
    handle.call(lambda e: None)
    return handle.engine


def recorded(engine) -> list[tuple]:
    with engine.store.transaction(lock=False):
        return [tuple(r) for r in engine.store.all("SELECT staff, state, reason FROM staff_period ORDER BY id")]


def signed_in(cfg, tr, run, clock, lang="en") -> StaffConsole:
    console = StaffConsole(cfg, 1, tr, lang, run, clock=clock)
    console.sign_in("Saraa")
    console.refresh()
    return console


def test_a_break_is_one_tap_per_reason_and_recorded(cfg, tr, run, engine, ui_clock):
    console = signed_in(cfg, tr, run, ui_clock)
    assert recorded(engine) == [("Saraa", "signed_in", None)]
    assert console.state_line() == "At the counter · 0 min"
    console.press("break")
    assert console.choosing_break
    assert console.break_choices() == [
        ("lunch", "Lunch"),
        ("short_break", "Short break"),
        ("meeting", "Meeting"),
        ("back_office", "Back office"),
    ]
    console.take_break("lunch")
    assert not console.choosing_break and console.on_break and console.away
    assert recorded(engine)[-1] == ("Saraa", "on_break", "lunch")
    assert not console.enabled()["call_next"] and console.enabled()["break"]
    assert console.message == "On a break: no customers are called."
    ui_clock.advance(12 * 60)
    console.refresh()
    assert console.state_line() == "On a break: Lunch · 12 min"
    console.press("break")  # back from the break
    assert recorded(engine)[-1] == ("Saraa", "signed_in", None)
    assert console.enabled()["call_next"] and console.message == ""


def test_back_office_is_away_but_not_a_break(cfg, tr, run, engine, ui_clock):
    console = signed_in(cfg, tr, run, ui_clock)
    console.press("break")
    console.take_break("back_office")
    assert console.away and not console.on_break and not console.enabled()["call_next"]
    assert recorded(engine)[-1] == ("Saraa", "back_office", None)
    assert console.message == "In the back office: no customers are called."
    assert console.state_line() == "Back office · 0 min"


def test_cancelling_the_choice_records_nothing(cfg, tr, run, engine, ui_clock):
    console = signed_in(cfg, tr, run, ui_clock)
    console.press("break")
    console.take_break(None)
    assert not console.choosing_break and not console.away
    assert recorded(engine) == [("Saraa", "signed_in", None)]


def test_serving_shows_and_no_break_while_a_customer_is_at_the_counter(cfg, tr, run, engine, ui_clock):
    engine.issue("CASH")
    console = signed_in(cfg, tr, run, ui_clock)
    console.press("call_next")
    assert console.state_line() == "Serving a customer · 0 min"
    assert not console.enabled()["break"]
    console.press("break")  # disabled: nothing happens
    assert not console.choosing_break
    console.press("start")
    console.press("finish")
    assert [r[1] for r in recorded(engine)] == ["signed_in", "serving", "signed_in"]
    assert console.state_line() == "At the counter · 0 min"


def test_signing_out_is_recorded(cfg, tr, run, engine, ui_clock):
    console = signed_in(cfg, tr, run, ui_clock)
    console.sign_out()
    assert recorded(engine)[-1] == ("Saraa", "signed_out", None)
    assert console.state_line() == "" and console.staff_state is None


@pytest.mark.parametrize(
    ("lang", "lunch", "line"),
    [
        ("mn", "Үдийн хоол", "Завсарлага: Үдийн хоол · 0 мин"),
        ("ru", "Обед", "Перерыв: Обед · 0 мин"),
        ("hy", "Ճաշ", None),
    ],
)
def test_reasons_and_the_state_line_in_the_clerk_s_language(cfg, tr, run, engine, ui_clock, lang, lunch, line):
    console = signed_in(cfg, tr, run, ui_clock, lang=lang)
    console.press("break")
    words = dict(console.break_choices())
    assert words["lunch"] == lunch and words["back_office"] == tr.gettext(lang, "Back office") != "Back office"
    console.take_break("lunch")
    expected = line or tr.gettext(lang, "On a break: %(reason)s") % {"reason": lunch} + " · " + tr.gettext(
        lang, "%(n)d min"
    ) % {"n": 0}
    assert console.state_line() == expected


def test_the_idle_standard_reaches_the_console_banner(cfg, tr, run, engine, ui_clock):
    console = signed_in(cfg, tr, run, ui_clock)
    engine.issue("CASH")
    ui_clock.advance(301)
    console.refresh()
    assert console.unacknowledged
    assert console.banner() == "Counter 1 not serving for 5 min while customers wait (standard 5 min)"
    console.press("call_next")
    console.refresh()
    assert all(a.kind != "idle_while_waiting" for a in console.in_force)


def test_a_console_started_again_shows_the_recorded_state(cfg, tr, run, engine, ui_clock):
    first = signed_in(cfg, tr, run, ui_clock)
    first.press("break")
    first.take_break("meeting")
    again = StaffConsole(cfg, 1, tr, "en", run, clock=ui_clock)
    again.staff = "Saraa"  # as the app holds it when it redraws without signing in again
    again.refresh()
    assert again.on_break and again.break_reason == "meeting"
