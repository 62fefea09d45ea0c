"""Today's figures for the manager's live page, re-read after every change the change feed reports.

The figures are the kiosk manager screen's (``build_report`` over today, worded by
:class:`kiosk.ui.manager_view.ManagerView`) and the people waiting now per service. They
are read only while a live page is open (:meth:`TodayLive.watch`), on a read-only
connection of their own, so that a month's report never holds up the hall board::

    live = TodayLive(cfg, Source(cfg, url))
    live.start(); loop.create_task(live.run())
    feed_callbacks.append(live.poke(loop))
    live.today.report["totals"]["arrived"]     # after the first read
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import anyio
import anyio.to_thread

from config.schema import BranchConfig
from kiosk.errors import StoreError
from kiosk.reports import build_report
from kiosk.reports.report_shape import Report
from kiosk.web.live import READ_RETRY_S, Source

log = logging.getLogger("frontdesk.web")


@dataclass(frozen=True)
class Today:
    day: str
    report: Report
    waiting: dict[str, int]  # service code -> people waiting now
    read_at: float


def read_today(cfg: BranchConfig, source: Source) -> Today:
    """Today's report and queue, read now (call it from a worker thread)."""
    engine = source.engine()
    day = source.today()
    report = build_report(engine.store, cfg, date.fromisoformat(day), date.fromisoformat(day))
    waiting = {o.service: o.waiting for o in engine.outlook()}
    return Today(day, report, waiting, source.clock())


@dataclass
class TodayLive:
    """The open live pages' figures: a version that moves after every re-read that changed them."""

    cfg: BranchConfig
    source: Source
    today: Today | None = None
    connected: bool = False
    version: int = 0
    watchers: int = 0
    _changed: asyncio.Condition | None = field(default=None, repr=False)
    _dirty: asyncio.Event | None = field(default=None, repr=False)

    def start(self) -> None:
        self._changed = asyncio.Condition()
        self._dirty = asyncio.Event()

    def poke(self, loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
        """A callback for the change feed's thread: the figures are stale."""
        assert self._dirty is not None
        dirty = self._dirty

        def poke() -> None:
            loop.call_soon_threadsafe(dirty.set)

        return poke

    async def run(self) -> None:
        assert self._dirty is not None
        while True:
            await self._dirty.wait()
            if not self.watchers:  # nobody is looking: read when the next page opens
                self._dirty.clear()
                self.today = None
                continue
            self._dirty.clear()
            if not await self.refresh():
                await asyncio.sleep(READ_RETRY_S)
                self._dirty.set()

    async def refresh(self) -> bool:
        try:
            today = await anyio.to_thread.run_sync(read_today, self.cfg, self.source)
        except StoreError as exc:
            self.source.forget()
            if self.connected:
                log.warning("manager's figures unreadable: %s", exc)
                await self._bump(connected=False)
            return False
        changed = (
            self.today is None
            or (today.report, today.waiting) != (self.today.report, self.today.waiting)
            or not self.connected
        )
        self.today = today
        if changed:
            await self._bump(connected=True)
        return True

    async def set_connected(self, connected: bool) -> None:
        if not connected and self.connected:
            await self._bump(connected=False)
        elif connected and self._dirty is not None:
            self._dirty.set()

    async def _bump(self, connected: bool) -> None:
        self.connected = connected
        self.version += 1
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def changed(self, seen: int, timeout: float) -> int:
        """Wait until the version moves past ``seen`` (or ``timeout`` passes); the version now."""
        assert self._changed is not None
        async with self._changed:
            with anyio.move_on_after(timeout):
                await self._changed.wait_for(lambda: self.version != seen)
        return self.version

    def watch(self) -> None:
        self.watchers += 1
        if self._dirty is not None and self.today is None:
            self._dirty.set()

    def unwatch(self) -> None:
        self.watchers = max(0, self.watchers - 1)
