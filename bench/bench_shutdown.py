"""Seconds from SIGTERM to exit for the long-running commands (goal: within 2 s, exit 0).

    xvfb-run -a .venv/bin/python bench/bench_shutdown.py      # the windows need a display

Each command starts as its own process on a fresh SQLite file; once it is up (its
engine opened the database; for ``vision watch`` its first observation; for ``web`` a
board's live stream open), SIGTERM,
and the time until the process has exited is printed with its exit code. Without a
display only ``vision watch`` is measured.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FRONTDESK = [sys.executable, "-m", "kiosk.cli"]
CLIP = REPO.parent / "shared" / "footage" / "pets09_s2l1" / "vtest_480x360.avi"
WINDOWS = {
    "kiosk": ["kiosk", "--windowed", "--size", "800x480"],
    "staff": ["staff", "--counter", "1", "--size", "800x480"],
    "manager": ["manager", "--size", "800x480"],
    "counter-screen": ["counter-screen", "--counter", "1", "--windowed", "--size", "800x480"],
}


def stop_time(args: list[str], ready, env: dict[str, str]) -> tuple[float, int]:
    proc = subprocess.Popen([*FRONTDESK, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        ready(proc)
        began = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        return time.perf_counter() - began, proc.returncode
    finally:
        if proc.poll() is None:
            proc.kill()


def web_run(tmp: Path, env: dict[str, str]) -> tuple[str, list[str], Callable[[subprocess.Popen[str]], None]]:
    """``frontdesk web`` on a database with a ticket, stopped while a board holds its live stream open."""
    url = f"sqlite:///{tmp / 'web.sqlite3'}"
    subprocess.run(
        [*FRONTDESK, "ticket", "new", "--service", "CASH", "--db", url], env=env, check=True, capture_output=True
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    streams: list[http.client.HTTPResponse] = []

    def up(_proc: subprocess.Popen[str]) -> None:
        while True:
            try:
                stream = urllib.request.urlopen(f"http://127.0.0.1:{port}/board/events", timeout=5)
            except OSError:
                time.sleep(0.05)
                continue
            streams.append(stream)  # stays open across the SIGTERM, as a TV's board would
            stream.readline()
            return

    return "web (1 board)", ["web", "--host", "127.0.0.1", "--port", str(port), "--db", url], up


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        # a home of its own, the camera's model where set-up put it
        cache = os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache"))
        env = dict(
            os.environ,
            HOME=tmp,
            XDG_CACHE_HOME=cache,
            SDL_AUDIODRIVER="dummy",
            FRONTDESK_CONFIG="",
            PYTHONPATH=str(REPO),
        )
        runs = []
        if os.environ.get("DISPLAY"):
            for name, args in WINDOWS.items():
                db = Path(tmp) / f"{name}.sqlite3"

                def up(_proc, db=db) -> None:
                    while not db.exists():
                        time.sleep(0.05)
                    time.sleep(1.0)  # past the first frames

                runs.append((name, [*args, "--db", f"sqlite:///{db}"], up))
        else:
            print("no display: the window commands are not measured (run under xvfb-run)")
        if CLIP.exists():
            runs.append(
                (
                    "vision watch",
                    ["vision", "watch", "--source", str(CLIP), "--db", f"sqlite:///{Path(tmp) / 'watch.sqlite3'}"],
                    lambda p: p.stdout.readline(),
                )
            )
        runs.append(web_run(Path(tmp), env))
        for name, args, ready in runs:
            seconds, code = stop_time(args, ready, env)
            print(f"{name:15} SIGTERM to exit {seconds:5.2f} s, exit code {code}  (goal: 2 s, 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
