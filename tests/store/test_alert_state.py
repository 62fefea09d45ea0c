"""One alert state for the branch (issue 14): an acknowledgement is written to the log with its
counter and time, every console's engine reads it, and the report lists each breach raised,
acknowledged and cleared. On SQLite and PostgreSQL, two engines on one database as two consoles."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kiosk.core.model import Level
from kiosk.engine import Engine
from kiosk.errors import UsageError
from kiosk.reports import build_report
from kiosk.reports.html import report_html
from kiosk.store import alert_state, open_store
from kiosk.store.migrations import LATEST_VERSION


@pytest.fixture
def second(cfg, db_url, clock):
    """Another console's engine on the same database (its own connection)."""
    other = Engine(cfg, open_store(db_url), clock=clock)
    yield other
    other.store.close()


def test_an_acknowledgement_at_one_console_is_seen_by_another(engine, second, clock):
    engine.issue("CASH")
    clock.advance(700)  # past CASH's 600 s target: a breach
    first = engine.tick()
    assert first.level is Level.BREACH and first.unacknowledged >= 1
    assert second.tick().unacknowledged == first.unacknowledged  # the same rows, logged once

    clock.advance(5)
    acked = second.acknowledge_alerts(counter=3)
    assert acked.unacknowledged == 0
    assert engine.tick().unacknowledged == 0  # the first console reads the branch's answer
    rows = alert_state.alert_history(engine.store, 0.0, clock.now + 1, levels=("breach",))
    assert [(r.subject, r.acknowledged_counter, r.acknowledged_at, r.cleared_at) for r in rows] == [
        ("A001", 3, clock.now, None)
    ]


def test_a_new_breach_after_an_acknowledgement_is_unacknowledged_again(engine, second, clock):
    engine.issue("CASH")
    clock.advance(700)
    engine.tick()
    second.acknowledge_alerts(counter=1)
    engine.issue("CASH")
    clock.advance(700)  # A002 now breaches too
    event = engine.tick()
    assert [a.subject for a in event.raised] == ["A002"]
    assert event.unacknowledged == 1
    assert second.tick().unacknowledged == 1


def test_acknowledging_keeps_the_first_counter_and_refuses_an_unknown_one(engine, second, clock):
    engine.issue("CASH")
    clock.advance(700)
    engine.tick()
    engine.acknowledge_alerts(counter=2)
    clock.advance(10)
    second.acknowledge_alerts(counter=4)  # nothing left to acknowledge: the first one stays
    (row,) = alert_state.alert_history(engine.store, 0.0, clock.now + 1)
    assert row.acknowledged_counter == 2 and row.acknowledged_at == clock.now - 10
    with pytest.raises(UsageError, match="unknown counter 99"):
        engine.acknowledge_alerts(counter=99)


def test_the_report_lists_each_breach_raised_acknowledged_and_cleared(cfg, engine, clock):
    engine.issue("CASH")
    clock.advance(700)
    engine.tick()  # raised
    clock.advance(42)
    engine.acknowledge_alerts(counter=2)
    clock.advance(60)
    engine.call_next(counter=1)
    engine.tick()  # cleared: A001 no longer waits
    engine.issue("CASH")
    clock.advance(700)
    engine.tick()  # a second breach, never acknowledged
    today = date.fromisoformat(engine.day_of(clock.now))
    report = build_report(engine.store, cfg, today, today)
    log = report["breach_log"]
    assert [(b["subject"], b["acknowledged_by_counter"], b["to_acknowledge_s"]) for b in log] == [
        ("A001", 2, 42.0),
        ("A002", None, None),
    ]
    assert log[0]["cleared_at"] is not None and log[1]["cleared_at"] is None
    assert log[0]["raised_at"] == report["breaches"][0]["raised_at"]  # the same rows as the breaches list
    json.dumps(report)  # JSON-ready
    page = report_html(report)
    section = page[page.index("Breaches: raised, acknowledged, cleared") :]
    assert "(counter 2)" in section and "not acknowledged" in section and "2 breaches, 1 acknowledged" in section


def test_migration_7_brings_an_older_log_forward_with_its_alerts(db_url):
    old = open_store(db_url, migrate=False)
    old.migrate(upto=5)
    old.run(
        "INSERT INTO alert_log (kind, subject, level, value, limit_value, raised_at) VALUES (?,?,?,?,?,?)",
        ("wait", "A001", "breach", 700.0, 600.0, 10.0),
    )
    old.close()
    store = open_store(db_url)
    assert store.schema_version() == LATEST_VERSION
    (row,) = alert_state.alert_history(store, 0.0, 100.0)
    assert (row.subject, row.acknowledged_at, row.acknowledged_counter) == ("A001", None, None)
    assert alert_state.unacknowledged(store) == 1
    store.close()
