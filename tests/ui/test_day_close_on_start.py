"""The real window commands close the day when they start: a machine that was off at closing time.

A past day's tickets are left open in a real SQLite file (waiting, called, serving); then
``frontdesk kiosk`` and ``frontdesk staff`` start as real processes under Xvfb, and each must
close them by itself, at that day's closing time, before anyone touches the screen.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from config import load_config
from kiosk.core.model import Action, State
from kiosk.engine import Engine
from kiosk.store import open_store
from tests.conftest import REPO, Clock

UB = ZoneInfo("Asia/Ulaanbaatar")
PAST_MONDAY = "2026-11-30"
COMMANDS = {
    "kiosk": ["kiosk", "--windowed", "--size", "800x480"],
    "staff": ["staff", "--counter", "1", "--size", "800x480"],
}


def at(hh: int, mm: int = 0) -> float:
    return datetime.combine(date.fromisoformat(PAST_MONDAY), clock_time(hh, mm), UB).timestamp()


def left_open(url: str) -> None:
    """Monday's A001 waiting, A002 called, A003 being served: the branch went off before closing."""
    clock = Clock(at(17))
    engine = Engine(load_config(None), open_store(url), clock=clock)
    for _ in range(3):
        engine.issue("CASH")
    engine.act("A002", Action.CALL, counter=1, staff="Saraa")
    engine.act("A003", Action.CALL, counter=2, staff="Bat")
    engine.act("A003", Action.START)
    engine.store.close()


def closings(url: str) -> list[float]:
    store = open_store(url)
    try:
        _, periods = store.day_history(PAST_MONDAY)
    finally:
        store.close()
    return [p.started_at for p in periods if p.state is State.CLOSED_AT_END_OF_DAY]


@pytest.mark.gui
@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display: run under xvfb-run")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_window_command_closes_the_past_day_when_it_starts(tmp_path: Path, command: str):
    url = f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}"
    left_open(url)
    env = dict(os.environ, HOME=str(tmp_path), SDL_AUDIODRIVER="dummy", PYTHONPATH=str(REPO), FRONTDESK_CONFIG="")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", *COMMANDS[command], "--db", url],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        end = time.monotonic() + 120
        while len(closings(url)) < 3:
            assert proc.poll() is None, f"{command} ended: {proc.stderr.read()[-2000:]}"
            assert time.monotonic() < end, f"{command} did not close the past day"
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-2000:]
    assert closings(url) == [at(18)] * 3  # once each, at Monday's closing time, not at the start
