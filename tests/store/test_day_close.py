"""Closing the day through the engine, on a real database (SQLite and PostgreSQL), and by hand."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.model import Action, State
from kiosk.engine import Engine
from kiosk.errors import LifecycleError, UsageError
from kiosk.reports.logio import export_csv, import_csv
from kiosk.reports.report import build_report
from kiosk.store import estimate_log, open_store
from tests.conftest import Clock

UB = ZoneInfo("Asia/Ulaanbaatar")
MON, TUE = "2026-11-30", "2026-12-01"


def at(day: str, hh: int, mm: int = 0) -> float:
    return datetime.combine(date.fromisoformat(day), time(hh, mm), UB).timestamp()


@pytest.fixture
def day_clock() -> Clock:
    return Clock(at(MON, 16))


@pytest.fixture
def branch(cfg, store, day_clock) -> Engine:
    return Engine(cfg, store, clock=day_clock)


def open_day(engine: Engine, clock: Clock) -> None:
    """A001 served, A002 serving, B001 called, C001 on hold, A003 waiting, D001 walked away (Monday 16:00-)."""
    for service in ("CASH", "CASH", "ACCOUNTS", "LOANS", "CASH", "COMPLAINT"):
        engine.issue(service)
        clock.advance(60)
    engine.act("A001", Action.CALL, counter=1, staff="Saraa")
    engine.act("A001", Action.START)
    clock.advance(300)
    engine.act("A001", Action.FINISH)
    engine.act("A002", Action.CALL, counter=2, staff="Bat")
    engine.act("A002", Action.START)
    engine.act("B001", Action.CALL, counter=3, staff="Oyun")
    engine.act("C001", Action.CALL, counter=4, staff="Dorj")
    engine.act("C001", Action.HOLD)
    engine.act("D001", Action.WALK_AWAY)
    clock.advance(60)


def periods_of(store, day: str) -> dict[str, list]:
    tickets, periods = store.day_history(day)
    number = {t.id: t.number for t in tickets}
    out: dict[str, list] = {}
    for p in periods:
        out.setdefault(number[p.ticket_id], []).append(p)
    return out


def test_at_closing_time_every_open_ticket_is_closed_as_a_period(branch, store, day_clock):
    open_day(branch, day_clock)
    before = periods_of(store, MON)
    day_clock.now = at(MON, 17, 59)
    assert branch.close_overdue() == []
    day_clock.now = at(MON, 18) + 20  # the kiosk's next look after closing
    closed = branch.close_overdue()
    assert sorted(t.ticket.number for t in closed) == ["A002", "A003", "B001", "C001"]
    after = periods_of(store, MON)
    for number, periods in after.items():
        kept = before[number]
        if number in ("A001", "D001"):  # finished visits keep their own outcome, untouched
            assert periods == kept
            continue
        # nothing rewritten but the close of the open period; one more period, the closing
        assert periods[:-2] == kept[:-1]
        assert periods[-2] == replace(kept[-1], ended_at=at(MON, 18))
        last = periods[-1]
        assert (last.state, last.action, last.started_at, last.ended_at) == (
            State.CLOSED_AT_END_OF_DAY,
            Action.CLOSE_DAY,
            at(MON, 18),
            at(MON, 18),
        )
        assert last.counter == kept[-1].counter and last.staff == kept[-1].staff
    assert branch.snapshot().tickets == ()
    assert branch.close_overdue() == [] and periods_of(store, MON) == after  # idempotent


def test_a_closed_ticket_takes_no_more_actions(branch, day_clock):
    branch.issue("CASH")
    day_clock.now = at(MON, 18, 5)
    branch.close_overdue()
    for action in (Action.CALL, Action.FINISH, Action.RECALL, Action.WALK_AWAY):
        with pytest.raises(LifecycleError, match="was closed at the end of its day"):
            branch.act("A001", action, counter=1)


def test_off_at_closing_the_day_closes_right_on_the_next_start(cfg, db_url, day_clock):
    first = Engine(cfg, open_store(db_url), clock=day_clock)
    open_day(first, day_clock)
    first.store.close()  # the machine goes off before closing
    day_clock.now = at(TUE, 8, 50)
    store = open_store(db_url)
    again = Engine(cfg, store, clock=day_clock)
    closed = again.close_overdue()
    assert len(closed) == 4 and {t.since for t in closed} == {at(MON, 18)}  # at Monday's closing, not now
    assert again.issue("CASH").ticket.number == "A001"  # the new day's numbering starts afresh
    assert [t.ticket.number for t in again.snapshot().tickets] == ["A001"]
    assert again.close_overdue() == []
    store.close()


def test_two_terminals_closing_at_once_close_each_ticket_once(cfg, db_url, day_clock):
    a = Engine(cfg, open_store(db_url), clock=day_clock)
    b = Engine(cfg, open_store(db_url), clock=day_clock)
    open_day(a, day_clock)
    day_clock.now = at(MON, 18, 1)
    assert len(a.close_overdue()) + len(b.close_overdue()) == 4
    closings = [p for ps in periods_of(a.store, MON).values() for p in ps if p.state is State.CLOSED_AT_END_OF_DAY]
    assert len(closings) == 4
    a.store.close()
    b.store.close()


def test_a_ticket_issued_after_closing_stays_until_its_day_is_over(branch, day_clock):
    day_clock.now = at(MON, 18, 30)
    branch.issue("CASH")
    assert branch.close_overdue() == []
    day_clock.now = at(TUE, 0, 1)
    [closed] = branch.close_overdue()
    assert closed.since == at(MON, 18, 30)


def test_the_report_counts_it_apart_from_served_walked_away_and_every_wait(cfg, branch, store, day_clock):
    open_day(branch, day_clock)
    day_clock.now = at(MON, 19)
    branch.close_overdue()
    report = build_report(store, cfg, date(2026, 11, 30), date(2026, 11, 30))
    totals = report["totals"]
    assert (totals["arrived"], totals["served"], totals["abandoned"], totals["no_show"]) == (6, 1, 1, 0)
    assert totals["closed_at_end_of_day"] == 4
    assert totals["wait_mean_s"] == 360.0  # A001's wait alone (issued 16:00, called 16:06): no closing is a wait
    assert totals["service_mean_s"] == 300.0
    assert totals["abandon_rate"] == round(1 / 6, 3)
    assert {code: k["closed_at_end_of_day"] for code, k in report["by_service"].items()} == {
        "ACCOUNTS": 1,
        "CASH": 2,
        "COMPLAINT": 0,
        "LOANS": 1,
    }
    [monday] = report["by_day"]
    assert monday["day"] == MON and monday["closed_at_end_of_day"] == 4


def test_the_estimate_never_learns_from_a_closing(branch, store, day_clock):
    branch.issue("CASH")
    day_clock.now = at(MON, 19)
    branch.close_overdue()
    day_clock.now = at(TUE, 10)
    branch.issue("CASH")  # the next check-in brings the estimate's learning up to date
    with store.transaction(lock=False):
        assert estimate_log.learned_waits(store).observations == 0
    fresh = open_store(store.url)  # and a process that starts now learns nothing from it either
    with fresh.transaction(lock=False):
        assert estimate_log.learned_waits(fresh).observations == 0
    fresh.close()
    assert estimate_log.shown_estimates(store)[1].actual_wait_s is None  # never called: no wait


def test_the_log_export_and_import_round_trip_the_outcome(cfg, branch, store, day_clock, tmp_path):
    open_day(branch, day_clock)
    day_clock.now = at(MON, 19)
    branch.close_overdue()
    out = io.StringIO()
    assert export_csv(store, cfg, out, None, None) == 6
    rows = {line.split(",")[0]: line for line in out.getvalue().splitlines()[1:]}
    assert rows["A003"] == "A003,CASH,normal,2026-11-30T16:04:00,,,,2026-11-30T18:00:00,closed_at_end_of_day,"
    assert rows["A002"].endswith(",2026-11-30T18:00:00,closed_at_end_of_day,Bat")
    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert import_csv(other, cfg, io.StringIO(out.getvalue())).added == 6
    again = io.StringIO()
    export_csv(other, cfg, again, None, None)
    assert again.getvalue() == out.getvalue()
    assert build_report(other, cfg, None, None)["totals"] == build_report(store, cfg, None, None)["totals"]
    other.close()


def test_by_hand_a_day_closes_early_at_now_and_a_future_day_is_refused(branch, day_clock):
    branch.issue("CASH")
    day_clock.now = at(MON, 16, 30)
    [closed] = branch.close_day(MON)
    assert closed.since == at(MON, 16, 30)
    assert branch.close_day(MON) == []
    with pytest.raises(UsageError, match="in the future"):
        branch.close_day(TUE)


def fd(db: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FRONTDESK_CONFIG", "FRONTDESK_DB")}
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "day", "close", "--db", db, *args], capture_output=True, text=True, env=env
    )


def test_frontdesk_day_close_from_the_command_line(cfg, db_url, day_clock):
    engine = Engine(cfg, open_store(db_url), clock=day_clock)
    open_day(engine, day_clock)
    engine.store.close()
    out = fd(db_url, "--day", MON, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"day": MON, "closed": 4}
    assert json.loads(fd(db_url, "--day", MON, "--json").stdout) == {"day": MON, "closed": 0}
    assert fd(db_url, "--day", MON).stdout.strip() == f"{MON}: closed 0 open tickets"
    store = open_store(db_url)
    closings = [p for ps in periods_of(store, MON).values() for p in ps if p.state is State.CLOSED_AT_END_OF_DAY]
    assert {p.started_at for p in closings} == {at(MON, 18)}
    store.close()


@pytest.mark.parametrize(
    "args, words",
    [
        (("--day", "30.11.2026"), "--day '30.11.2026' is not a date like 2026-11-24"),
        (("--day", "2026-02-30"), "--day '2026-02-30' is not a date"),
        (("--day", "20261130"), "is not a date"),
        (("--day", "2999-01-01"), "is in the future"),
    ],
)
def test_day_close_bad_input_is_one_line_exit_2_and_changes_nothing(tmp_path, args, words):
    db = f"sqlite:///{tmp_path / 'f.sqlite3'}"
    out = fd(db, *args)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and words in out.stderr and "Traceback" not in out.stderr
