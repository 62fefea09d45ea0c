"""How long a command takes from start to exit: ``frontdesk queue --json`` on a small database.

    .venv/bin/python bench/bench_start.py [--runs 15]

A fresh database with a few tickets, then the command run N times as its own process;
prints the median and the spread of the wall time and of the command's CPU time (user and
system, read from ``getrusage`` of the finished child): on a machine shared with other work the
CPU time is the figure to trust, the wall time says what a user waits. The goal (issue 12):
median <= 0.4 s. Pin it to one core: ``taskset -c 1 .venv/bin/python bench/bench_start.py``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FRONTDESK = [sys.executable, "-m", "kiosk.cli"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'small.sqlite3'}"
        for service in ("CASH", "CASH", "LOANS", "COMPLAINT"):
            subprocess.run(
                [*FRONTDESK, "ticket", "new", "--service", service, "--db", url],
                cwd=REPO,
                check=True,
                capture_output=True,
            )
        times, cpu_times = [], []
        for _ in range(args.runs):
            began, cpu_before = time.perf_counter(), children_cpu_s()
            subprocess.run([*FRONTDESK, "queue", "--json", "--db", url], cwd=REPO, check=True, capture_output=True)
            times.append(time.perf_counter() - began)
            cpu_times.append(children_cpu_s() - cpu_before)
    for what, figures in (("wall", times), ("CPU", cpu_times)):
        figures.sort()
        print(
            f"frontdesk queue --json, {args.runs} runs, {what}: median {statistics.median(figures):.3f} s"
            f" (fastest {figures[0]:.3f} s, slowest {figures[-1]:.3f} s); goal <= 0.4 s"
        )
    return 0


def children_cpu_s() -> float:
    """User and system CPU time of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
