"""SIGTERM (``systemctl stop``) and SIGINT (Ctrl-C) stop every long-running command cleanly.

Each command runs as a real process (the windows under Xvfb); once it is up, it gets the
signal, and must exit 0 with nothing recorded lost: a ticket issued by another process
while it ran is still in the log, and the database is intact. How fast it stops is a
figure for ``bench/bench_shutdown.py``, not a condition here (the machine may be loaded).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED
from vision.models import model_dir

FRONTDESK = [sys.executable, "-m", "kiosk.cli"]
CLIP = SHARED / "footage" / "pets09_s2l1" / "vtest_480x360.avi"
WINDOWS = {
    "kiosk": ["kiosk", "--windowed", "--size", "800x480"],
    "staff": ["staff", "--counter", "1", "--size", "800x480"],
    "manager": ["manager", "--size", "800x480"],
    "counter-screen": ["counter-screen", "--counter", "1", "--windowed", "--size", "800x480"],
}
needs_display = pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display: run under xvfb-run")


def _env(tmp_path: Path) -> dict[str, str]:
    # a home of its own, but the camera's model where set-up put it
    return dict(
        os.environ,
        HOME=str(tmp_path),
        SDL_AUDIODRIVER="dummy",
        PYTHONPATH=str(REPO),
        FRONTDESK_CONFIG="",
        XDG_CACHE_HOME=str(model_dir().parents[1]),
    )


def _wait_for(condition, what: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the command ended before {what}: {proc.stderr.read()[-2000:]}")
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.05)


def _fd(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*FRONTDESK, *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.gui
@pytest.mark.slow
@needs_display
# SIGTERM to each window; SIGINT (the same handler) to the kiosk only: each run costs a window start
@pytest.mark.parametrize(
    "command,sig",
    [(command, signal.SIGTERM) for command in WINDOWS] + [("kiosk", signal.SIGINT)],
    ids=[*(f"{command}-SIGTERM" for command in WINDOWS), "kiosk-SIGINT"],
)
def test_a_window_command_stops_on_a_signal_exits_0_and_loses_nothing(tmp_path, command, sig):
    db = tmp_path / "frontdesk.sqlite3"
    url = f"sqlite:///{db}"
    env = _env(tmp_path)
    proc = subprocess.Popen(
        [*FRONTDESK, *WINDOWS[command], "--db", url], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        _wait_for(db.exists, "its engine opened the database", proc)  # opened from inside the app's loop
        issued = _fd("ticket", "new", "--service", "CASH", "--db", url, "--json", env=env)
        assert issued.returncode == 0, issued.stderr
        number = json.loads(issued.stdout)["ticket"]
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err and "terminate called" not in err
    queue = _fd("queue", "--db", url, "--json", env=env)
    assert queue.returncode == 0, queue.stderr
    assert [t["ticket"] for t in json.loads(queue.stdout)["waiting"]] == [number]


@pytest.mark.slow
@pytest.mark.skipif(not CLIP.exists(), reason=f"footage not found at {CLIP} (../shared/footage)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_vision_watch_stops_on_a_signal_after_the_frame_under_way(tmp_path, sig):
    import cv2

    cap = cv2.VideoCapture(str(CLIP))
    clip_s = cap.get(cv2.CAP_PROP_FRAME_COUNT) / cap.get(cv2.CAP_PROP_FPS)
    cap.release()
    url = f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}"
    env = _env(tmp_path)
    proc = subprocess.Popen(
        [*FRONTDESK, "vision", "watch", "--source", str(CLIP), "--db", url],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        first = proc.stdout.readline()  # the first observation: the loop is running
        assert first.startswith("{"), proc.stderr.read()[-2000:]
        proc.send_signal(sig)
        rest, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err and "terminate called" not in err
    printed = [json.loads(line) for line in [first, *rest.splitlines()] if line.startswith("{")]
    assert len(printed) < clip_s - 1  # it stopped early: the clip was not counted to its end
    logged = _fd("report", "--db", url, "--format", "json", env=env)
    assert logged.returncode == 0, logged.stderr


def _manager_stream(port: int):
    """The manager's live page's stream, signed in (cookies kept by an opener of its own)."""
    import http.cookiejar
    import re

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/manager/sign-in?lang=en", timeout=30).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf, "the sign-in page has no CSRF token"
    form = urllib.parse.urlencode({"name": "Oyun", "pin": "2580", "csrf": csrf.group(1)}).encode()
    opener.open(f"{base}/manager/sign-in", data=form, timeout=30)  # the redirect lands on /manager
    return opener.open(f"{base}/manager/events", timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize(
    "sig,page",
    [(signal.SIGTERM, "board"), (signal.SIGINT, "board"), (signal.SIGTERM, "manager")],
    ids=["SIGTERM-board", "SIGINT-board", "SIGTERM-manager"],
)
def test_the_web_server_stops_on_a_signal_with_a_page_streaming_and_exits_0(tmp_path, sig, page):
    url = f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}"
    env = _env(tmp_path)
    issued = _fd("ticket", "new", "--service", "CASH", "--db", url, env=env)  # the server opens an existing log
    assert issued.returncode == 0, issued.stderr
    pin = subprocess.run(
        [*FRONTDESK, "pin", "set", "--role", "manager", "--name", "Oyun", "--db", url],
        input="2580\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert pin.returncode == 0, pin.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [*FRONTDESK, "web", "--host", "127.0.0.1", "--port", str(port), "--db", url],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stream = None
    try:

        def streaming() -> bool:
            nonlocal stream
            try:
                if page == "board":
                    stream = urllib.request.urlopen(f"http://127.0.0.1:{port}/board/events", timeout=30)
                else:
                    stream = _manager_stream(port)
            except OSError:
                return False
            return stream.readline().startswith(b"retry:")

        _wait_for(streaming, f"the {page}'s live stream", proc)
        proc.send_signal(sig)  # the stream stays open: a TV's board never hangs up, nor a manager's tab
        _, err = proc.communicate(timeout=120)
        assert stream is not None
        stream.read()  # returns: the server closed the stream (an open one would time out and raise)
    finally:
        if stream is not None:
            stream.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-2000:]  # uvicorn alone would re-raise the signal (-15)
    assert "Traceback" not in err
