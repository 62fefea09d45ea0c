"""Migration 9: the index on a period's start alone and the one on a ticket's day alone are
dropped. Every read that filters or orders periods by their start names a state or an action
first and keeps an index of its own; every read of a day's tickets has the unique (day, number)
or (day, issued_at) beside it.

A version-8 log is brought forward on SQLite and PostgreSQL and every such read answers the same;
on SQLite (whose plan is cheap to read) none of them scans the period or the ticket table.
"""

from __future__ import annotations

import re

from kiosk.core.model import Action
from kiosk.engine import Engine
from kiosk.store import estimate_log, history, open_store, staff_log
from kiosk.store.migrations import LATEST_VERSION
from tests.store.schema_support import index_names, recorded_reads, sqlite_plan

# a whole pass over periods or tickets, by the names these reads give the tables (SCAN a: a
# subquery's rows)
TABLE_SCAN = re.compile(r"\bSCAN (period|p|last|ticket|t|r)\b")


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


def _reads(store, day: str, since: float, until: float) -> list:
    """Every read of the log that filters or orders periods by when they started, or tickets by day."""
    with store.reading(day) as r:
        seen = r.counters_seen(since)
    return [
        store.calls(day, 10),
        staff_log.waiting_spans(store, since, until),
        staff_log.staff_periods(store, since, until),
        estimate_log.shown_estimates(store),
        seen,
        history.visit_rows(store, day, day),
        store.day_history(day),
        store.find_ticket(day, "A002"),
    ]


def test_a_version_8_log_is_brought_forward_and_read_the_same(db_url, cfg, clock):
    start = clock()
    old = open_store(db_url, migrate=False)
    old.migrate(upto=8)
    day = _a_morning(Engine(cfg, old, clock=clock), clock)
    before = _reads(old, day, start, clock())
    old_indexes = index_names(old, "period", "ticket")
    old.close()

    store = open_store(db_url)
    assert store.schema_version() == LATEST_VERSION
    assert old_indexes - index_names(store, "period", "ticket") == {"period_started", "ticket_day"}
    after = _reads(store, day, start, clock())
    store.close()
    assert after == before
    assert len(before[0]) == 2 and len(before[1]) == 4  # two calls; four waits


def test_no_read_by_a_period_s_start_or_a_ticket_s_day_scans_a_table(tmp_path, cfg, clock, monkeypatch):
    path = tmp_path / "frontdesk.sqlite3"
    store = open_store(f"sqlite:///{path}")
    start = clock()
    day = _a_morning(Engine(cfg, store, clock=clock), clock)
    reads = recorded_reads(store, monkeypatch)
    _reads(store, day, start, clock())
    store.close()
    by_start_or_day = [(sql, params) for sql, params in reads if "started_at" in sql or "day" in sql]
    assert len(by_start_or_day) >= 8
    for sql, params in by_start_or_day:
        plan = " ".join(sqlite_plan(path, sql, params))
        assert not TABLE_SCAN.search(plan), (sql, plan)
