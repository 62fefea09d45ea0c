"""What the board and the phone pages show, kept current from the change feed.

The web server reads the log through :class:`kiosk.web.following.Source`;
:class:`Hub` re-reads the board after every change the feed reports and wakes the
open pages (server-sent event streams), which wait on :meth:`Hub.changed`::

    hub = Hub(cfg, source=Source(cfg, url))
    await hub.refresh()
    hub.board["called"][0]["ticket"]      # 'A007'
    hub.phone("q3V9…")                    # {'ticket': 'A007', 'state': 'called', …} or None

Phone pages register their token (:meth:`Hub.watch`) so that one refresh computes every
open page's status in one read, instead of one read per page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import anyio.to_thread

from config.schema import BranchConfig
from kiosk.core.model import LiveTicket, State
from kiosk.errors import StoreError
from kiosk.store import Call
from kiosk.web.following import Following

log = logging.getLogger("frontdesk.web")

CURRENT_CALLS = 4  # calls shown large at the top of the board


def call_id(call: Call) -> str:
    """A call's stable id: its ticket and the period its call opened (a recall has its own)."""
    return f"{call.ticket_id}-{call.seq}"


@dataclass
class PhoneStatus:
    token: str
    ticket: LiveTicket  # the ticket with its latest period
    ahead: int | None = None
    wait_low_s: int | None = None
    wait_high_s: int | None = None

    def as_json(self) -> dict[str, Any]:
        called = self.ticket.state is State.CALLED
        return {
            "ticket": self.ticket.ticket.number,
            "state": self.ticket.state.value,
            "ahead": self.ahead,
            "wait_low_s": self.wait_low_s,
            "wait_high_s": self.wait_high_s,
            "counter": self.ticket.period.counter if called or self.ticket.state is State.SERVING else None,
            "language": self.ticket.ticket.language,
        }


@dataclass
class Hub(Following):
    """The board's content and the open phone pages' statuses, refreshed on every change."""

    cfg: BranchConfig
    board: dict[str, Any] = field(default_factory=lambda: {"called": [], "waiting": {}})
    calls: dict[str, Call] = field(default_factory=dict)  # today's listed calls by call id
    on_new_call: Callable[[Call], None] | None = None
    _phone_json: dict[str, dict[str, Any]] = field(default_factory=dict)
    _primed: bool = False  # the calls listed at start are not new calls
    _watchers: dict[str, int] = field(default_factory=dict)

    async def refresh(self) -> bool:
        """Re-read the board and the open phone pages; False if the database could not be read."""
        try:
            board, calls, phones = await anyio.to_thread.run_sync(self._read, list(self._watchers))
        except StoreError as exc:
            return await self.unreadable(exc)
        if self.on_new_call is not None and self._primed:
            for key, call in calls.items():
                if key not in self.calls:
                    self.on_new_call(call)
        self._primed = True
        self.calls = calls
        phone_json = {token: status.as_json() for token, status in phones.items()}
        changed = board != self.board or phone_json != self._phone_json or not self.connected
        self.board, self._phone_json = board, phone_json
        if changed:
            await self.bump(connected=True)
        return True

    # -- phone pages --------------------------------------------------------------
    def watch(self, token: str) -> None:
        self._watchers[token] = self._watchers.get(token, 0) + 1
        self.mark_stale()

    def unwatch(self, token: str) -> None:
        left = self._watchers.get(token, 0) - 1
        if left > 0:
            self._watchers[token] = left
        else:
            self._watchers.pop(token, None)
            self._phone_json.pop(token, None)

    def phone(self, token: str) -> dict[str, Any] | None:
        """A watched page's status as of the last refresh; None once its ticket is not today's."""
        return self._phone_json.get(token)

    def lookup(self, token: str) -> dict[str, Any] | None:
        """One token's status read now (the page's first load and ``.json``); None: no such page today.

        Reads the database: call it from a worker thread.
        """
        status = self._read_phones([token]).get(token)
        return status.as_json() if status else None

    # -- reading (in a worker thread) --------------------------------------------------
    def _read(self, tokens: list[str]) -> tuple[dict[str, Any], dict[str, Call], dict[str, PhoneStatus]]:
        engine = self.source.engine()
        day = self.source.today()
        listed = engine.store.calls(day, CURRENT_CALLS + self.cfg.web.recent_calls)
        outlook = engine.outlook()
        live = {t.ticket.id: t for t in engine.store.live(day)}
        tz = ZoneInfo(self.cfg.branch.timezone)
        board = {
            "called": [_call_json(c, live, tz) for c in listed],
            "waiting": {o.service: o.waiting for o in outlook},
            "estimate": {
                o.service: {"low_s": round(o.estimate.low_s), "high_s": round(o.estimate.high_s)} for o in outlook
            },
            "day": day,
        }
        return board, {call_id(c): c for c in listed}, self._read_phones(tokens)

    def _read_phones(self, tokens: list[str]) -> dict[str, PhoneStatus]:
        if not tokens:
            return {}
        engine = self.source.engine()
        day = self.source.today()
        found = {}
        for token in tokens:
            ticket = engine.store.ticket_by_token(token, day)
            if ticket is not None:
                found[token] = PhoneStatus(token, ticket)
        waiting = [s for s in found.values() if s.ticket.state is State.WAITING]
        for status, (ahead, est) in zip(waiting, engine.remaining_waits([s.ticket for s in waiting]), strict=True):
            status.ahead, status.wait_low_s, status.wait_high_s = ahead, round(est.low_s), round(est.high_s)
        return found


def _call_json(call: Call, live: dict[int, LiveTicket], tz: ZoneInfo) -> dict[str, Any]:
    now = live.get(call.ticket_id)
    return {
        "id": call_id(call),
        "ticket": call.number,
        "counter": call.counter,
        "service": call.service,
        "language": call.language,
        "at": datetime.fromtimestamp(call.at, tz).isoformat(timespec="seconds"),
        "recall": call.action.value == "recall",
        # still standing in this very call (not served yet, not called again since)
        "current": now is not None and now.period.seq == call.seq and now.state is State.CALLED,
    }
