"""Views of the log that the web server keeps current from the change feed.

:class:`Source` is the server's read-only way into the log. :class:`Following` is what the
hall's board (:class:`kiosk.web.live.Hub`) and the manager's live page
(:class:`kiosk.web.manager_live.TodayLive`) share: the feed's thread pokes, one task re-reads
(changes that come while it reads fold into the next read), and every open stream waits on
:meth:`Following.changed` until the version moves or the server stops::

    class Board(Following):
        async def refresh(self) -> bool:
            try:
                content = await anyio.to_thread.run_sync(read_board)
            except StoreError as exc:
                return await self.unreadable(exc)
            ...
            await self.bump(connected=True)    # wakes every stream
            return True

    board.start(); loop.create_task(board.run())
    feed_callbacks.append(board.poke(loop))
    seen = await board.changed(seen, timeout=15.0)   # in a stream
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio

from config.schema import BranchConfig
from kiosk.engine import Engine
from kiosk.store import SqlStore, open_store

log = logging.getLogger("frontdesk.web")

READ_RETRY_S = 1.0  # after a failed read, read again this soon: the change that prompted it is not lost


class Source:
    """The web server's read-only view of the log; reopens the database after it went away."""

    def __init__(self, cfg: BranchConfig, url: str, clock: Callable[[], float] = time.time) -> None:
        self.cfg = cfg
        self.url = url
        self.clock = clock
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = Engine(self.cfg, open_store(self.url, read_only=True), clock=self.clock)
            return self._engine

    def store(self) -> SqlStore:
        return self.engine().store

    def forget(self) -> None:
        """Drop the connection after an error; the next read opens a new one."""
        with self._lock:
            if self._engine is not None:
                self._engine.store.close()
            self._engine = None

    def today(self) -> str:
        return self.engine().day_of(self.clock())


@dataclass(kw_only=True)
class Following(ABC):
    """Content re-read after every change; ``version`` moves each time it changed.

    ``connected`` says whether the last read reached the database; ``closing`` that the
    server is stopping, so that every live stream ends now rather than hold the stop up.
    """

    source: Source
    connected: bool = False
    version: int = 0
    closing: bool = False
    _changed: asyncio.Condition | None = field(default=None, repr=False)
    _stale: asyncio.Event | None = field(default=None, repr=False)

    @abstractmethod
    async def refresh(self) -> bool:
        """Re-read the content; False if the database could not be read (it is read again soon)."""

    # -- lifecycle (inside the server's event loop) ---------------------------------
    def start(self) -> None:
        """Make the loop's primitives; the first :meth:`run` pass reads at once."""
        self._changed = asyncio.Condition()
        self._stale = asyncio.Event()
        self._stale.set()

    def poke(self, loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
        """A callback for the change feed's thread: the content is stale."""
        stale = self._started()[1]

        def poke() -> None:
            loop.call_soon_threadsafe(stale.set)

        return poke

    def mark_stale(self) -> None:
        """Read again soon (from the event loop: a page opened that needs content)."""
        if self._stale is not None:
            self._stale.set()

    async def run(self) -> None:
        """Re-read after every change, for as long as the server runs."""
        stale = self._started()[1]
        while True:
            await stale.wait()
            stale.clear()
            if not await self.refresh():
                # The change feed may already have reconnected and told us once; a read on a
                # connection that died meanwhile fails, so read again rather than wait for
                # the next change (a call made while we were away must still reach the board).
                await asyncio.sleep(READ_RETRY_S)
                stale.set()

    async def close(self) -> None:
        """End every live stream (the server is stopping: an open page must not hold it up)."""
        self.closing = True
        changed = self._started()[0]
        async with changed:
            changed.notify_all()

    # -- for refresh() ---------------------------------------------------------------
    async def bump(self, connected: bool) -> None:
        """The content changed (or the database came or went): wake every stream."""
        self.connected = connected
        self.version += 1
        changed = self._started()[0]
        async with changed:
            changed.notify_all()

    async def unreadable(self, exc: Exception) -> bool:
        """A read failed: drop the connection, tell the streams once, and answer False."""
        self.source.forget()
        if self.connected:
            log.warning("database unreachable (%s): %s", type(self).__name__, exc)
            await self.bump(connected=False)
        return False

    async def set_connected(self, connected: bool) -> None:
        """The change feed's word on the database (it may notice before a read fails)."""
        if not connected and self.connected:
            await self.bump(connected=False)
        elif connected:
            self.mark_stale()

    # -- for the streams -------------------------------------------------------------
    async def changed(self, seen: int, timeout: float) -> int:
        """Wait until the version moves past ``seen``, ``timeout`` passes or the server stops; the version now."""
        changed = self._started()[0]
        async with changed:
            with anyio.move_on_after(timeout):
                await changed.wait_for(lambda: self.version != seen or self.closing)
        return self.version

    def _started(self) -> tuple[asyncio.Condition, asyncio.Event]:
        assert self._changed is not None and self._stale is not None, "start() it inside the event loop first"
        return self._changed, self._stale
