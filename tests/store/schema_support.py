"""What a store's schema holds, read on either engine (for the migration tests)."""

from __future__ import annotations


def index_names(store, *tables: str) -> set[str]:
    """The names of the indexes on ``tables``, on SQLite or PostgreSQL.

    >>> from kiosk.store import open_store
    >>> sorted(index_names(open_store("sqlite:///:memory:"), "reprint"))
    ['reprint_pending']
    """
    marks = ", ".join("?" for _ in tables)
    with store.transaction(lock=False):
        if store.engine_name == "sqlite":
            sql = f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks})"
        else:
            sql = f"SELECT indexname FROM pg_indexes WHERE tablename IN ({marks}) AND schemaname = current_schema()"
        rows = store.all(sql, tables)
    return {r[0] for r in rows}
