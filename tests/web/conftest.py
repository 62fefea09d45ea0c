"""Fixtures for the web pages: a real ``frontdesk web`` in its own process, Debian's Chromium.

``web_server(db_url)`` starts the server on a free loopback port and waits until it
answers; ``browser`` is a headless Chromium (chromium-driver) that may play sound without
a tap, as the TV's kiosk mode runs it, started once a module (:class:`ChromiumPool`).
Clerks' actions go through ``frontdesk`` run as another process (:func:`frontdesk`), the
way a console on another machine writes the log.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO

FRONTDESK = [sys.executable, "-m", "kiosk.cli"]
ARTIFACTS = REPO / "test-artifacts" / "web"
WAIT_S = 60.0  # generous: the machine is shared, a spoken call lasts seconds; nothing here measures speed


def frontdesk(*args: str, db: str, config: Path | None = None) -> dict:
    """Run one ``frontdesk … --json`` command in another process; its JSON answer."""
    cmd = [*FRONTDESK, *args, "--db", db, "--json"]
    if config is not None:
        cmd += ["--config", str(config)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def frontdesk_here(*args: str, db: str, config: Path | None = None) -> dict:
    """Run one ``frontdesk … --json`` command in the test's own process; its JSON answer.

    For the tests whose other process is the web server: the command still reaches it only
    through the database, as from a console, without paying a process start (0.4 s of CPU)
    for each clerk's action. The tests of a write by another process use :func:`frontdesk`.
    """
    from kiosk.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = [*args, "--db", db, "--json", *(["--config", str(config)] if config is not None else [])]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    gc.collect()  # a command leaves its store to the end of the process: its connections end here
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class WebServer:
    db: str
    port: int
    log: Path
    config: Path | None = None
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "WebServer":
        cmd = [*FRONTDESK, "web", "--db", self.db, "--port", str(self.port)]
        if self.config is not None:
            cmd += ["--config", str(self.config)]
        out = self.log.open("a")
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        out.close()
        wait_for(self._answers, "the web server to answer")
        return self

    def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"frontdesk web exited: {self.log.read_text()}")
        try:
            return httpx.get(self.base + "/board.json", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def board(self) -> dict:
        return httpx.get(self.base + "/board.json", timeout=5).json()

    def log_lines(self, marker: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if marker in line]


def wait_for(condition: Callable[[], object], what: str, timeout: float = WAIT_S) -> object:
    """Poll ``condition`` until it is truthy; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def web_server(tmp_path) -> Iterator[Callable[..., WebServer]]:
    started: list[WebServer] = []

    def start(db: str, config: Path | None = None, port: int | None = None) -> WebServer:
        server = WebServer(db, port or free_port(), tmp_path / f"web-{len(started)}.log", config)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def seeded(db: str) -> str:
    """Create the database the way the kiosk does at its start (the web server only reads)."""
    from kiosk.store import open_store

    open_store(db).close()
    return db


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    return seeded(f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}")


@pytest.fixture
def any_db(db_url) -> str:
    """A fresh database on each engine (SQLite, and PostgreSQL when the suite has a server)."""
    return seeded(db_url)


@pytest.fixture
def pg_db() -> Iterator[str]:
    """A fresh PostgreSQL database (a schema of its own) whose connections are named ``fdweb``."""
    from tests.conftest import pg_schema

    with pg_schema() as (url, schema):
        yield seeded(pg_named(url, f"fdweb_{schema}"))


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


class ChromiumPool:
    """Headless Chromium windows started once per test module and handed to one test at a time.

    A start costs about 1.3 s of CPU and 1.5 s here, and a module's tests each opened one or
    two. Between tests a window is put back as a fresh one would be for what the pages use:
    on ``about:blank`` (the last page's streams and sound end), no cookies (a sign-in does not
    carry over: cookies are per host, not per port), an empty cache (a port may come again),
    a single tab; the size and the device metrics are set by each test's own ``open``.
    A window that cannot be put back is closed, and the next test starts another.
    """

    def __init__(self, paths: tuple[str, str], folder: Path) -> None:
        self.paths, self.folder = paths, folder
        self.free: list = []
        self.started = 0

    def open(self, width: int = 1920, height: int = 1080):
        driver = self.free.pop() if self.free else self._start(width, height)
        driver.set_window_size(width, height)
        # the window's outer size includes no chrome when headless, but set the page's own size exactly
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        return driver

    def _start(self, width: int, height: int):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = self.paths[0]
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--autoplay-policy=no-user-gesture-required",
            f"--window-size={width},{height}",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--lang=en",
            f"--user-data-dir={self.folder / f'chromium-{self.started}'}",
        ):
            options.add_argument(arg)
        self.started += 1
        return webdriver.Chrome(options=options, service=Service(self.paths[1]))

    def put_back(self, driver) -> None:
        try:
            for handle in driver.window_handles[1:]:
                driver.switch_to.window(handle)
                driver.close()
            driver.switch_to.window(driver.window_handles[0])
            driver.get("about:blank")
            driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        except Exception:  # a window left in a state we cannot undo: the next test gets a new one
            driver.quit()
            return
        self.free.append(driver)

    def close(self) -> None:
        for driver in self.free:
            driver.quit()
        self.free.clear()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory) -> Iterator[ChromiumPool]:
    paths = chromium_paths()
    if paths is None:
        pytest.skip("Debian's chromium and chromium-driver are not installed (scripts/system-deps.sh)")
    pool = ChromiumPool(paths, tmp_path_factory.mktemp("chromium"))
    yield pool
    pool.close()


@pytest.fixture
def browser(chromium: ChromiumPool) -> Iterator[Callable[..., object]]:
    """A factory of headless Chromium windows of a given size, each this test's alone until it ends."""
    opened = []

    def open_browser(width: int = 1920, height: int = 1080):
        driver = chromium.open(width, height)
        opened.append(driver)
        return driver

    yield open_browser
    for driver in opened:
        chromium.put_back(driver)


def pg_named(db: str, name: str) -> str:
    """The same PostgreSQL URL with its connections named, so that a test can end just those."""
    return f"{db}&application_name={name}" if "?" in db else f"{db}?application_name={name}"


def pg_terminate(name: str) -> int:
    """End every PostgreSQL connection named ``name`` (what a database restart does to them)."""
    import psycopg

    from tests.conftest import PG_URL

    with psycopg.connect(PG_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", (name,)
        ).fetchall()
    return len(rows)
