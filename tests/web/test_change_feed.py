"""The change feed (kiosk.store.changes) on both engines: a write by another process is heard,
the database going away is reported and survived; and the web's reading side of the store."""

from __future__ import annotations

import shutil
import threading

import pytest

from config import load_config
from kiosk.core.model import Action
from kiosk.engine import Engine
from kiosk.errors import StoreError
from kiosk.store import estimate_log, open_store
from kiosk.store.changes import ChangeFeed
from tests.web.conftest import frontdesk, wait_for


class Heard:
    def __init__(self) -> None:
        self.changes = 0
        self.status: list[bool] = []
        self.lock = threading.Lock()

    def change(self) -> None:
        with self.lock:
            self.changes += 1

    def link(self, up: bool) -> None:
        self.status.append(up)


def test_feed_hears_a_write_from_another_process(any_db):
    heard = Heard()
    feed = ChangeFeed(any_db, on_change=heard.change, on_status=heard.link)
    feed.start()
    try:
        wait_for(lambda: heard.status == [True], "the feed to connect")
        wait_for(lambda: heard.changes >= 1, "the feed's first look")  # what happened while away
        before = heard.changes
        frontdesk("ticket", "new", "--service", "CASH", db=any_db)
        wait_for(lambda: heard.changes > before, "the write to be heard")
    finally:
        feed.stop()


def test_feed_reports_a_sqlite_file_moved_away_and_back(sqlite_db, tmp_path):
    heard = Heard()
    feed = ChangeFeed(sqlite_db, on_change=heard.change, on_status=heard.link, retry_s=0.1)
    feed.start()
    try:
        wait_for(lambda: heard.status == [True], "the feed to connect")
        path = tmp_path / "frontdesk.sqlite3"
        shutil.move(path, tmp_path / "elsewhere.sqlite3")
        wait_for(lambda: heard.status == [True, False], "the feed to report the database gone")
        shutil.move(tmp_path / "elsewhere.sqlite3", path)
        wait_for(lambda: heard.status == [True, False, True], "the feed to be back")
        before = heard.changes
        frontdesk("ticket", "new", "--service", "CASH", db=sqlite_db)
        wait_for(lambda: heard.changes > before, "a write after the return to be heard")
    finally:
        feed.stop()


def test_read_only_store_reads_but_never_writes(any_db):
    cfg = load_config(None)
    writer = Engine(cfg, open_store(any_db))
    issued = writer.issue("CASH", language="mn")
    reader = Engine(cfg, open_store(any_db, read_only=True))
    with pytest.raises(StoreError):
        reader.issue("CASH")
    day = reader.day_of(reader.clock())
    found = reader.store.ticket_by_token(issued.status_token, day)
    assert found is not None and found.ticket.number == issued.ticket.number
    assert reader.store.ticket_by_token(issued.status_token, "2000-01-01") is None
    assert reader.store.ticket_by_token("A001", day) is None
    writer.call_next(1)
    writer.act(issued.ticket.number, Action.RECALL)
    calls = reader.store.calls(day, 10)
    assert [(c.number, c.action.value, c.counter) for c in calls] == [("A001", "recall", 1), ("A001", "call", 1)]
    assert calls[0].seq > calls[1].seq


def test_outlook_estimates_a_new_ticket_without_recording_it(any_db):
    cfg = load_config(None)
    engine = Engine(cfg, open_store(any_db))
    for _ in range(3):
        engine.issue("CASH")
    recorded = len(estimate_log.shown_estimates(engine.store))
    outlook = {o.service: o for o in engine.outlook()}
    assert outlook["CASH"].waiting == 3 and outlook["LOANS"].waiting == 0
    assert 0 <= outlook["CASH"].estimate.low_s <= outlook["CASH"].estimate.high_s
    assert len(estimate_log.shown_estimates(engine.store)) == recorded == 3
    # the fourth ticket is then told what the board said a new ticket would be told
    issued = engine.issue("CASH")
    assert issued.ahead == outlook["CASH"].waiting
    assert issued.estimate == outlook["CASH"].estimate


def test_a_database_older_than_the_web_is_refused_read_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    open_store(url, migrate=False).migrate(upto=4)
    with pytest.raises(StoreError, match="schema 4"):
        open_store(url, read_only=True)
    with pytest.raises(StoreError, match="no database there"):
        open_store(f"sqlite:///{tmp_path / 'none.sqlite3'}", read_only=True)
    assert not (tmp_path / "none.sqlite3").exists()
