"""Migration 9: the index on a period's start alone is dropped; every read that filters or orders
periods by their start names a state or an action first and keeps an index of its own.

A version-8 log is brought forward on SQLite and PostgreSQL and every such read answers the same;
on SQLite (whose plan is cheap to read) none of them scans the period table.
"""

from __future__ import annotations

import re
import sqlite3

from kiosk.core.model import Action
from kiosk.engine import Engine
from kiosk.store import estimate_log, history, open_store, staff_log
from kiosk.store.migrations import LATEST_VERSION

# a whole pass over the periods, by the names these reads give the table (SCAN a: a subquery's rows)
PERIOD_SCAN = re.compile(r"\bSCAN (period|p|last)\b")


def _a_morning(engine: Engine, clock) -> str:
    """Four visits through the engine: served, served, walked away, waiting still."""
    engine.sign_in(1, "Saraa")
    for _ in range(4):
        engine.issue("CASH")
        clock.advance(30)
    first = engine.call_next(1)
    clock.advance(20)
    engine.act(first.ticket.number, Action.START)
    clock.advance(120)
    engine.act(first.ticket.number, Action.FINISH)
    second = engine.call_next(1)
    clock.advance(10)
    engine.act(second.ticket.number, Action.START)
    clock.advance(90)
    engine.act(second.ticket.number, Action.FINISH)
    engine.act("A003", Action.WALK_AWAY)
    return first.ticket.day


def _period_reads(store, day: str, since: float, until: float) -> list:
    """Every read of the log that filters or orders periods by when they started."""
    with store.reading(day) as r:
        seen = r.counters_seen(since)
    return [
        store.calls(day, 10),
        staff_log.waiting_spans(store, since, until),
        staff_log.staff_periods(store, since, until),
        estimate_log.shown_estimates(store),
        seen,
        history.visit_rows(store, day, day),
    ]


def _period_indexes(store) -> set[str]:
    with store.transaction(lock=False):
        if store.engine_name == "sqlite":
            rows = store.all("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'period'")
        else:
            rows = store.all(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'period' AND schemaname = current_schema()"
            )
    return {r[0] for r in rows}


def test_a_version_8_log_is_brought_forward_and_read_the_same(db_url, cfg, clock):
    start = clock()
    old = open_store(db_url, migrate=False)
    old.migrate(upto=8)
    day = _a_morning(Engine(cfg, old, clock=clock), clock)
    before = _period_reads(old, day, start, clock())
    old_indexes = _period_indexes(old)
    old.close()

    store = open_store(db_url)
    assert store.schema_version() == LATEST_VERSION
    assert old_indexes - _period_indexes(store) == {"period_started"}
    after = _period_reads(store, day, start, clock())
    store.close()
    assert after == before
    assert len(before[0]) == 2 and len(before[1]) == 4  # two calls; four waits


def test_no_read_by_a_period_s_start_scans_the_periods(tmp_path, cfg, clock, monkeypatch):
    path = tmp_path / "frontdesk.sqlite3"
    store = open_store(f"sqlite:///{path}")
    start = clock()
    day = _a_morning(Engine(cfg, store, clock=clock), clock)
    reads: list[tuple[str, tuple]] = []
    read_all = store.all
    monkeypatch.setattr(store, "all", lambda sql, params=(): reads.append((sql, params)) or read_all(sql, params))
    _period_reads(store, day, start, clock())
    store.close()
    by_start = [(sql, params) for sql, params in reads if "started_at" in sql and "period" in sql]
    assert len(by_start) >= 5
    with sqlite3.connect(path) as conn:
        for sql, params in by_start:
            plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert not PERIOD_SCAN.search(plan), (sql, plan)
