"""Engine benchmark: check-in latency to a durable commit, lifecycles per second,
and reading a busy day's live queue at start. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_engine.py [--db URL]   (default: a SQLite file in a temp dir)

Goals (issue 2): check-in p99 < 20 ms on SQLite; a 2,000-ticket day's queue read at start < 0.5 s
(the path the kiosk and the consoles run: open the store, read the day's open periods).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from config import load_config
from kiosk.core.model import Action
from kiosk.engine import Engine
from kiosk.store import open_store


class Clock:
    def __init__(self) -> None:
        self.now = 1_764_000_000.0

    def __call__(self) -> float:
        return self.now


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="database URL (default: SQLite file in a temp dir)")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    cfg = load_config(None)
    clock = Clock()
    engine = Engine(cfg, open_store(url), clock=clock)
    services = [s.code for s in cfg.services]

    # 1. check-in to durable commit (the ticket a customer is shown is on disk)
    latencies = []
    for i in range(500):
        clock.now += 5
        t0 = time.perf_counter()
        engine.issue(services[i % 3])
        latencies.append((time.perf_counter() - t0) * 1000)
    engine_name = "postgresql" if url.startswith("postgres") else "sqlite, synchronous=FULL"
    print(
        f"check-in to durable commit ({engine_name}): "
        f"p50 {pct(latencies, 50):.2f} ms, p99 {pct(latencies, 99):.2f} ms (goal p99 < 20 ms)"
    )

    # 2. full lifecycles: issue, call, start, finish
    n = 300
    t0 = time.perf_counter()
    for _ in range(n):
        clock.now += 1
        engine.issue("COMPLAINT")
        live = engine.call_next(counter=4)
        engine.act(live.ticket.number, Action.START)
        engine.act(live.ticket.number, Action.FINISH)
    rate = n / (time.perf_counter() - t0)
    print(f"full ticket lifecycles (issue, call, start, finish): {rate:.0f} per second")

    # 3. a busy day of 2,000 tickets, its live queue read at start
    day_clock = Clock()
    day_clock.now += 86400 * 3
    busy = Engine(cfg, engine.store, clock=day_clock)
    for i in range(2000):
        day_clock.now += 10
        busy.issue(services[i % 4])
        if i % 5 != 4:  # most are served; a queue is left at the end
            live = busy.call_next(counter=1 + i % 4)
            if live:
                busy.act(live.ticket.number, Action.START)
                busy.act(live.ticket.number, Action.FINISH)
    day = busy.day_of(day_clock())
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        restarted = Engine(cfg, open_store(url), clock=day_clock)
        live = restarted.store.live(day)
        runs.append(time.perf_counter() - t0)
        restarted.store.close()
    tickets, periods = busy.store.day_history(day)
    print(
        f"open the store and read a day's queue at start ({len(tickets)} tickets, {len(periods)} periods,"
        f" {len(live)} live): "
        f"median {statistics.median(runs) * 1000:.0f} ms (goal < 500 ms)"
    )


if __name__ == "__main__":
    main()
