"""Migration 8: the wait estimate's reads at every check-in come from covering indexes.

An older log is brought forward with what it holds, the estimate reads the same values from
it, and (SQLite, whose plan is cheap to read) both reads are answered from an index alone.
"""

from kiosk.core.model import Action, State
from kiosk.store import open_store
from kiosk.store.migrations import LATEST_VERSION
from tests.store.schema_support import index_names, recorded_reads, sqlite_plan

NEW_INDEXES = {"period_state_started_counter", "period_service_ended_started"}
REPLACED_INDEXES = {"period_state_started", "period_service_ended"}


def _served(store, day: str, arrived: float, counter: int, service_s: float) -> None:
    with store.writing(day) as w:
        live = w.find_live(w.issue("A", "CASH", False, "en", arrived).number)
        called = w.move(live, State.CALLED, Action.CALL, arrived + 10.0, counter=counter)
        serving = w.move(called, State.SERVING, Action.START, arrived + 20.0, counter=counter)
        w.move(serving, State.DONE, Action.FINISH, arrived + 20.0 + service_s, counter=counter)


def test_a_version_7_log_is_brought_forward_and_read_the_same(db_url):
    old = open_store(db_url, migrate=False)
    old.migrate(upto=7)
    _served(old, "2026-11-24", 1000.0, counter=1, service_s=120.0)
    _served(old, "2026-11-24", 2000.0, counter=2, service_s=90.0)
    with old.reading("2026-11-24") as r:
        before = (r.recent_service_times("CASH", 0.0), r.counters_seen(0.0))
    old.close()

    store = open_store(db_url)
    assert store.schema_version() == LATEST_VERSION
    names = index_names(store, "period")
    assert NEW_INDEXES <= names and not names & REPLACED_INDEXES
    with store.reading("2026-11-24") as r:
        after = (r.recent_service_times("CASH", 0.0), r.counters_seen(0.0))
    assert after == before == ([120.0, 90.0], {1: 1020.0, 2: 2020.0})
    store.close()


def test_the_estimates_reads_need_no_table_lookup(tmp_path, monkeypatch):
    path = tmp_path / "frontdesk.sqlite3"
    store = open_store(f"sqlite:///{path}")
    _served(store, "2026-11-24", 1000.0, counter=1, service_s=120.0)
    reads = recorded_reads(store, monkeypatch)
    with store.reading("2026-11-24") as r:
        r.recent_service_times("CASH", 0.0)
        r.counters_seen(0.0)
    store.close()
    assert len(reads) == 2
    plans = [" ".join(sqlite_plan(path, sql, params)) for sql, params in reads]
    assert "COVERING INDEX period_service_ended_started" in plans[0]
    assert "COVERING INDEX period_state_started_counter" in plans[1]
