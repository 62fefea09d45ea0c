"""The hall board in a real Chromium while the database or the server is away.

The board says "reconnecting", keeps its calls, and comes back by itself, neither missing
nor doubling a call made meanwhile. Generous timeouts, no timing asserted.
"""

from __future__ import annotations

import shutil

import pytest

from tests.web.board_support import current_calls, open_board, sounds
from tests.web.conftest import frontdesk_here, pg_terminate, wait_for


def test_board_says_reconnecting_while_the_sqlite_file_is_away_and_recovers(sqlite_db, web_server, browser, tmp_path):
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=sqlite_db)
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=sqlite_db)
    frontdesk_here("call", "--counter", "1", db=sqlite_db)
    server = web_server(sqlite_db)
    driver = open_board(browser, server)
    assert current_calls(driver) == ["A001→Counter 1"]
    path = sqlite_db.removeprefix("sqlite://")
    away = tmp_path / "away"
    away.mkdir()
    for suffix in ("", "-wal", "-shm"):
        if (src := tmp_path / ("frontdesk.sqlite3" + suffix)).exists():
            shutil.move(src, away / src.name)
    assert not (tmp_path / "frontdesk.sqlite3").exists() and path.endswith("frontdesk.sqlite3")
    wait_for(
        lambda: driver.execute_script("return !document.getElementById('status').hidden"),
        "the board to say it is reconnecting",
    )
    assert driver.find_element("id", "status").text == "Дахин холбогдож байна…"  # the default language: mn
    assert current_calls(driver) == ["A001→Counter 1"]  # the last calls stay
    for f in away.iterdir():
        shutil.move(f, tmp_path / f.name)
    wait_for(lambda: driver.execute_script("return document.getElementById('status').hidden"), "the board to be back")
    frontdesk_here("call", "--counter", "2", db=sqlite_db)
    wait_for(lambda: len(current_calls(driver)) == 2, "the next call after the database came back")
    wait_for(lambda: [s for s in sounds(driver) if s["event"] == "ended"], "the new call's sound")
    assert [s["ticket"] for s in sounds(driver) if s["event"] == "ended"] == ["A002"]


def test_board_recovers_after_the_server_restarts_without_missing_or_doubling(sqlite_db, web_server, browser):
    for _ in range(3):
        frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=sqlite_db)
    server = web_server(sqlite_db)
    driver = open_board(browser, server)
    frontdesk_here("call", "--counter", "1", db=sqlite_db)
    wait_for(lambda: len([s for s in sounds(driver) if s["event"] == "ended"]) == 1, "the first call's sound")
    server.stop()
    wait_for(
        lambda: driver.execute_script("return !document.getElementById('status').hidden"),
        "the board to say it is reconnecting",
    )
    assert current_calls(driver) == ["A001→Counter 1"]
    frontdesk_here("call", "--counter", "2", db=sqlite_db)  # called while the server was down
    server.start()
    wait_for(lambda: len(current_calls(driver)) == 2, "the call made while the server was away")
    wait_for(lambda: len([s for s in sounds(driver) if s["event"] == "ended"]) == 2, "its sound")
    assert [s["ticket"] for s in sounds(driver) if s["event"] == "ended"] == ["A001", "A002"]
    assert driver.execute_script("return document.getElementById('status').hidden")


@pytest.mark.postgres
def test_board_recovers_after_postgres_drops_its_connections(pg_db, web_server, browser):
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=pg_db)
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=pg_db)
    server = web_server(pg_db)
    driver = open_board(browser, server)
    frontdesk_here("call", "--counter", "1", db=pg_db)
    wait_for(lambda: current_calls(driver), "the first call")
    name = pg_db.rsplit("application_name=", 1)[1]
    assert pg_terminate(name) >= 2  # the web server's reading connection and its LISTEN connection
    wait_for(lambda: server.log_lines("lost the database"), "the server to notice")
    frontdesk_here("call", "--counter", "2", db=pg_db)
    wait_for(lambda: len(current_calls(driver)) == 2, "the call after the connections were dropped")
    assert sorted(current_calls(driver)) == ["A001→Counter 1", "A002→Counter 2"]
    wait_for(lambda: len([s for s in sounds(driver) if s["event"] == "ended"]) == 2, "both calls' sounds")
    assert [s["ticket"] for s in sounds(driver) if s["event"] == "ended"] == ["A001", "A002"]
