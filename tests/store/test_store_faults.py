"""Migrations forward, and databases that are damaged, foreign, locked or unreachable."""

import sqlite3
import subprocess
import sys

import pytest

from kiosk.errors import StoreError
from kiosk.store import open_store
from kiosk.store.migrations import LATEST_VERSION


def test_a_first_version_database_is_upgraded_without_losing_tickets(db_url):
    old = open_store(db_url, migrate=False)
    old.migrate(upto=1)
    assert old.schema_version() == 1
    with old.writing("2026-11-24") as w:
        w.issue("A", "CASH", False, "mn", 100.0)
    old.close()

    upgraded = open_store(db_url)
    assert upgraded.schema_version() == LATEST_VERSION
    assert upgraded.find_ticket("2026-11-24", "A001").issued_at == 100.0
    upgraded.log_alert_changes([], [], 0.0)  # a version-2 table is there
    assert upgraded.open_alerts() == []


def test_opening_twice_migrates_once(db_url):
    open_store(db_url).close()
    again = open_store(db_url)
    assert again.schema_version() == LATEST_VERSION


def test_a_database_that_is_not_ours_is_left_alone(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
        conn.execute("INSERT INTO customers VALUES ('x')")
    with pytest.raises(StoreError, match="is not a frontdesk database"):
        open_store(str(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("customers",)]


def test_a_damaged_file_is_refused_and_not_rewritten(tmp_path):
    path = tmp_path / "damaged.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="damaged or is not a frontdesk database"):
        open_store(str(path))
    assert path.read_bytes() == garbage


def test_a_newer_schema_is_refused(tmp_path):
    url = str(tmp_path / "new.sqlite3")
    open_store(url).close()
    with sqlite3.connect(url) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="made by a newer frontdesk"):
        open_store(url)


def test_a_locked_database_says_so(tmp_path):
    url = str(tmp_path / "locked.sqlite3")
    open_store(url).close()
    holder = sqlite3.connect(url, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = open_store(url, migrate=False)
        store._conn.execute("PRAGMA busy_timeout = 200")
        with pytest.raises(StoreError, match="locked by another program"):
            with store.writing("2026-11-24") as w:
                w.issue("A", "CASH", False, None, 0.0)
    finally:
        holder.execute("ROLLBACK")
    store = open_store(url)
    assert store.live("2026-11-24") == []  # nothing half-written


def test_unreachable_postgres_is_a_clear_error_without_the_password():
    with pytest.raises(StoreError) as err:
        open_store("postgresql://clerk:s3cret@127.0.0.1:1/frontdesk")
    assert "cannot connect" in str(err.value) and "s3cret" not in str(err.value)


def test_cli_reports_store_faults_with_exit_4(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 200)
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "ticket", "new", "--service", "CASH", "--db", str(bad)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 4 and "damaged" in proc.stderr and "Traceback" not in proc.stderr
