"""The web server's one write path: the PIN lock's count of wrong tries, and nothing else.

``frontdesk web`` reads the log on a read-only connection. Signing a manager in must count
wrong PINs in the database (the same five-tries lock as the consoles, which survives a
restart and is shared with them), so the server opens one more connection, used only by
:class:`kiosk.store.pins.PinStore`, on which the only write allowed is
``UPDATE staff_pin SET failures, locked_until``:

- SQLite: the engine enforces it: the connection's authorizer (``sqlite3`` ``set_authorizer``)
  denies every action but reading, transactions and an UPDATE of those two columns of
  ``staff_pin``; the file is opened ``mode=rw`` (never created);
- PostgreSQL: every statement is checked before it is sent (reads, BEGIN/COMMIT/ROLLBACK and
  that UPDATE pass; anything else is refused), and a branch that gives the web server a role
  of its own can make the server enforce it too (docs/web.md: ``GRANT UPDATE (failures,
  locked_until) ON staff_pin``).

A refused statement is a :class:`kiosk.errors.StoreError` and writes nothing::

    store = open_pin_lock_store("sqlite:////var/lib/frontdesk/log.sqlite3")
    PinStore(store).verify("manager", "Oyun", "2580")     # counts a wrong try, or clears them
    store.run("DELETE FROM ticket")                         # StoreError: refused
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from kiosk.errors import StoreError
from kiosk.store.sql import Params, SqlStore, sqlite_path, store_over, translate_error

LOCK_TABLE = "staff_pin"
LOCK_COLUMNS = frozenset({"failures", "locked_until"})
_LOCK_SET = r"(?:failures|locked_until) = (?:%s|\?|0|NULL)"
# the statements the PIN check sends, in either placeholder style; one statement per call
_ALLOWED = re.compile(
    r"^\s*(?:SELECT\s|BEGIN\b|COMMIT\b|ROLLBACK\b"
    rf"|UPDATE {LOCK_TABLE} SET {_LOCK_SET}(?:, {_LOCK_SET})? WHERE role = (?:%s|\?) AND name = (?:%s|\?)\s*$)",
    re.IGNORECASE,
)
_READS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_FUNCTION}


def allowed(sql: str) -> bool:
    """Whether the PIN-lock connection may send ``sql``.

    >>> allowed("UPDATE staff_pin SET failures = ?, locked_until = ? WHERE role = ? AND name = ?")
    True
    >>> allowed("SELECT kdf, salt FROM staff_pin WHERE role = %s AND name = %s"), allowed("COMMIT")
    (True, True)
    >>> allowed("UPDATE staff_pin SET pin_hash = ? WHERE role = ? AND name = ?"), allowed("DELETE FROM ticket")
    (False, False)
    >>> allowed("WITH gone AS (DELETE FROM ticket RETURNING id) SELECT 1"), allowed("SELECT 1; DROP TABLE ticket")
    (False, False)
    """
    return ";" not in sql and _ALLOWED.match(sql) is not None


class _GuardedConnection:
    """A driver connection that sends only what :func:`allowed` lets through."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Params = ()) -> Any:
        if not allowed(sql):
            raise StoreError(f"the web server writes only the PIN lock; refused: {sql.split()[0]} …")
        return self._conn.execute(sql, params)

    def cursor(self) -> Any:
        raise StoreError("the web server writes only the PIN lock; bulk statements are refused")

    def close(self) -> None:
        self._conn.close()


def authorize_lock_only(action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None) -> int:
    """SQLite's own check of every action a statement takes (the engine enforces the lock-only rule)."""
    if action in _READS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and arg1 == LOCK_TABLE and arg2 in LOCK_COLUMNS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def open_pin_lock_store(url: str) -> SqlStore:
    """A store on its own connection that may read the log and write only the PIN lock."""
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        try:
            raw: Any = psycopg.connect(url, autocommit=True, connect_timeout=5)
        except psycopg.Error as exc:
            raise translate_error(exc, url) from None
    else:
        path = Path(sqlite_path(url)).expanduser()
        if not path.is_file():
            raise StoreError(f"{url}: no database there yet (the kiosk or a console creates it)")
        try:
            raw = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw",
                uri=True,
                isolation_level=None,
                timeout=10.0,
                check_same_thread=False,
            )
            raw.set_authorizer(authorize_lock_only)
        except sqlite3.Error as exc:
            raise translate_error(exc, url) from None
    store = store_over(url, _GuardedConnection(raw))
    store.check_current()
    return store
