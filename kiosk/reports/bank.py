"""The "Anonymous Bank" queue log (Technion SEE centre, tab-separated) as the CSV log.

Mapping of one contact to a ticket (see docs/reports.md):

- only contacts that queued or were served are tickets; ``PHANTOM`` rows (not a
  real contact) and hang-ups in the automated front end before queueing are
  *not tickets*: counted and listed by line, never silently dropped;
- ``ticket`` = ``date-vru+line-call_id`` (the source's unique key); ``service`` = ``type``;
  ``priority`` 2 = ``priority``; ``staff`` = ``server`` (empty for ``NO_SERVER``);
- arrival = ``q_start``; the call = ``q_exit`` for ``AGENT``, walking away = ``q_exit``
  for ``HANG``; a contact served without queueing arrived and was called at ``vru_exit``;
- service = ``ser_start``..``ser_exit``. The service system's clock runs up to a few
  seconds behind the queue's (most served rows start 1 s "before" their call): a
  start at most ``CLOCK_SKEW_S`` before the call is taken as the call itself;
- ``customer_id`` is never read into anything that leaves this module.

Bad rows, with the reason: times that run backwards (beyond the clock skew) or
cross midnight, zero-length or missing service times on a served row, a walk-away
row that also carries a service, an unknown outcome.

>>> row = {"vru+line": "AA0101", "call_id": "34539", "customer_id": "23317894", "priority": "2",
...        "type": "PS", "date": "990201", "vru_entry": "8:09:16", "vru_exit": "8:09:22", "vru_time": "6",
...        "q_start": "8:09:22", "q_exit": "8:09:27", "q_time": "5", "outcome": "HANG",
...        "ser_start": "0:00:00", "ser_exit": "0:00:00", "ser_time": "0", "server": "NO_SERVER"}
>>> visit = contact_to_row(row)
>>> visit.ticket, visit.priority, visit.outcome
('990201-AA0101-34539', True, 'abandoned')
>>> visit.cells()[3], visit.cells()[7]
('1999-02-01T08:09:22', '1999-02-01T08:09:27')
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TextIO

from kiosk.reports.logformat import BadRow, LogRow, checked_row

CLOCK_SKEW_S = 5  # the service clock may lag the queue clock by this much (seen: 1-5 s)
BANK_COLUMNS = (
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
)
_NOT_QUEUED = "0:00:00"


class NotATicket(ValueError):
    """A contact that never became a ticket (by definition, not an error in the data)."""


@dataclass(frozen=True)
class Converted:
    """One source line: a valid row, a bad row (reason) or a contact that is not a ticket."""

    line: int
    row: LogRow | None = None
    bad: str | None = None
    not_ticket: str | None = None


def is_bank_log(first_line: str) -> bool:
    return first_line.lstrip("\ufeff").split("\t")[:2] == ["vru+line", "call_id"]


def _day(yymmdd: str) -> date:
    try:
        yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
        return date(1900 + yy if yy >= 70 else 2000 + yy, mm, dd)
    except (ValueError, IndexError):
        raise BadRow(f"date {yymmdd!r} is not yymmdd") from None


def _clock(day: date, name: str, text: str) -> datetime:
    """The moment of ``h:mm:ss`` on ``day``, in whole seconds (as the CSV log holds them)."""
    try:
        h, m, s = map(int, text.split(":"))
        if 0 <= h < 24 and 0 <= m < 60 and 0 <= s < 60:  # nearly every time: built at once
            return datetime(day.year, day.month, day.day, h, m, s)
        return datetime(day.year, day.month, day.day) + timedelta(hours=h, minutes=m, seconds=s)
    except ValueError:
        raise BadRow(f"{name} {text!r} is not h:mm:ss") from None


def _ordered(earlier: tuple[str, datetime], later: tuple[str, datetime]) -> None:
    (n1, t1), (n2, t2) = earlier, later
    if t2 < t1:
        crosses = (t1 - t2).total_seconds() > 12 * 3600
        why = "the contact crosses midnight, so its day is ambiguous" if crosses else "times run backwards"
        raise BadRow(f"{n2} {t2:%H:%M:%S} is before {n1} {t1:%H:%M:%S} ({why})")


def contact_to_row(r: dict[str, str]) -> LogRow:
    """One contact as a row of the CSV log, with the log's own checks; NotATicket or BadRow if
    it is not one. The times go in as times, not written out and read back."""
    outcome = r["outcome"].strip()
    queued = r["q_start"].strip() != _NOT_QUEUED
    if outcome == "PHANTOM":
        raise NotATicket("PHANTOM: not a real contact")
    if outcome == "HANG" and not queued:
        raise NotATicket("hung up in the automated front end before queueing")
    if outcome not in ("AGENT", "HANG"):
        raise BadRow(f"unknown outcome {outcome!r} (AGENT, HANG or PHANTOM)")
    day = _day(r["date"].strip())
    ticket = f"{r['date'].strip()}-{r['vru+line'].strip()}-{r['call_id'].strip()}"
    service = r["type"].strip().upper()
    priority = "priority" if r["priority"].strip() == "2" else "normal"
    staff = r["server"].strip()
    staff = "" if staff == "NO_SERVER" else staff
    if queued:
        arrived = ("q_start", _clock(day, "q_start", r["q_start"]))
        left_queue = ("q_exit", _clock(day, "q_exit", r["q_exit"]))
        _ordered(arrived, left_queue)
    else:  # served straight from the front end: arrived and called at once
        arrived = left_queue = ("vru_exit", _clock(day, "vru_exit", r["vru_exit"]))
    has_service = r["ser_start"].strip() != _NOT_QUEUED or r["ser_exit"].strip() != _NOT_QUEUED
    if outcome == "HANG":
        if has_service:
            raise BadRow("a walk-away (HANG) row also carries service times")
        return checked_row(
            ticket, service, priority, {"arrived_at": arrived[1], "left_at": left_queue[1]}, "abandoned", ""
        )
    if not has_service:
        raise BadRow("a served (AGENT) row without service times")
    start = ("ser_start", _clock(day, "ser_start", r["ser_start"]))
    end = ("ser_exit", _clock(day, "ser_exit", r["ser_exit"]))
    _ordered(start, end)
    if end[1] == start[1]:
        raise BadRow("a zero-length service (ser_start = ser_exit)")
    lag = (left_queue[1] - start[1]).total_seconds()
    if lag > CLOCK_SKEW_S:
        raise BadRow(
            f"ser_start {start[1]:%H:%M:%S} is {lag:g} s before {left_queue[0]} "
            f"{left_queue[1]:%H:%M:%S} (more than the {CLOCK_SKEW_S} s clock skew)"
        )
    started = max(start[1], left_queue[1])
    if end[1] <= started:
        raise BadRow(f"ser_exit {end[1]:%H:%M:%S} is not after the call {left_queue[1]:%H:%M:%S}")
    times = {
        "arrived_at": arrived[1],
        "called_at": left_queue[1],
        "service_started_at": started,
        "service_ended_at": end[1],
    }
    return checked_row(ticket, service, priority, times, "served", staff)


def convert(source: TextIO) -> Iterator[Converted]:
    """Every data line of a bank log, converted or with the reason it is not a ticket/bad."""
    reader = csv.DictReader(source, delimiter="\t")
    missing = [c for c in BANK_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BadRow(f"not an Anonymous Bank log: no column {', '.join(missing)}")
    for r in reader:
        line = reader.line_num
        try:
            yield Converted(line, row=contact_to_row(r))
        except NotATicket as why:
            yield Converted(line, not_ticket=str(why))
        except BadRow as why:
            yield Converted(line, bad=str(why))
        except (AttributeError, TypeError):  # a short line: DictReader fills None
            yield Converted(line, bad="too few columns")
