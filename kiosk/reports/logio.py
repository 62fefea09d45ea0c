"""Export the store's history as the CSV log, and import such a log (atomic, idempotent).

>>> import io
>>> from config import load_config
>>> from kiosk.store import open_store
>>> store, cfg = open_store("sqlite:///:memory:"), load_config(None)
>>> text = ("ticket,service,priority,arrived_at,called_at,service_started_at,service_ended_at,left_at,outcome,staff\\n"
...         "A001,CASH,normal,2026-11-24T09:00:00,2026-11-24T09:04:00,"
...         "2026-11-24T09:04:30,2026-11-24T09:09:00,,served,Bold\\n")
>>> import_csv(store, cfg, io.StringIO(text)).added
1
>>> import_csv(store, cfg, io.StringIO(text)).added  # the same file again adds nothing
0
>>> out = io.StringIO(); export_csv(store, cfg, out, None, None), out.getvalue() == text
(1, True)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from config.schema import BranchConfig
from kiosk.errors import UsageError
from kiosk.reports.logformat import HEADER, BadRow, LogRow, check_header, format_time, parse_row
from kiosk.store import bulk_import, history
from kiosk.store.sql import SqlStore


@dataclass
class ImportResult:
    """What an import did: rows added, rows already in the store, rows skipped (line, reason)."""

    added: int = 0
    already_there: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0


def export_csv(store: SqlStore, cfg: BranchConfig, out: TextIO, date_from: date | None, date_to: date | None) -> int:
    """Write every finished visit between the two branch-local dates as the CSV log; rows written.

    Unfinished tickets (still waiting or at a counter) have no outcome yet and are
    left out. Imported tickets keep the id they had in their source.
    """
    tz = ZoneInfo(cfg.branch.timezone)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)

    def local(at: float | None) -> str:
        return format_time(datetime.fromtimestamp(at, tz).replace(tzinfo=None)) if at is not None else ""

    written = 0
    for v in history.visits(
        store, date_from.isoformat() if date_from else None, date_to.isoformat() if date_to else None
    ):
        if v.outcome is None:
            continue
        served = v.outcome == "served"
        closed = v.outcome == "closed_at_end_of_day"  # as far as it got, and when the branch closed
        writer.writerow(
            [
                v.number,
                v.service,
                "priority" if v.priority else "normal",
                local(v.arrived_at),
                local(v.called_at) if v.outcome != "abandoned" else "",
                local(v.service_started_at) if served or closed else "",
                local(v.service_ended_at) if served else "",
                local(v.left_at) if v.outcome == "abandoned" or closed else "",
                v.outcome,
                v.staff or "",
            ]
        )
        written += 1
    return written


def read_log(source: TextIO) -> Iterator[tuple[int, LogRow | BadRow]]:
    """(line number, row or the reason it is bad) for every data line; a bad header raises UsageError."""
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        raise UsageError("the log is empty (no header line)") from None
    try:
        check_header(header)
    except BadRow as err:
        raise UsageError(f"line 1: {err}") from None
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        try:
            yield reader.line_num, parse_row(cells)
        except BadRow as err:
            yield reader.line_num, err


def to_posix(at: datetime, tz: ZoneInfo) -> float:
    """A branch-local wall-clock time as POSIX seconds; BadRow if the clock skipped it."""
    aware = at.replace(tzinfo=tz)
    ts = aware.timestamp()
    if datetime.fromtimestamp(ts, tz).replace(tzinfo=None) != at:
        raise BadRow(f"{format_time(at)} does not exist in {tz.key} (the clocks were put forward)")
    return ts


class LocalToPosix:
    """``to_posix`` for many times: the UTC offset is looked up once per local hour.

    An hour in which the offset changes (a clock change) takes the exact path.
    """

    _EPOCH = datetime(1970, 1, 1)

    def __init__(self, tz: ZoneInfo):
        self._tz = tz
        self._offset: dict[int, float | None] = {}

    def __call__(self, at: datetime) -> float:
        wall = (at - self._EPOCH).total_seconds()  # the wall-clock reading as if it were UTC
        hour = int(wall // 3600)
        offset = self._offset.get(hour, False)
        if offset is False:
            start = self._EPOCH + timedelta(hours=hour)
            before = self._tz.utcoffset(start)
            after = self._tz.utcoffset(start + timedelta(hours=1))
            offset = self._offset[hour] = before.total_seconds() if before is not None and before == after else None
        if offset is None:
            return to_posix(at, self._tz)
        return wall - offset


def to_new_visit(row: LogRow, cfg: BranchConfig, posix_of: LocalToPosix) -> bulk_import.NewVisit:
    try:
        prefix = cfg.service(row.service).prefix
    except KeyError:  # a service this branch does not offer (yet): its code numbers it
        prefix = row.service

    def posix(at: datetime | None) -> float | None:
        return posix_of(at) if at is not None else None

    return bulk_import.NewVisit(
        source_ticket=row.ticket,
        arrived_local=format_time(row.arrived_at),
        day=row.arrived_at.date().isoformat(),
        prefix=prefix,
        service=row.service,
        priority=row.priority,
        arrived_at=posix_of(row.arrived_at),
        called_at=posix(row.called_at),
        service_started_at=posix(row.service_started_at),
        service_ended_at=posix(row.service_ended_at),
        left_at=posix(row.left_at),
        outcome=row.outcome,
        staff=row.staff,
    )


def checked_rows(rows: Iterable[tuple[int, LogRow | BadRow]]) -> Iterator[tuple[int, LogRow | BadRow]]:
    """The rows with one more check: the same ticket and arrival twice in one file is a bad row."""
    seen: dict[tuple[str, datetime], int] = {}
    for line, row in rows:
        if isinstance(row, LogRow):
            key = (row.ticket, row.arrived_at)
            if key in seen:
                row = BadRow(
                    f"ticket {row.ticket} arriving {format_time(row.arrived_at)} is already on line {seen[key]}"
                )
            else:
                seen[key] = line
        yield line, row


def import_csv(
    store: SqlStore, cfg: BranchConfig, source: TextIO, skip_bad: bool = False, name: str = "the log"
) -> ImportResult:
    """Import a CSV log: all good rows in one transaction, or nothing.

    A file with bad rows is refused (UsageError listing every one, by line and
    reason) unless ``skip_bad``; then the good rows are imported and the result
    lists exactly what was skipped. Rows already in the store are not added again.
    """
    posix_of = LocalToPosix(ZoneInfo(cfg.branch.timezone))
    result = ImportResult()
    new: list[bulk_import.NewVisit] = []
    for line, row in checked_rows(read_log(source)):
        result.rows += 1
        if isinstance(row, LogRow):
            try:
                new.append(to_new_visit(row, cfg, posix_of))
                continue
            except BadRow as err:
                row = err
        result.skipped.append((line, str(row)))
    if result.skipped and not skip_bad:
        raise UsageError(bad_rows_message(name, result.skipped, "nothing imported; fix them or use --skip-bad"))
    result.added, result.already_there = bulk_import.import_visits(store, new)
    return result


def bad_rows_message(name: str, bad: list[tuple[int, str]], advice: str) -> str:
    lines = [f"{name}: {len(bad)} bad row{'s' if len(bad) != 1 else ''}, {advice}:"]
    lines += [f"  line {line}: {reason}" for line, reason in bad]
    return "\n".join(lines)
