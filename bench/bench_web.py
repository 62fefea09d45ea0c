"""Web server benchmark: a clerk's tap in another process to the call on an open board, 100 open
boards and phone pages at once, a call's sound ready, and a long soak. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_web.py [--pg URL] [--calls 40] [--clients 100] [--minutes 0]

``frontdesk web`` runs in its own process on loopback; the clerk is another process (an
engine of its own, as a console on another machine) that calls the next ticket and notes
the moment of its tap; the boards are server-sent event streams (httpx), the transport the
board page itself uses. SQLite always; PostgreSQL with ``--pg`` (or ``FRONTDESK_TEST_PG_URL``).

The soak (``--minutes``) calls every ``--every`` s with one board open that fetches each new
call's sound once, as board.js does; it samples the server's RSS after every call and takes
the sample ``--warmup`` minutes in as the baseline (by then every bounded structure is full:
the sound cache holds the 10 listed calls after 100 s). ``--trace-memory FILE`` runs the
server under tracemalloc (bench/web_memtrace.py) to find what grows; not for the figures.

Goals (issue 13): tap -> board p95 <= 1 s on both databases; 100 boards and phone pages held
with page p95 <= 200 ms and no error; one hour with a call every 10 s: memory flat (+-10 %),
no call missed or doubled; a call's sound ready <= 200 ms after the call.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the clerk: another process with its own engine ------------------------------------------------


def clerk(url: str, orders: "mp.connection.Connection") -> None:
    """Issue and call on request; answer with the tap's moment (just before the call is written)."""
    from config import load_config
    from kiosk.core.model import Action
    from kiosk.engine import Engine
    from kiosk.store import open_store

    engine = Engine(load_config(None), open_store(url))
    while True:
        order = orders.recv()
        if order == "stop":
            return
        if order == "issue":
            issued = engine.issue("CASH", language="en")
            orders.send((issued.ticket.number, issued.status_token))
        elif order == "call":
            tap = time.time()
            live = engine.call_next(1)
            assert live is not None, "nobody to call"
            orders.send((tap, live.ticket.number, live.ticket.id, live.period.seq))
            engine.act(live.ticket.number, Action.START)  # off the board's "now" list, as a clerk would


class Clerk:
    def __init__(self, url: str) -> None:
        self.pipe, child = mp.Pipe()
        self.proc = mp.get_context("spawn").Process(target=clerk, args=(url, child), daemon=True)
        self.proc.start()

    def ask(self, order: str):
        self.pipe.send(order)
        return self.pipe.recv()

    def stop(self) -> None:
        self.pipe.send("stop")
        self.proc.join(10)


# -- the server --------------------------------------------------------------------------------------


class Server:
    def __init__(self, url: str, log: Path, trace: Path | None = None, trace_every_s: float = 60) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        web = ["web", "--db", url, "--port", str(self.port)]
        # --trace-memory: the same server under tracemalloc (bench/web_memtrace.py), for diagnosis only
        command = (
            [sys.executable, str(REPO / "bench" / "web_memtrace.py"), str(trace), str(trace_every_s), "--", *web]
            if trace
            else [sys.executable, "-m", "kiosk.cli", *web]
        )
        with log.open("w") as out:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        deadline = time.monotonic() + 120  # generous: a loaded machine, or the server under tracemalloc
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/board.json", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.proc.kill()
        raise SystemExit(f"the server did not start: {log.read_text()}")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def sound_ready(self) -> list[float]:
        return [
            float(line.split("ready_after_call_s=")[1].split()[0])
            for line in self.log.read_text().splitlines()
            if "ready_after_call_s=" in line
        ]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


async def board_events(client: httpx.AsyncClient, base: str, path: str, on_event) -> None:
    async with client.stream("GET", base + path, timeout=None) as response:
        data = None
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                data = line[6:]
            elif line == "" and data is not None:
                on_event(json.loads(data), time.time())
                data = None


# -- tap -> board -------------------------------------------------------------------------------------


