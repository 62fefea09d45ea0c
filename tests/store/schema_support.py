"""What a store's schema holds, read on either engine, and how SQLite plans its reads (for the
migration and index tests)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


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


def recorded_reads(store, monkeypatch) -> list[tuple[str, tuple]]:
    """A list that fills with the (sql, params) of every read ``store`` makes from now on."""
    reads: list[tuple[str, tuple]] = []
    for name in ("all", "one"):
        read = getattr(store, name)
        monkeypatch.setattr(
            store, name, lambda sql, params=(), read=read: reads.append((sql, params)) or read(sql, params)
        )
    return reads


def sqlite_plan(path: Path, sql: str, params: tuple) -> list[str]:
    """SQLite's plan of one query on the database file at ``path``, a step a line."""
    with sqlite3.connect(path) as conn:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
