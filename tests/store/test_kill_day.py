"""kill -9 of a process during the day: nothing acknowledged is lost, and the day closes right on restart.

A real process runs the engine against a real SQLite file or PostgreSQL (tests/store/day_driver.py),
acknowledging every action it has committed; it is killed with SIGKILL in the middle of its
work (most often inside a transaction). A second process then starts as the kiosk does, after
closing time, and closes the day. The log must hold every acknowledged action, every ticket
of the day must be finished, each still-open one closed once at the day's closing time, and
every ticket's periods must follow one another without a gap or an overlap.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.model import State
from kiosk.store import open_store
from tests.conftest import REPO

UB = ZoneInfo("Asia/Ulaanbaatar")
MON = "2026-11-30"
ACKNOWLEDGED = 60  # actions committed before the kill


def at(day: str, hh: int, mm: int = 0) -> float:
    return datetime.combine(date.fromisoformat(day), time(hh, mm), UB).timestamp()


def driver(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("FRONTDESK_CONFIG", "FRONTDESK_DB")}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.day_driver", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def work_then_kill(db_url: str) -> list[dict]:
    proc = driver("work", db_url, str(at(MON, 16)))
    acked = []
    try:
        while len(acked) < ACKNOWLEDGED:
            line = proc.stdout.readline()
            assert line, f"the day's process ended early: {proc.stderr.read()}"
            acked.append(json.loads(line))
        proc.send_signal(signal.SIGKILL)  # mid-work: the next action is usually under way
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return acked


@pytest.mark.parametrize("restart", ["the same evening", "the next morning"])
def test_kill_9_mid_day_loses_nothing_acknowledged_and_the_day_closes_on_restart(db_url, restart):
    acked = work_then_kill(db_url)

    store = open_store(db_url)
    tickets, periods = store.day_history(MON)
    number = {t.id: t.number for t in tickets}
    states = {(number[p.ticket_id], p.state.value) for p in periods}
    lost = [a for a in acked if (a["ticket"], a["state"]) not in states]
    assert lost == [], "acknowledged but not in the log"
    open_before = {number[t.ticket.id] for t in store.live(MON)}
    store.close()
    assert open_before, "the killed day left tickets open (waiting, called, serving, on hold)"

    moment = at(MON, 18, 30) if restart == "the same evening" else at("2026-12-01", 8, 50)
    start = driver("start", db_url, str(moment))
    out, err = start.communicate(timeout=120)
    assert start.returncode == 0, err
    assert json.loads(out) == {"closed": len(open_before)}

    store = open_store(db_url)
    tickets, periods = store.day_history(MON)
    with store.transaction(lock=False):
        assert store.live_rows(MON, through=True) == []  # no ticket of the day left open
    store.close()
    number = {t.id: t.number for t in tickets}
    by_ticket: dict[str, list] = {}
    for p in periods:
        by_ticket.setdefault(number[p.ticket_id], []).append(p)
    closings = Counter(n for n, ps in by_ticket.items() for p in ps if p.state is State.CLOSED_AT_END_OF_DAY)
    assert set(closings) == open_before and set(closings.values()) == {1}  # each open one closed, once
    for n, ps in by_ticket.items():
        assert [p.seq for p in ps] == list(range(len(ps)))
        for before, after in zip(ps, ps[1:]):
            assert before.ended_at == after.started_at, f"{n}: a gap or overlap between periods"
        last = ps[-1]
        assert last.state.terminal and last.ended_at == last.started_at
        if n in open_before:
            assert last.started_at == max(at(MON, 18), ps[-2].started_at)  # at closing, not at the restart
    # the day's first tickets are still there, as acknowledged: nothing was rewritten or dropped
    assert {a["ticket"] for a in acked} <= set(by_ticket)
