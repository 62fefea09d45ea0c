"""Today's figures for the manager's live page, re-read after every change the change feed reports.

The figures are the kiosk manager screen's (``build_report`` over today, worded by
:class:`kiosk.ui.manager_view.ManagerView`) and the people waiting now per service. They
are read only while a live page is open (:meth:`TodayLive.watch`), on a read-only
connection of their own, so that a month's report never holds up the hall board::

    live = TodayLive(cfg, source=Source(cfg, url))
    live.start(); loop.create_task(live.run())
    feed_callbacks.append(live.poke(loop))
    live.today.report["totals"]["arrived"]     # after the first read
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import anyio
import anyio.to_thread

from config.schema import BranchConfig
from kiosk.errors import StoreError
from kiosk.reports import build_report
from kiosk.reports.report_shape import Report
from kiosk.web.following import Following, Source

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
class TodayLive(Following):
    """The open live pages' figures: a version that moves after every re-read that changed them."""

    cfg: BranchConfig
    today: Today | None = None
    watchers: int = 0

    async def refresh(self) -> bool:
        if not self.watchers:  # nobody is looking: read when the next page opens
            self.today = None
            return True
        try:
            today = await anyio.to_thread.run_sync(read_today, self.cfg, self.source)
        except StoreError as exc:
            return await self.unreadable(exc)
        changed = (
            self.today is None
            or (today.report, today.waiting) != (self.today.report, self.today.waiting)
            or not self.connected
        )
        self.today = today
        if changed:
            await self.bump(connected=True)
        return True

    def watch(self) -> None:
        self.watchers += 1
        if self.today is None:
            self.mark_stale()

    def unwatch(self) -> None:
        self.watchers = max(0, self.watchers - 1)
