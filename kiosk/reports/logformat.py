"""The wait-time log as CSV: one documented format in and out.

Header, in this order::

    ticket,service,priority,arrived_at,called_at,service_started_at,service_ended_at,left_at,outcome,staff

Times are ISO 8601 branch-local times to the second (``1999-02-01T08:19:47``), empty
when they do not apply; ``priority`` is ``normal`` or ``priority``; ``outcome`` is
``served`` (called, then served), ``abandoned`` (walked away while waiting:
``left_at`` set), ``no_show`` (called, never came) or ``closed_at_end_of_day`` (still open
when the branch closed: ``left_at`` is the closing, ``called_at`` and ``service_started_at``
are set if it got that far). No customer names or numbers.

>>> row = parse_row(["A001", "CASH", "normal", "1999-02-01T08:00:00", "1999-02-01T08:05:00",
...                  "1999-02-01T08:05:10", "1999-02-01T08:09:00", "", "served", "DORIT"])
>>> row.outcome, row.wait_s
('served', 300.0)
>>> parse_row(["A002", "CASH", "normal", "1999-02-01T08:00:00", "", "", "", "", "served", ""])
Traceback (most recent call last):
...
kiosk.reports.logformat.BadRow: a served row needs called_at, service_started_at and service_ended_at
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

HEADER = (
    "ticket",
    "service",
    "priority",
    "arrived_at",
    "called_at",
    "service_started_at",
    "service_ended_at",
    "left_at",
    "outcome",
    "staff",
)
OUTCOMES = ("served", "abandoned", "no_show", "closed_at_end_of_day")
# the times each outcome must have, and those it may have besides (in the order they happen)
NEEDED = {
    "served": ("called_at", "service_started_at", "service_ended_at"),
    "abandoned": ("left_at",),
    "no_show": ("called_at",),
    "closed_at_end_of_day": ("left_at",),
}
OPTIONAL = {"closed_at_end_of_day": ("called_at", "service_started_at")}
PRIORITIES = {"normal": False, "priority": True}
_SERVICE = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


class BadRow(ValueError):
    """Why a log row cannot be a visit; ``str()`` is the reason a person reads."""


@dataclass(frozen=True, slots=True)
class LogRow:
    """One row of the log with times as naive branch-local datetimes."""

    ticket: str
    service: str
    priority: bool
    arrived_at: datetime
    called_at: datetime | None
    service_started_at: datetime | None
    service_ended_at: datetime | None
    left_at: datetime | None
    outcome: str
    staff: str | None

    @property
    def wait_s(self) -> float | None:
        if self.outcome != "served" or self.called_at is None:
            return None
        return (self.called_at - self.arrived_at).total_seconds()

    def cells(self) -> list[str]:
        return [
            self.ticket,
            self.service,
            "priority" if self.priority else "normal",
            format_time(self.arrived_at),
            format_time(self.called_at),
            format_time(self.service_started_at),
            format_time(self.service_ended_at),
            format_time(self.left_at),
            self.outcome,
            self.staff or "",
        ]


def format_time(at: datetime | None) -> str:
    return at.strftime(_TIME_FORMAT) if at is not None else ""


def _time(name: str, text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise BadRow(f"{name} {text!r} is not an ISO 8601 time like 1999-02-01T08:19:47") from None
    if at.tzinfo is not None:
        raise BadRow(f"{name} {text!r} carries a UTC offset; the log holds branch-local times")
    return at.replace(microsecond=0) if at.microsecond else at


def check_header(cells: list[str]) -> None:
    found = tuple(c.strip().lstrip("\ufeff") for c in cells)
    if found != HEADER:
        raise BadRow(f"the header must be exactly {','.join(HEADER)} (found {','.join(found)})")


def parse_row(cells: list[str]) -> LogRow:
    """Validate one row; BadRow says what is wrong."""
    if len(cells) != len(HEADER):
        raise BadRow(f"{len(cells)} fields, expected {len(HEADER)}")
    ticket, service, priority, arrived, called, started, ended, left, outcome, staff = (c.strip() for c in cells)
    service = service.upper()
    _check_fields(ticket, service, priority, outcome)  # before the times: the first fault is the one named
    times = {
        "arrived_at": _time("arrived_at", arrived),
        "called_at": _time("called_at", called),
        "service_started_at": _time("service_started_at", started),
        "service_ended_at": _time("service_ended_at", ended),
        "left_at": _time("left_at", left),
    }
    return checked_row(ticket, service, priority, times, outcome, staff)


def _check_fields(ticket: str, service: str, priority: str, outcome: str) -> None:
    if not ticket:
        raise BadRow("no ticket id")
    if not _SERVICE.match(service):
        raise BadRow(f"service {service!r} is not a code (a letter, then up to 15 letters, digits or _)")
    if priority not in PRIORITIES:
        raise BadRow(f"priority {priority!r} is neither normal nor priority")
    if outcome not in OUTCOMES:
        raise BadRow(f"unknown outcome {outcome!r} (served, abandoned, no_show or closed_at_end_of_day)")


def checked_row(
    ticket: str, service: str, priority: str, times: Mapping[str, datetime | None], outcome: str, staff: str
) -> LogRow:
    """A row from values already read (a CSV row's cells, or a bank contact's converted times),
    with every check of the log format; BadRow says what is wrong.

    ``times`` holds the five times by their column names (None: empty), naive and to the second.

    >>> at = datetime(1999, 2, 1, 8)
    >>> checked_row("A1", "CASH", "normal", {"arrived_at": at, "left_at": at}, "abandoned", "").outcome
    'abandoned'
    """
    _check_fields(ticket, service, priority, outcome)
    arrived_at = times.get("arrived_at")
    if arrived_at is None:
        raise BadRow("no arrived_at")
    needed, optional = NEEDED[outcome], OPTIONAL.get(outcome, ())
    kind = f"a{'n' if outcome[0] == 'a' else ''} {outcome.replace('_', '-')} row"
    missing = [n for n in needed if times.get(n) is None]
    if times.get("service_started_at") is not None and times.get("called_at") is None:
        missing.append("called_at")  # a ticket is served after it was called
    if missing:
        names = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
        raise BadRow(f"{kind} needs {names}")
    extra = [
        n for n, at in times.items() if at is not None and n != "arrived_at" and n not in needed and n not in optional
    ]
    if extra:
        raise BadRow(f"{kind} has {extra[0]} set")
    given = {n: at for n in HEADER if (at := times.get(n)) is not None}  # in the header's order
    order = list(given)
    for before, after in zip(order, order[1:]):
        if given[after] < given[before]:
            raise BadRow(f"{after} {format_time(given[after])} is before {before} {format_time(given[before])}")
    return LogRow(
        ticket,
        service,
        PRIORITIES[priority],
        arrived_at,
        times.get("called_at"),
        times.get("service_started_at"),
        times.get("service_ended_at"),
        times.get("left_at"),
        outcome,
        staff or None,
    )
