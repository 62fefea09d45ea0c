"""The CSV log format: what a good row is, and the reason given for every bad one."""

import io

import pytest

from kiosk.errors import UsageError
from kiosk.reports.logformat import HEADER, BadRow, parse_row
from kiosk.reports.logio import read_log

T0, T1, T2, T3 = "2026-11-24T09:00:00", "2026-11-24T09:04:00", "2026-11-24T09:04:30", "2026-11-24T09:09:00"


def row(**cells):
    base = dict(
        ticket="A001",
        service="CASH",
        priority="normal",
        arrived_at=T0,
        called_at=T1,
        service_started_at=T2,
        service_ended_at=T3,
        left_at="",
        outcome="served",
        staff="Bold",
    )
    base.update(cells)
    return [base[name] for name in HEADER]


def test_a_served_row_round_trips_to_the_same_cells():
    parsed = parse_row(row())
    assert parsed.wait_s == 240.0 and parsed.priority is False and parsed.staff == "Bold"
    assert parsed.cells() == row()


@pytest.mark.parametrize(
    "cells, reason",
    [
        (dict(outcome="maybe"), "unknown outcome 'maybe'"),
        (dict(priority="vip"), "priority 'vip' is neither normal nor priority"),
        (
            dict(called_at="", service_started_at="", service_ended_at=""),
            "a served row needs called_at, service_started_at and service_ended_at",
        ),
        (dict(service_ended_at=""), "a served row needs service_ended_at"),
        (
            dict(called_at="2026-11-24T08:59:00"),
            "called_at 2026-11-24T08:59:00 is before arrived_at 2026-11-24T09:00:00",
        ),
        (
            dict(service_ended_at="2026-11-24T09:04:10"),
            "service_ended_at 2026-11-24T09:04:10 is before service_started_at 2026-11-24T09:04:30",
        ),
        (
            dict(outcome="abandoned", called_at="", service_started_at="", service_ended_at=""),
            "an abandoned row needs left_at",
        ),
        (dict(outcome="abandoned", left_at=T1), "an abandoned row has called_at set"),
        (
            dict(outcome="no_show", service_started_at="", service_ended_at="", called_at=""),
            "a no-show row needs called_at",
        ),
        (dict(arrived_at="yesterday"), "arrived_at 'yesterday' is not an ISO 8601 time"),
        (dict(arrived_at="2026-11-24T09:00:00+08:00"), "carries a UTC offset"),
        (dict(service="cash desk"), "service 'CASH DESK' is not a code"),
        (dict(ticket=""), "no ticket id"),
    ],
)
def test_every_bad_row_says_why(cells, reason):
    with pytest.raises(BadRow) as err:
        parse_row(row(**cells))
    assert reason in str(err.value)


def test_read_log_gives_line_numbers_and_refuses_a_wrong_header():
    good = ",".join(row())
    bad = ",".join(row(outcome="gone"))
    lines = list(read_log(io.StringIO(",".join(HEADER) + "\n" + good + "\n\n" + bad + "\n")))
    assert [line for line, _ in lines] == [2, 4]
    assert isinstance(lines[1][1], BadRow) and "unknown outcome 'gone'" in str(lines[1][1])
    with pytest.raises(UsageError, match="line 1: the header must be exactly ticket,service"):
        list(read_log(io.StringIO("ticket,service\n")))


def test_local_times_convert_exactly_across_clock_changes():
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from kiosk.reports.logio import LocalToPosix, to_posix

    tz = ZoneInfo("Europe/Berlin")  # forward 2026-03-29 02:00 -> 03:00, back 2026-10-25 03:00 -> 02:00
    fast = LocalToPosix(tz)
    for start in (datetime(2026, 3, 28, 22), datetime(2026, 10, 24, 22)):
        for minutes in range(0, 8 * 60, 7):
            at = start + timedelta(minutes=minutes)
            try:
                exact = to_posix(at, tz)
            except BadRow:
                with pytest.raises(BadRow, match="does not exist in Europe/Berlin"):
                    fast(at)
                continue
            assert fast(at) == exact == datetime(at.year, at.month, at.day, at.hour, at.minute, tzinfo=tz).timestamp()
