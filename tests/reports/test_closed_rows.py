"""The outcome "closed at end of day" in the CSV log, the replay and the report's pages."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.reports.figures import Seen, figures
from kiosk.reports.html import report_html
from kiosk.reports.logformat import HEADER, BadRow, LogRow, parse_row
from kiosk.reports.render import report_csv
from kiosk.reports.replay import replay

T0, T1, T2, CLOSE = "2026-11-24T17:40:00", "2026-11-24T17:50:00", "2026-11-24T17:51:00", "2026-11-24T18:00:00"


def row(**cells: str) -> list[str]:
    base = dict(
        ticket="A001",
        service="CASH",
        priority="normal",
        arrived_at=T0,
        called_at="",
        service_started_at="",
        service_ended_at="",
        left_at=CLOSE,
        outcome="closed_at_end_of_day",
        staff="",
    )
    base.update(cells)
    return [base[name] for name in HEADER]


@pytest.mark.parametrize(
    "cells",
    [{}, {"called_at": T1, "staff": "Bold"}, {"called_at": T1, "service_started_at": T2, "staff": "Bold"}],
)
def test_a_closed_row_as_far_as_it_got_round_trips(cells):
    parsed = parse_row(row(**cells))
    assert parsed.outcome == "closed_at_end_of_day" and parsed.wait_s is None  # never a wait
    assert parsed.left_at == datetime(2026, 11, 24, 18) and parsed.cells() == row(**cells)


@pytest.mark.parametrize(
    "cells, reason",
    [
        ({"left_at": ""}, "a closed-at-end-of-day row needs left_at"),
        ({"service_started_at": T2}, "needs called_at"),
        ({"called_at": T1, "service_started_at": T2, "service_ended_at": CLOSE}, "has service_ended_at set"),
        ({"called_at": "2026-11-24T18:10:00"}, "left_at 2026-11-24T18:00:00 is before called_at"),
        ({"outcome": "closed"}, "closed_at_end_of_day"),
    ],
)
def test_a_bad_closed_row_says_why(cells, reason):
    with pytest.raises(BadRow, match=reason):
        parse_row(row(**cells))


def test_the_replay_runs_closed_rows_through_the_engine_and_scores_only_the_served(cfg):
    at = datetime.fromisoformat
    rows = [
        LogRow("S1", "CASH", False, at(T0), at(T1), at(T2), at("2026-11-24T17:55:00"), None, "served", "Bold"),
        parse_row(row(ticket="C1", arrived_at="2026-11-24T17:41:00")),
        parse_row(row(ticket="C2", arrived_at="2026-11-24T17:42:00", called_at=T2, staff="Saraa")),
    ]
    result = replay(rows, cfg)
    assert [p.ticket for p in result.predictions] == ["S1"] and result.summary["served_tickets"] == 1


def test_the_report_pages_show_it():
    k = figures([Seen("served", 60.0, 120.0, True, None), Seen("closed_at_end_of_day", None, None, None, None)])
    assert (k["arrived"], k["served"], k["closed_at_end_of_day"], k["wait_mean_s"]) == (2, 1, 1, 60.0)
    report = {
        "branch": "B",
        "from": "2026-11-24",
        "to": "2026-11-24",
        "timezone": "UTC",
        "definitions": {},
        "targets": {"CASH": 600.0},
        "totals": k,
        "by_service": {"CASH": k},
        "by_hour": [],
        "by_day": [{"day": "2026-11-24", "weekday": "Tue"} | k],
        "by_staff": {},
        "by_weekday_hour": [],
        "queue_length": [],
        "breaches": [],
    }
    page = report_html(report)
    assert "closed at end of day" in page and "open at closing" in page
    table = report_csv(report).splitlines()
    column = table[0].split(",").index("closed_at_end_of_day")
    assert [line.split(",")[column] for line in table[1:]] == ["1", "1", "1"]
