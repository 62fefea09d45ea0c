"""The per-staff table of the report from the clerks' recorded states, on SQLite and PostgreSQL.

A scripted day is played through the real engine; the figures are checked against a
second-by-second pass over the script itself (which state each clerk was in, which
tickets waited for which counter), not against the interval arithmetic of the code.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.model import Action
from kiosk.core.staffing import StaffState
from kiosk.reports import build_report
from kiosk.reports.html import report_html
from kiosk.reports.render import report_csv

S = StaffState
END = 4000  # the report is made at t0 + END, Bold still signed in

# (second, what happens): ("sign_in", counter, name), ("state", counter, state, reason), ("sign_out", counter),
# ("issue", service), ("call", counter), ("act", number, action, extra)
SCRIPT = [
    (0, ("sign_in", 1, "Saraa")),  # counter 1 serves CASH
    (0, ("sign_in", 4, "Bold")),  # counter 4 serves LOANS and COMPLAINT
    (60, ("issue", "CASH")),  # A001
    (200, ("call", 1)),
    (230, ("act", "A001", Action.START, {})),
    (500, ("act", "A001", Action.FINISH, {})),
    (520, ("issue", "LOANS")),  # C001
    (600, ("state", 1, S.ON_BREAK, "lunch")),
    (650, ("issue", "CASH")),  # A002: waits while Saraa is at lunch (not idle)
    (700, ("state", 4, S.BACK_OFFICE, None)),  # idle in the contract's sense: C001 is waiting
    (900, ("state", 4, S.SIGNED_IN, None)),
    (1000, ("call", 4)),
    (1030, ("act", "C001", Action.START, {})),
    (1400, ("act", "C001", Action.FINISH, {})),
    (2400, ("state", 1, S.SIGNED_IN, None)),
    (2500, ("call", 1)),
    (2520, ("act", "A002", Action.START, {})),
    (2800, ("act", "A002", Action.FINISH, {})),
    (2900, ("issue", "COMPLAINT")),  # D001
    (3000, ("state", 4, S.ON_BREAK, "short_break")),
    (3300, ("state", 4, S.SIGNED_IN, None)),
    (3500, ("act", "D001", Action.WALK_AWAY, {})),
    (3600, ("sign_out", 1)),
    (3700, ("issue", "CASH")),  # A003: nobody at a CASH counter
    (3750, ("act", "A003", Action.TRANSFER, {"counter": 4})),  # sent to counter 4: it waits for Bold now
]
SERVES = {1: {"CASH"}, 4: {"LOANS", "COMPLAINT"}}


def play(engine, clock) -> float:
    t0 = clock()
    for at, (what, *args) in SCRIPT:
        clock.now = t0 + at
        if what == "sign_in":
            engine.sign_in(*args)
        elif what == "sign_out":
            engine.sign_out(*args)
        elif what == "state":
            engine.set_staff_state(args[0], args[1], args[2])
        elif what == "issue":
            engine.issue(args[0])
        elif what == "call":
            engine.call_next(args[0])
        else:
            number, action, extra = args
            engine.act(number, action, **extra)
    clock.now = t0 + END
    return t0


class ScriptedDay:
    """The branch as the script says it is at one moment: clerks, waiting tickets, customers at counters."""

    PREFIXES = {"CASH": "A", "LOANS": "C", "COMPLAINT": "D"}

    def __init__(self) -> None:
        self.clerks: dict[int, tuple[str, str]] = {}  # counter -> (name, "in" | "break" | "office")
        self.waiting: dict[str, tuple[str | None, int | None]] = {}  # number -> (service, or its one counter)
        self.issued = dict.fromkeys(self.PREFIXES, 0)
        self.at_counter: dict[int, str] = {}

    def waits_for(self, counter: int) -> list[str]:
        return [n for n, (svc, c) in self.waiting.items() if c == counter or (c is None and svc in SERVES[counter])]

    def apply(self, what: str, *args) -> None:
        if what == "sign_in":
            self.clerks[args[0]] = (args[1], "in")
        elif what == "sign_out":
            del self.clerks[args[0]]
        elif what == "state":
            doing = {S.ON_BREAK: "break", S.BACK_OFFICE: "office"}.get(args[1], "in")
            self.clerks[args[0]] = (self.clerks[args[0]][0], doing)
        elif what == "issue":
            self.issued[args[0]] += 1
            self.waiting[f"{self.PREFIXES[args[0]]}{self.issued[args[0]]:03d}"] = (args[0], None)
        elif what == "call":
            self.at_counter[args[0]] = self.waits_for(args[0])[0]
            del self.waiting[self.at_counter[args[0]]]
        elif what == "act":
            self.act(*args)

    def act(self, number: str, action: Action, extra: dict) -> None:
        if action is Action.TRANSFER:
            self.waiting[number] = (None, extra["counter"])
        elif action is Action.WALK_AWAY:
            del self.waiting[number]
        elif action is Action.FINISH:
            self.at_counter = {c: n for c, n in self.at_counter.items() if n != number}


def by_the_second() -> dict[str, dict[str, int]]:
    """The figures from the script alone, sampling every second of the day."""
    now = ScriptedDay()
    out = {n: dict.fromkeys(("signed_in", "serving", "break", "idle"), 0) for n in ("Saraa", "Bold")}
    events = list(SCRIPT)
    for second in range(END):
        while events and events[0][0] <= second:
            now.apply(*events.pop(0)[1])
        for counter, (name, doing) in now.clerks.items():
            out[name]["signed_in"] += 1
            if counter in now.at_counter:
                out[name]["serving"] += 1
            elif doing == "break":
                out[name]["break"] += 1
            elif now.waits_for(counter):
                out[name]["idle"] += 1
    return out


@pytest.fixture
def day(engine, clock, cfg, store):
    t0 = play(engine, clock)
    local = datetime.fromtimestamp(t0, ZoneInfo(cfg.branch.timezone)).date()
    return build_report(store, cfg, local, local, now=t0 + END)


def test_per_staff_figures_equal_a_second_by_second_pass_over_the_script(day):
    expected = by_the_second()
    for name, k in expected.items():
        got = day["by_staff"][name]
        assert got["signed_in_s"] == k["signed_in"]
        assert got["break_s"] == k["break"]
        assert got["serving_share"] == round(k["serving"] / k["signed_in"], 3)
        assert got["idle_while_waiting_s"] == k["idle"]
    # the script is not trivial: each clerk has each kind of time
    assert all(min(k.values()) > 0 for k in expected.values())


def test_the_table_keeps_the_ticket_figures_and_the_reasons(day):
    saraa, bold = day["by_staff"]["Saraa"], day["by_staff"]["Bold"]
    assert (saraa["served"], saraa["service_mean_s"]) == (2, (270 + 280) / 2)
    assert (bold["served"], bold["service_mean_s"], bold["abandoned"]) == (1, 370.0, 0)
    assert saraa["break_by_reason"] == {"lunch": 1800.0} and bold["break_by_reason"] == {"short_break": 300.0}
    assert bold["back_office_s"] == 200.0 and saraa["back_office_s"] == 0.0
    assert 0 <= saraa["serving_share"] <= 1 and 0 <= bold["serving_share"] <= 1
    assert {"idle_while_waiting", "serving_share", "time_on_break", "signed_in"} <= set(day["definitions"])


def test_the_html_and_csv_reports_show_the_table(day):
    page = report_html(day)
    assert "idle while customers waited" in page and "on break" in page
    row = page[page.index("<td>Bold</td>") :].split("</tr>")[0]
    assert "66.7 min" in row  # signed in 4000 s
    assert "10%" in row  # serving share 400 / 4000
    assert "5.0 min" in row  # on break 300 s
    rows = {(r["table"], r["group"]): r for r in csv.DictReader(io.StringIO(report_csv(day)))}
    assert float(rows[("staff", "Saraa")]["break_s"]) == 1800.0
    assert rows[("totals", "all")]["break_s"] == ""


def test_a_staff_name_without_recorded_states_has_none_not_zero(engine, clock, cfg, store):
    engine.issue("CASH")
    engine.call_next(1, staff="Tuya")  # a script's call: nobody signed in at a console
    engine.act("A001", Action.START)
    clock.advance(60)
    engine.act("A001", Action.FINISH)
    local = datetime.fromtimestamp(clock(), ZoneInfo(cfg.branch.timezone)).date()
    tuya = build_report(store, cfg, local, local, now=clock())["by_staff"]["Tuya"]
    assert tuya["served"] == 1
    assert (tuya["break_s"], tuya["serving_share"], tuya["idle_while_waiting_s"]) == (None, None, None)


def test_a_state_left_open_by_a_stopped_console_ends_with_its_day(engine, clock, cfg, store):
    tz = ZoneInfo(cfg.branch.timezone)
    engine.sign_in(2, "Saraa")  # the console then stops for good, without signing out
    start = clock()
    local = datetime.fromtimestamp(start, tz).date()
    midnight = datetime.combine(local, datetime.min.time(), tz).timestamp() + 24 * 3600
    later = build_report(store, cfg, local, local, now=midnight + 5 * 24 * 3600)
    assert later["by_staff"]["Saraa"]["signed_in_s"] == round(midnight - start, 1)
