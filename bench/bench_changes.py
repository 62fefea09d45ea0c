"""Changes pushed, not polled (issue 14): a change at one console -> seen by another process's
console. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_changes.py [--pg URL] [--rounds 40] [--only sqlite|postgresql]

Two processes, each with its own engine and connection, as two counters on two machines:

- the *clerk* process writes: issues a ticket (as the kiosk or a console would), or acknowledges
  the alerts in force (at counter 1), and notes the moment just before the write;
- the *console* process is counter 2's console without a window: StaffConsole fed by
  LiveUpdates and the change feed (kiosk.store.changes), exactly as the app wires them (the app
  adds one hop to Kivy's thread, at most a frame); it notes the moment its presenter first shows
  the change: the new number in its queue, or the alert banner gone after the acknowledgement.

Latency = console's moment - clerk's moment (one machine, one clock). SQLite always; PostgreSQL
with ``--pg`` (or ``FRONTDESK_TEST_PG_URL``). Goal: p95 <= 300 ms on both.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TARGET_WAIT_S = 1  # every service's target wait in this bench: a ticket breaches after a second
WAIT_S = 30.0


def bench_config():
    from config import load_config

    cfg = load_config(None)
    services = [s.model_copy(update={"target_wait_s": TARGET_WAIT_S}) for s in cfg.services]
    return cfg.model_copy(update={"services": services})


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def console_process(url: str, conn) -> None:
    """Counter 2's console: answers when (wall clock) it first showed a number, or the banner gone."""
    from kiosk.engine import Engine
    from kiosk.i18n import Translator
    from kiosk.store import open_store
    from kiosk.store.changes import ChangeFeed
    from kiosk.ui.backend import EngineHandle, InlineRunner
    from kiosk.ui.live_updates import LiveUpdates
    from kiosk.ui.staff_console import StaffConsole

    cfg = bench_config()
    handle = EngineHandle(lambda: Engine(cfg, open_store(url)))
    run = InlineRunner(handle)
    console = StaffConsole(cfg, 2, Translator.load(), "en", run)
    console.sign_in("bench")
    shown: dict[str, float] = {}
    quiet: list[float] = []  # moments the banner went (unacknowledged -> acknowledged)
    loud = [False]

    def redrawn() -> None:
        now = time.time()
        for row in console.rows:
            shown.setdefault(row.number, now)
        if loud[0] and not console.unacknowledged:
            quiet.append(now)
        loud[0] = console.unacknowledged

    console.subscribe(redrawn)
    live = LiveUpdates(run, console=console)
    feed = ChangeFeed(url, on_change=live.changed, on_status=live.link)
    feed.start()
    while not feed.connected:
        time.sleep(0.01)
    conn.send("ready")
    while (order := conn.recv()) is not None:
        what, arg = order
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if what == "shown" and arg in shown:
                conn.send(shown[arg])
                break
            if what == "loud" and loud[0]:
                conn.send(True)
                break
            if what == "quiet" and len(quiet) > arg:
                conn.send(quiet[arg])
                break
            time.sleep(0.002)
        else:
            conn.send(None)
    feed.stop()


def run_one(name: str, url: str, rounds: int) -> None:
    from kiosk.engine import Engine
    from kiosk.store import open_store

    engine = Engine(bench_config(), open_store(url))  # the clerk: this process
    ctx = mp.get_context("spawn")
    here, there = ctx.Pipe()
    proc = ctx.Process(target=console_process, args=(url, there), daemon=True)
    proc.start()
    try:
        assert here.recv() == "ready"
        issued, acked, missed = [], [], 0
        for _ in range(rounds):  # a ticket issued here -> in the other console's queue
            time.sleep(random.uniform(0.1, 0.3))  # apart, so that changes do not fold into one read
            tapped = time.time()
            number = engine.issue("CASH").ticket.number
            here.send(("shown", number))
            seen = here.recv()
            if seen is None:
                missed += 1
            else:
                issued.append(seen - tapped)
        for _ in range(rounds // 2):  # an acknowledgement at counter 1 -> the banner gone at counter 2
            engine.issue("CASH")
            time.sleep(TARGET_WAIT_S + 0.2)
            engine.tick()  # counter 1's console raises the breach of the newest ticket
            here.send(("loud", None))
            if here.recv() is None:
                missed += 1
                continue
            time.sleep(random.uniform(0.1, 0.3))
            tapped = time.time()
            engine.acknowledge_alerts(counter=1)
            here.send(("quiet", len(acked)))
            seen = here.recv()
            if seen is None:
                missed += 1
            else:
                acked.append(seen - tapped)
        for label, values in (
            ("ticket issued -> other console's queue", issued),
            ("acknowledged -> other console", acked),
        ):
            print(
                f"{name}: {label}, {len(values)} changes: p50 {pct(values, 50) * 1000:.0f} ms, "
                f"p95 {pct(values, 95) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
            )
        print(f"{name}: changes not seen within {WAIT_S:.0f} s: {missed}")
    finally:
        here.send(None)
        proc.join(timeout=10)
        if proc.is_alive():
            proc.terminate()
        engine.store.close()


def fresh_pg(url: str) -> str:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("FRONTDESK_TEST_PG_URL", ""), help="PostgreSQL URL")
    parser.add_argument("--rounds", type=int, default=40, help="tickets timed (half as many acknowledgements)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="bench-changes-") as tmp:
        if args.only in (None, "sqlite"):
            run_one("sqlite", f"sqlite:///{Path(tmp) / 'frontdesk.sqlite3'}", args.rounds)
        if args.only in (None, "postgresql"):
            if args.pg:
                run_one("postgresql", fresh_pg(args.pg), args.rounds)
            else:
                print("postgresql: skipped (no --pg URL and no FRONTDESK_TEST_PG_URL)")


if __name__ == "__main__":
    main()
