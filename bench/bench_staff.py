"""Staff states benchmark: what recording the clerks' states costs. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_staff.py [--db URL] [--days 20]   (default: a SQLite file in a temp dir)

- a break tap (``Engine.set_staff_state``) to its durable commit, p50 / p99;
- ``Engine.snapshot`` (what every console reads each second, now with the clerks' states);
- the report over a generated month: four clerks at four counters, each day 240 tickets played
  through the real engine with calls, breaks and back office, with and without the per-staff
  state figures (the figures' share of the report's time).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from config import load_config
from kiosk.core.model import Action
from kiosk.core.staffing import StaffState
from kiosk.engine import Engine
from kiosk.reports import build_report, staff_figures
from kiosk.reports.report import day_bounds
from kiosk.store import open_store, staff_log

CLERKS = {1: "Saraa", 2: "Bold", 3: "Tuya", 4: "Anar"}
SERVICE_OF = {1: "CASH", 2: "ACCOUNTS", 3: "LOANS", 4: "COMPLAINT"}


class Clock:
    def __init__(self) -> None:
        self.now = 1_764_036_000.0  # 2025-11-25 10:00 in Ulaanbaatar

    def __call__(self) -> float:
        return self.now


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def play_day(engine: Engine, clock: Clock, day_start: float) -> None:
    """240 tickets over eight hours; each clerk serves, takes a lunch and a short break, does back office."""
    clock.now = day_start
    for counter, name in CLERKS.items():
        engine.sign_in(counter, name)
    for i in range(240):
        clock.now = day_start + i * 120
        counter = 1 + i % 4
        engine.issue(SERVICE_OF[counter])
        if i % 60 == 28 + counter - 1:  # every two hours per counter (i % 4 == counter - 1)
            engine.set_staff_state(counter, StaffState.ON_BREAK, "lunch" if i < 120 else "short_break")
            clock.now += 60
            engine.set_staff_state(counter, StaffState.SIGNED_IN)
        elif i % 40 == 20 + counter - 1:
            engine.set_staff_state(counter, StaffState.BACK_OFFICE)
            clock.now += 30
            engine.set_staff_state(counter, StaffState.SIGNED_IN)
        clock.now += 40
        called = engine.call_next(counter)
        if called is not None:
            engine.act(called.ticket.number, Action.START)
            clock.now += 50
            engine.act(called.ticket.number, Action.FINISH)
    for counter in CLERKS:
        engine.sign_out(counter)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="database URL (default: SQLite file in a temp dir)")
    parser.add_argument("--days", type=int, default=20)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    cfg = load_config(None)
    clock = Clock()
    engine = Engine(cfg, open_store(url), clock=clock)
    print(f"database: {engine.store.engine_name}")

    engine.sign_in(1, "Saraa")
    taps = []
    for i in range(200):
        clock.now += 10
        t = time.perf_counter()
        if i % 2 == 0:
            engine.set_staff_state(1, StaffState.ON_BREAK, "lunch")
        else:
            engine.set_staff_state(1, StaffState.SIGNED_IN)
        taps.append((time.perf_counter() - t) * 1000)
    print(f"break tap to durable commit: p50 {pct(taps, 50):.1f} ms, p99 {pct(taps, 99):.1f} ms (200 taps)")
    engine.sign_out(1)

    start = time.perf_counter()
    for d in range(args.days):
        play_day(engine, clock, 1_764_036_000.0 + d * 86_400)
    played = time.perf_counter() - start
    print(f"played {args.days} days of 240 tickets and 4 clerks in {played:.1f} s")

    for counter, name in CLERKS.items():
        engine.sign_in(counter, name)
    engine.issue("CASH")
    reads = []
    for _ in range(200):
        t = time.perf_counter()
        engine.snapshot()
        reads.append((time.perf_counter() - t) * 1000)
    print(f"snapshot with the clerks' states: p50 {pct(reads, 50):.2f} ms, p99 {pct(reads, 99):.2f} ms")

    tz = ZoneInfo(cfg.branch.timezone)
    first = datetime.fromtimestamp(1_764_036_000.0, tz).date()
    last = datetime.fromtimestamp(clock.now, tz).date()
    timings = []
    for _ in range(5):
        t = time.perf_counter()
        rep = build_report(engine.store, cfg, first, last, now=clock.now)
        timings.append(time.perf_counter() - t)
    states = []
    for _ in range(5):
        t = time.perf_counter()
        since, until = day_bounds(tz, first, last)
        staff_figures.staff_state_figures(
            staff_log.staff_periods(engine.store, since, until),
            staff_log.waiting_spans(engine.store, since, until),
            cfg.services_of_counter,
            since,
            until,
            lambda _at: clock.now,
        )
        states.append(time.perf_counter() - t)
    saraa = rep["by_staff"]["Saraa"]
    print(
        f"report over {args.days} days ({rep['totals']['arrived']} tickets): median {statistics.median(timings):.3f} s,"
        f" of which the per-staff state figures {statistics.median(states):.3f} s"
    )
    print(
        f"  e.g. Saraa: served {saraa['served']}, break {saraa['break_s']:.0f} s,"
        f" serving share {saraa['serving_share']}, idle while waiting {saraa['idle_while_waiting_s']:.0f} s"
    )
    engine.store.close()


if __name__ == "__main__":
    main()
