"""How long a command takes from start to exit: ``frontdesk queue --json`` on a small database.

    .venv/bin/python bench/bench_start.py [--runs 15]

A fresh database with a few tickets, then the command run N times as its own process;
prints the median and the spread. The goal (issue 12): median <= 0.4 s. Measured on a
machine shared with other work, so the spread says how much the figure can be trusted.
"""

from __future__ import annotations

import argparse
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
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            subprocess.run([*FRONTDESK, "queue", "--json", "--db", url], cwd=REPO, check=True, capture_output=True)
            times.append(time.perf_counter() - began)
    times.sort()
    print(
        f"frontdesk queue --json, {args.runs} runs: median {statistics.median(times):.3f} s"
        f" (fastest {times[0]:.3f} s, slowest {times[-1]:.3f} s); goal <= 0.4 s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
