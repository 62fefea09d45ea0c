"""The live store keeps its durability; only a replay's scratch database gives it up."""

from kiosk.store import open_store


def pragmas(store) -> tuple[str, int, int]:
    journal = store.one("PRAGMA journal_mode")[0]
    synchronous = store.one("PRAGMA synchronous")[0]
    foreign_keys = store.one("PRAGMA foreign_keys")[0]
    return journal, synchronous, foreign_keys


def test_a_live_sqlite_store_is_wal_and_waits_for_the_disk(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    try:
        assert pragmas(store) == ("wal", 2, 1)  # synchronous 2 is FULL
    finally:
        store.close()


def test_a_scratch_store_keeps_its_journal_in_memory_and_its_checks(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'scratch.sqlite3'}", scratch=True)
    try:
        assert pragmas(store) == ("memory", 0, 1)  # synchronous 0 is OFF; foreign keys still checked
    finally:
        store.close()