async def tap_to_board(server: Server, clerk_: Clerk, calls: int) -> dict[str, float]:
    arrivals: dict[str, float] = {}

    def seen(board: dict, at: float) -> None:
        for call in board.get("called", []):
            arrivals.setdefault(call["id"], at)

    lat, sound = [], []
    async with httpx.AsyncClient() as client:
        listener = asyncio.create_task(board_events(client, server.base, "/board/events", seen))
        await asyncio.sleep(1.0)
        for _ in range(calls):
            await asyncio.to_thread(clerk_.ask, "issue")
            tap, _number, ticket_id, seq = await asyncio.to_thread(clerk_.ask, "call")
            key = f"{ticket_id}-{seq}"
            deadline = time.time() + 10
            while key not in arrivals and time.time() < deadline:
                await asyncio.sleep(0.002)
            if key in arrivals:
                lat.append(arrivals[key] - tap)
                r = await client.get(f"{server.base}/board/sound/{key}.wav")
                sound.append(time.time() - tap if r.status_code == 200 else float("nan"))
            await asyncio.sleep(0.3)
        listener.cancel()
    return {
        "n": len(lat),
        "missed": calls - len(lat),
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "max": max(lat),
        "sound_fetched_p95": pct(sound, 95),
    }


# -- many clients --------------------------------------------------------------------------------------


