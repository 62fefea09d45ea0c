"""Manager's web benchmark: ``/manager`` reports over the real two weeks. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_manager.py [--tsv PATH] [--runs 20] [--pg URL]

The real Anonymous Bank log (``../shared/queue-logs/``) is converted and imported with the
commands a branch uses (``frontdesk log convert``, ``frontdesk log import --skip-bad``) into
a fresh database; ``frontdesk web`` runs in its own process on loopback; a manager signs in
(scrypt, the lock's count written) and asks for each page as the browser does (httpx, one
client, the whole answer read): the month's report page (its own figures, the tiles, the
report's printable page embedded), the week's and a day's, and the month's CSV/JSON files.
The time is the client's, from request to the last byte. SQLite always; PostgreSQL with
``--pg`` (or ``FRONTDESK_TEST_PG_URL``).

Goal (issue 14): the ``/manager`` month report over the real two weeks, p95 <= 1 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
BANK_TSV = REPO.parent / "shared" / "queue-logs" / "anonymous_bank_1999_02_01-14.tsv"
FRONTDESK = [sys.executable, "-m", "kiosk.cli"]
PAGES = {
    "month report page": "/manager/report?period=month&date=1999-02-01",
    "week report page": "/manager/report?period=week&date=1999-02-08",
    "day report page": "/manager/report?period=day&date=1999-02-09",
    "month figures CSV": "/manager/report.csv?period=month&date=1999-02-01",
    "month report JSON": "/manager/report.json?period=month&date=1999-02-01",
    "month visits CSV": "/manager/visits.csv?period=month&date=1999-02-01",
}


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args: str, db: str) -> str:
    done = subprocess.run([*FRONTDESK, *args, "--db", db], capture_output=True, text=True, cwd=REPO, check=True)
    return (done.stdout + done.stderr).strip().splitlines()[-1]


def fresh_pg(url: str) -> str:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def load(db: str, tsv: Path, folder: Path) -> None:
    from kiosk.store import open_store
    from kiosk.store.pins import PinStore

    store = open_store(db)  # the database as the kiosk makes it
    PinStore(store).set_pin("manager", "Oyun", "2580")
    store.close()
    csv_path = folder / "bank.csv"
    started = time.perf_counter()
    converted = subprocess.run(
        [*FRONTDESK, "log", "convert", str(tsv), "--out", str(csv_path), "--skip-bad"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    print(f"  convert: {converted.stderr.splitlines()[0]}")
    print(f"  import: {run('log', 'import', str(csv_path), '--skip-bad', db=db)}")
    print(f"  convert + import (two processes): {time.perf_counter() - started:.1f} s")


def bench(name: str, db: str, tsv: Path, runs: int, folder: Path) -> None:
    print(f"{name}:")
    load(db, tsv, folder)
    port = free_port()
    log = (folder / f"web-{name}.log").open("w")
    server = subprocess.Popen([*FRONTDESK, "web", "--db", db, "--port", str(port)], stdout=log, stderr=log, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/board.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"{name}: frontdesk web did not answer")
            time.sleep(0.1)
        with httpx.Client(base_url=base, follow_redirects=False, timeout=60) as c:
            page = c.get("/manager/sign-in?lang=en").text
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            started = time.perf_counter()
            signed = c.post("/manager/sign-in", data={"name": "Oyun", "pin": "2580", "csrf": token})
            assert signed.status_code == 303, signed.text
            print(f"  sign-in (scrypt + the lock's write): {(time.perf_counter() - started) * 1000:.0f} ms")
            first = c.get(PAGES["month report page"])
            arrived = re.search(r'<div class="v">([\d,]+)</div><div class="l">Arrived', first.text)
            shown = arrived.group(1) if arrived else "?"
            print(f"  the month's page: {len(first.content) / 1024:.0f} KiB, arrived {shown}")
            for label, path in PAGES.items():
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    answer = c.get(path)
                    answer.read()
                    times.append(time.perf_counter() - started)
                    assert answer.status_code == 200, (path, answer.status_code)
                print(
                    f"  {label}: {runs} runs p50 {statistics.median(times) * 1000:.0f} ms,"
                    f" p95 {pct(times, 95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=BANK_TSV)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pg", default=os.environ.get("FRONTDESK_TEST_PG_URL", ""), help="PostgreSQL URL")
    args = parser.parse_args()
    if not args.tsv.is_file():
        print(f"skipped: the real queue log is not here ({args.tsv}); see ../shared/queue-logs/README.md")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench("sqlite", f"sqlite:///{folder / 'bench.sqlite3'}", args.tsv, args.runs, folder)
        if args.pg:
            bench("postgresql", fresh_pg(args.pg), args.tsv, args.runs, folder)
        else:
            print("postgresql: skipped (no --pg URL and no FRONTDESK_TEST_PG_URL)")


if __name__ == "__main__":
    main()
