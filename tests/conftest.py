"""Shared fixtures: a real store on each engine, the example config, a settable clock.

PostgreSQL tests use the server named by FRONTDESK_TEST_PG_URL (``make test``
starts a scratch one on loopback); each test gets a schema of its own. Under pytest-xdist
(``make test`` runs two workers) each worker has a database of its own on that server, made
at its start and dropped at its end: the branch-wide write lock (an advisory lock) and the
change feed's NOTIFY channel are per database, so one worker's tests never wait for or hear
the other's.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import load_config

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "")
# the pytest-xdist worker this process is ("gw0", "gw1", …), empty when not run in parallel
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


# What makes a test slow here: a real Chromium or a web server process of its own
SLOW_FIXTURES = frozenset({"browser", "web_server"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Apply the declared markers by rule, so a new test is marked as its neighbours are:
    ``slow`` for real windows (``gui``) and real browsers or servers, ``postgres`` for every
    test that runs on PostgreSQL (``make test-fast`` leaves out both); then the files with
    the most slow tests go first (:func:`slow_files_first`)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & SLOW_FIXTURES or item.get_closest_marker("gui"):
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and "postgres" in callspec.params.values()
        if on_postgres or "pg_db" in fixtures:
            item.add_marker(pytest.mark.postgres)
    items[:] = slow_files_first(items)


def slow_files_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The files with the most slow tests first, each file's tests in their own order.

    ``--dist loadfile`` hands files to the workers in this order: a long file started last
    would run on alone at the end, on one core of two.
    """
    slow: dict[str, int] = {}
    for item in items:
        slow[item.path] = slow.get(item.path, 0) + bool(item.get_closest_marker("slow"))
    return sorted(items, key=lambda item: -slow[item.path])  # a stable sort: the rest keeps its order


def with_database(url: str, name: str) -> str:
    """The same PostgreSQL URL naming another database.

    >>> with_database("postgresql://fd@127.0.0.1:5432/frontdesk_test?sslmode=disable", "frontdesk_test_gw1")
    'postgresql://fd@127.0.0.1:5432/frontdesk_test_gw1?sslmode=disable'
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def worker_database_name(url: str, worker: str) -> str:
    """``frontdesk_test`` becomes ``frontdesk_test_gw0`` for worker gw0."""
    from urllib.parse import urlsplit

    return f"{urlsplit(url).path.lstrip('/')}_{worker}"


# the server's own URL, kept by a worker that made a database of its own there
SERVER_URL = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """Give this xdist worker a PostgreSQL database of its own (a leftover of a killed run is replaced)."""
    global PG_URL
    if not (PG_URL and WORKER):
        return
    import psycopg

    name = worker_database_name(PG_URL, WORKER)
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    config.stash[SERVER_URL] = PG_URL
    PG_URL = with_database(PG_URL, name)
    os.environ["FRONTDESK_TEST_PG_URL"] = PG_URL  # for the processes a test starts


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(SERVER_URL, "")
    if not server:
        return
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {worker_database_name(server, WORKER)} WITH (FORCE)")


class Clock:
    """A clock the test moves by hand (POSIX seconds)."""

    def __init__(self, start: float = 1_764_000_000.0):  # 2025-11-24 ~ 16:00 in Ulaanbaatar
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cfg():
    return load_config(None)


def pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def pg_schema() -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL schema of its own, dropped afterwards: (its URL, its name); skips without a server."""
    if not PG_URL:
        pytest.skip("PostgreSQL not available: set FRONTDESK_TEST_PG_URL (make test starts a server)")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(schema), schema
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """A fresh, empty database URL on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}"
        return
    with pg_schema() as (url, _schema):
        yield url


@pytest.fixture
def store(db_url):
    from kiosk.store import open_store

    s = open_store(db_url)
    yield s
    s.close()


@pytest.fixture
def engine(cfg, store, clock):
    from kiosk.engine import Engine

    return Engine(cfg, store, clock=clock)


# -- hypothesis: the same examples on every run --------------------------------------------------
# Every property test draws its examples from a fixed seed (derandomize), keeps no example database
# between runs and has no deadline (the machine is shared): a failure shows on every run, never
# now and then. A test's own @settings inherit this profile; a test that undoes it fails collection.
from hypothesis import settings as hypothesis_settings  # noqa: E402  (kept beside its use)

hypothesis_settings.register_profile("frontdesk", derandomize=True, database=None, deadline=None, max_examples=50)
hypothesis_settings.load_profile("frontdesk")


def pytest_collection_finish(session: pytest.Session) -> None:
    for item in session.items:
        own = getattr(getattr(item, "obj", None), "_hypothesis_internal_use_settings", None)
        if own is not None and not (own.derandomize and own.database is None and own.deadline is None):
            raise pytest.UsageError(f"{item.nodeid}: its @settings undo the suite's hypothesis profile (derandomize)")
