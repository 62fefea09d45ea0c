"""Closing the day: which open tickets the branch's closing closes, and at what moment.

A branch-local day closes at its weekday's closing time (``[branch.opening_hours]``), or
at midnight after it when that weekday has no closing time (closed all day, open until
24:00, or no hours set). A ticket still open then (waiting, called, serving, on hold) is
closed with its own outcome, ``closed_at_end_of_day``: a last period, never served, never a
walk-away or a no-show, and never a wait (kiosk.reports.figures counts it apart).

Two rules, both pure functions of the open tickets and the clock:

- :func:`due_closes`, what the running kiosk and consoles do, and what every start does when
  the machine was off at closing time: every open ticket of a past day, and every open
  ticket of today issued before today's closing once that has passed. A ticket issued after
  closing (a clerk staying late) is left to be finished, and closed with its day when the
  day is over;
- :func:`closes_of_day`, ``frontdesk day close --day D`` by hand: every open ticket of D.

Each is closed at its day's closing moment, or now if that has not come yet (a day closed
early by hand), and never before its open state began. Closing what is already closed
finds nothing: both rules are idempotent.

>>> from datetime import timezone
>>> from kiosk.core.model import Action, LiveTicket, Period, State, Ticket
>>> class Hours:  # Monday to Friday 09:00-18:00, the weekend closed
...     def closing_time(self, weekday):
...         return time(18) if weekday < 5 else None
>>> utc = timezone.utc
>>> at = datetime(2026, 11, 30, 17, 0, tzinfo=utc).timestamp()  # a Monday, 17:00
>>> waiting = LiveTicket(Ticket(1, "2026-11-30", "A001", "A", 1, False, at),
...                      Period(1, 0, State.WAITING, Action.ISSUE, at, None, "CASH"))
>>> due_closes([waiting], at + 1800, Hours(), utc)  # 17:30: not yet
[]
>>> [c.live.ticket.number for c in due_closes([waiting], at + 7200, Hours(), utc)]  # 19:00
['A001']
>>> due_closes([waiting], at + 7200, Hours(), utc)[0].at == at + 3600  # closed at 18:00
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from kiosk.core.model import LiveTicket


class WeekHours(Protocol):
    """What closing reads of the branch's opening hours (config.schema.OpeningHours has it)."""

    def closing_time(self, weekday: int) -> time | None:
        """When the branch closes on ``weekday`` (0 = Monday); None: at midnight (or closed all day)."""
        ...


@dataclass(frozen=True, slots=True)
class Close:
    """One open ticket to close, and the moment its closing is recorded at."""

    live: LiveTicket
    at: float


def closing_moment(day: str, hours: WeekHours | None, tz: tzinfo) -> float:
    """POSIX moment the branch-local ``day`` (ISO date) closes.

    >>> from datetime import timezone
    >>> closing_moment("2026-12-05", None, timezone.utc) == datetime(2026, 12, 6, tzinfo=timezone.utc).timestamp()
    True
    """
    d = date.fromisoformat(day)
    closes = hours.closing_time(d.weekday()) if hours is not None else None
    if closes is None:
        return datetime.combine(d + timedelta(days=1), time(0), tz).timestamp()
    return datetime.combine(d, closes, tz).timestamp()


def day_of(at: float, tz: tzinfo) -> str:
    """The branch-local ISO date of a POSIX moment."""
    return datetime.fromtimestamp(at, tz).date().isoformat()


def _closed_at(live: LiveTicket, closes: float, now: float) -> float:
    return max(live.since, min(closes, now))


def due_closes(tickets: Iterable[LiveTicket], now: float, hours: WeekHours | None, tz: tzinfo) -> list[Close]:
    """The open tickets (of any day) the branch's closing has closed by ``now``, oldest first."""
    today = day_of(now, tz)
    moments: dict[str, float] = {}
    found = []
    for live in tickets:
        day = live.ticket.day
        if day not in moments:
            moments[day] = closing_moment(day, hours, tz)
        closes = moments[day]
        if day < today or (now >= closes and live.ticket.issued_at < closes):
            found.append(Close(live, _closed_at(live, closes, now)))
    return sorted(found, key=lambda c: c.live.ticket.id)


def closes_of_day(
    tickets: Iterable[LiveTicket], day: str, now: float, hours: WeekHours | None, tz: tzinfo
) -> list[Close]:
    """Every open ticket of ``day``, closed by hand: at the day's closing, or now if it is still to come."""
    closes = closing_moment(day, hours, tz)
    found = [Close(live, _closed_at(live, closes, now)) for live in tickets if live.ticket.day == day]
    return sorted(found, key=lambda c: c.live.ticket.id)