async def many_clients(server: Server, clerk_: Clerk, clients: int, seconds: float) -> dict[str, float]:
    tokens = [(await asyncio.to_thread(clerk_.ask, "issue"))[1] for _ in range(clients // 2 + 20)]
    errors = 0
    events = 0
    page_times: list[float] = []

    def count(_data: dict, _at: float) -> None:
        nonlocal events
        events += 1

    limits = httpx.Limits(max_connections=clients + 20, max_keepalive_connections=clients + 20)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        streams = []
        for i in range(clients):
            path = "/board/events" if i % 2 == 0 else f"/t/{tokens[i // 2]}/events"
            streams.append(asyncio.create_task(board_events(client, server.base, path, count)))
        await asyncio.sleep(2.0)
        end = time.monotonic() + seconds
        next_call = time.monotonic()
        i = 0
        while time.monotonic() < end:
            if time.monotonic() >= next_call:
                await asyncio.to_thread(clerk_.ask, "call")
                next_call += 1.0
            path = ("/board", "/board.json", f"/t/{tokens[-1 - i % 20]}", f"/t/{tokens[-1 - i % 20]}.json")[i % 4]
            i += 1
            start = time.perf_counter()
            try:
                r = await client.get(server.base + path)
                if r.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            page_times.append(time.perf_counter() - start)
            await asyncio.sleep(0.05)
        broken = sum(1 for s in streams if s.done())
        for s in streams:
            s.cancel()
    return {
        "streams": clients,
        "broken_streams": broken,
        "events": events,
        "pages": len(page_times),
        "page_p50_ms": pct(page_times, 50) * 1000,
        "page_p95_ms": pct(page_times, 95) * 1000,
        "errors": errors,
    }


# -- the 404s tell nothing ---------------------------------------------------------------------------


def expire_one(url: str, token: str) -> None:
    """Move the ticket of ``token`` to another day, as if it had been issued yesterday."""
    sql = "UPDATE ticket SET day = '2000-01-01' WHERE id = (SELECT ticket_id FROM status_token WHERE token = {})"
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.format("%s"), (token,))
        return
    import sqlite3

    from kiosk.store.sql import sqlite_path

    conn = sqlite3.connect(sqlite_path(url))
    with conn:
        conn.execute(sql.format("?"), (token,))
    conn.close()


async def not_found_timing(server: Server, clerk_: Clerk, url: str, rounds: int = 300) -> dict[str, float]:
    _number, token = await asyncio.to_thread(clerk_.ask, "issue")
    await asyncio.to_thread(expire_one, url, token)
    paths = {"expired token": f"/t/{token}", "unknown token": "/t/" + "Q" * 22, "wrong address": "/nowhere/at-all"}
    times: dict[str, list[float]] = {name: [] for name in paths}
    async with httpx.AsyncClient() as client:
        for _ in range(rounds):
            for name, path in paths.items():  # interleaved, so that load falls on all alike
                start = time.perf_counter()
                r = await client.get(server.base + path)
                times[name].append(time.perf_counter() - start)
                assert r.status_code == 404
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


# -- soak ----------------------------------------------------------------------------------------------


async def soak(server: Server, clerk_: Clerk, minutes: float, every_s: float, name: str, report_min: float) -> dict:
    """A call every ``every_s``; one board that fetches each new call's sound once, as board.js does.

    RSS is sampled after every call and printed every ``report_min`` minutes while it runs.
    """
    shown: set[str] = set()
    doubled: set[str] = set()  # a call listed twice in one board, or one tap shown under two ids
    ids_by_ticket: dict[str, set[str]] = {}
    to_fetch: asyncio.Queue[str] = asyncio.Queue()
    primed = False

    def seen(board: dict, _at: float) -> None:
        nonlocal primed
        ids = [call["id"] for call in board.get("called", [])]
        doubled.update(i for i in ids if ids.count(i) > 1)
        for call in board.get("called", []):
            ids_by_ticket.setdefault(call["ticket"], set()).add(call["id"])
            if call["id"] not in shown:
                shown.add(call["id"])
                if primed:  # new to this board: it plays the call's sound once (not those listed when it opened)
                    to_fetch.put_nowait(call["id"])
        primed = True

    sounds = {"fetched": 0, "failed": 0, "bytes": 0}

    async def fetch_sounds(client: httpx.AsyncClient) -> None:
        while True:
            key = await to_fetch.get()
            r = await client.get(f"{server.base}/board/sound/{key}.wav")
            if r.status_code == 200:
                sounds["fetched"] += 1
                sounds["bytes"] += len(r.content)
            else:
                sounds["failed"] += 1

    made: list[tuple[str, str]] = []  # (ticket number, call id) of every tap
    begun = time.monotonic()
    samples: list[tuple[float, float]] = [(0.0, server.rss_mb())]  # (minutes into the soak, RSS MB)
    next_report = report_min
    async with httpx.AsyncClient() as client:
        listener = asyncio.create_task(board_events(client, server.base, "/board/events", seen))
        fetcher = asyncio.create_task(fetch_sounds(client))
        end = begun + minutes * 60
        next_call = begun
        while time.monotonic() < end:
            await asyncio.to_thread(clerk_.ask, "issue")
            _tap, number, ticket_id, seq = await asyncio.to_thread(clerk_.ask, "call")
            made.append((number, f"{ticket_id}-{seq}"))
            next_call += every_s  # a steady rate, whatever the clerk's own time
            await asyncio.sleep(max(0.0, next_call - time.monotonic()))
            at = (time.monotonic() - begun) / 60
            samples.append((at, server.rss_mb()))
            if at >= next_report:
                next_report += report_min
                print(
                    f"{name}: soak {at:5.1f} min: {len(made)} calls, RSS {samples[-1][1]:.1f} MB, "
                    f"sounds fetched {sounds['fetched']}",
                    flush=True,
                )
        await asyncio.sleep(2)
        listener.cancel()
        fetcher.cancel()
    missed = [key for _number, key in made if key not in shown]
    doubled.update(key for number, key in made if len(ids_by_ticket.get(number, ())) > 1)
    return {"calls": len(made), "missed": len(missed), "doubled": len(doubled), "samples": samples, **sounds}


def rss_at(samples: list[tuple[float, float]], minute: float) -> float:
    """The first RSS sample at or after ``minute`` into the soak (the last one if none)."""
    return next((rss for at, rss in samples if at >= minute), samples[-1][1])


def print_soak(name: str, s: dict, args: argparse.Namespace) -> None:
    samples = s["samples"]
    base = rss_at(samples, args.warmup)  # the baseline: once the bounded caches are full (see docs/web.md)
    after = [rss for at, rss in samples if at >= args.warmup] or [base]
    marks = [m for m in range(10, int(args.minutes) + 1, 10)]
    print(
        f"{name}: soak {args.minutes:g} min, a call every {args.every:g} s: {s['calls']} calls, "
        f"missed {s['missed']}, doubled {s['doubled']}; sounds fetched {s['fetched']} "
        f"({s['bytes'] / 1e6:.1f} MB served), failed {s['failed']}"
    )
    print(
        f"{name}: RSS {samples[0][1]:.1f} MB at start, {base:.1f} after {args.warmup:g} min warm-up, "
        + ", ".join(f"{rss_at(samples, m):.1f} at {m} min" for m in marks)
        + f", {samples[-1][1]:.1f} at end; after warm-up min {min(after):.1f} max {max(after):.1f} "
        f"({(max(after) - base) / base * 100:+.1f} % / {(min(after) - base) / base * 100:+.1f} % of the baseline; "
        f"end {(samples[-1][1] - base) / base * 100:+.1f} %)"
    )


def fresh_pg(url: str) -> str:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def run_one(name: str, url: str, args: argparse.Namespace, folder: Path) -> None:
    from kiosk.store import open_store

    open_store(url).close()  # the database exists, as the kiosk makes it
    trace = (
        args.trace_memory.with_name(f"{args.trace_memory.stem}-{name}{args.trace_memory.suffix}")
        if args.trace_memory
        else None
    )
    server = Server(url, folder / f"web-{name}.log", trace, args.trace_every)
    clerk_ = Clerk(url)
    try:
        tap = asyncio.run(tap_to_board(server, clerk_, args.calls))
        print(
            f"{name}: tap -> board (other process), {tap['n']} calls: p50 {tap['p50'] * 1000:.0f} ms, "
            f"p95 {tap['p95'] * 1000:.0f} ms, max {tap['max'] * 1000:.0f} ms, missed {tap['missed']}"
        )
        ready = server.sound_ready()
        if ready:
            print(
                f"{name}: sound rendered after the call: p50 {pct(ready, 50) * 1000:.0f} ms, "
                f"p95 {pct(ready, 95) * 1000:.0f} ms; "
                f"tap -> sound fetched p95 {tap['sound_fetched_p95'] * 1000:.0f} ms"
            )
        if args.not_found:
            nf = asyncio.run(not_found_timing(server, clerk_, url))
            print(f"{name}: 404 median: " + ", ".join(f"{k} {v:.2f} ms" for k, v in nf.items()))
        if args.clients:
            many = asyncio.run(many_clients(server, clerk_, args.clients, args.seconds))
            print(
                f"{name}: {many['streams']} open boards and phone pages for {args.seconds:.0f} s, a call a second: "
                f"{many['events']} events, {many['pages']} page loads p50 {many['page_p50_ms']:.0f} ms, "
                f"p95 {many['page_p95_ms']:.0f} ms, errors {many['errors']}, "
                f"broken streams {many['broken_streams']}, server RSS {server.rss_mb():.0f} MB"
            )
        if args.minutes:
            s = asyncio.run(soak(server, clerk_, args.minutes, args.every, name, args.report))
            print_soak(name, s, args)
    finally:
        clerk_.stop()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("FRONTDESK_TEST_PG_URL", ""), help="PostgreSQL URL")
    parser.add_argument("--calls", type=int, default=40, help="calls timed from tap to board")
    parser.add_argument("--clients", type=int, default=100, help="open boards and phone pages (0: skip)")
    parser.add_argument("--seconds", type=float, default=30, help="how long the clients stay open")
    parser.add_argument("--minutes", type=float, default=0, help="soak for this long (0: skip)")
    parser.add_argument("--every", type=float, default=10, help="soak: seconds between calls")
    parser.add_argument("--warmup", type=float, default=5, help="soak: minutes before the RSS baseline")
    parser.add_argument("--report", type=float, default=5, help="soak: print RSS every this many minutes")
    parser.add_argument(
        "--trace-memory",
        metavar="FILE",
        type=Path,
        help="diagnosis: run the server under tracemalloc, its growth every --trace-every s into FILE",
    )
    parser.add_argument("--trace-every", type=float, default=60, help="seconds between tracemalloc samples")
    parser.add_argument("--not-found", action="store_true", help="time the 404s of expired, unknown, wrong")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        folder = Path(tmp)
        if args.only in (None, "sqlite"):
            run_one("sqlite", f"sqlite:///{folder / 'frontdesk.sqlite3'}", args, folder)
        if args.only in (None, "postgresql"):
            if args.pg:
                run_one("postgresql", fresh_pg(args.pg), args, folder)
            else:
                print("postgresql: skipped (no --pg URL and no FRONTDESK_TEST_PG_URL)")


if __name__ == "__main__":
    main()
