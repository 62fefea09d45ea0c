"""Change notification: learn within a fraction of a second that another process wrote the log.

A reader (the web server's hall board, later the consoles and the kiosk) does not poll its
queries every few seconds; it watches the database's own change signal and re-reads only
when something was written:

- PostgreSQL: every write transaction of :meth:`SqlStore.writing` sends ``NOTIFY`` on
  :data:`CHANGE_CHANNEL` (delivered on commit); the feed ``LISTEN``\\ s on its own connection.
- SQLite: ``PRAGMA data_version`` on a dedicated read-only connection changes whenever
  another connection commits; reading it costs microseconds, so the feed checks it every
  ``poll_s`` (50 ms by default). The file being replaced or moved away counts as the
  database going away.

When the database cannot be reached the feed reports ``on_status(False)``, retries every
``retry_s`` and, once back, reports ``on_status(True)`` and one ``on_change()`` (anything
may have been written meanwhile). Callbacks run on the feed's own thread::

    feed = ChangeFeed("sqlite:////var/lib/frontdesk/log.sqlite3", on_change=refresh, on_status=show_link)
    feed.start()
    ...
    feed.stop()

It depends on nothing but the database drivers, so any adapter can use it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

CHANGE_CHANNEL = "frontdesk_change"

log = logging.getLogger(__name__)

Poll = Callable[[], bool]  # waits up to one poll interval; True when the database changed


class ChangeFeed:
    """A thread that calls ``on_change()`` after another process commits to the database at ``url``."""

    def __init__(
        self,
        url: str,
        on_change: Callable[[], None],
        on_status: Callable[[bool], None] | None = None,
        poll_s: float = 0.05,
        retry_s: float = 1.0,
    ) -> None:
        self.url = url
        self.on_change = on_change
        self.on_status = on_status or (lambda connected: None)
        self.poll_s = poll_s
        self.retry_s = retry_s
        self.connected = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="change-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self._watch() as poll:
                    self._set_connected(True)
                    self.on_change()  # whatever happened while we were away
                    while not self._stop.is_set():
                        if poll():
                            self.on_change()
            except Exception as exc:  # the database went away: say so, and try again
                if self.connected:
                    reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
                    log.warning("change feed lost the database: %s", reason)
                self._set_connected(False)
                self._stop.wait(self.retry_s)

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.on_status(connected)

    def _watch(self) -> contextlib.AbstractContextManager[Poll]:
        if self.url.startswith(("postgresql://", "postgres://")):
            return _watch_postgres(self.url, self.poll_s)
        from kiosk.store.sql import sqlite_path

        return _watch_sqlite(Path(sqlite_path(self.url)).expanduser(), self.poll_s, self._stop)


@contextlib.contextmanager
def _watch_sqlite(path: Path, poll_s: float, stop: threading.Event) -> Iterator[Poll]:
    identity = _file_identity(path)  # raises while the file is away
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
    )
    try:
        seen = conn.execute("PRAGMA data_version").fetchone()[0]

        def poll() -> bool:
            nonlocal seen
            stop.wait(poll_s)
            if _file_identity(path) != identity:
                raise ConnectionError(f"{path} was replaced or moved away")
            now = conn.execute("PRAGMA data_version").fetchone()[0]
            changed, seen = now != seen, now
            return bool(changed)

        yield poll
    finally:
        conn.close()


def _file_identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


@contextlib.contextmanager
def _watch_postgres(url: str, poll_s: float) -> Iterator[Poll]:
    import psycopg

    conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
    try:
        conn.execute(f"LISTEN {CHANGE_CHANNEL}")

        def poll() -> bool:
            # returns at the first notification (stop_after), else after poll_s; a dead
            # connection raises here (server restarted, backend terminated)
            got = list(conn.notifies(timeout=poll_s, stop_after=1))
            if not got:
                conn.execute("SELECT 1")  # notices a server that went away without a word
            return bool(got)

        yield poll
    finally:
        with contextlib.suppress(Exception):
            conn.close()
