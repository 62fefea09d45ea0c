"""The report as JSON or as one CSV table for spreadsheets (HTML: :mod:`kiosk.reports.html`).

The CSV has one row per group: ``table`` (totals, service, hour, day, staff), ``group``
(the service code, hour, day or name) and every figure as a column.

>>> rep = {"totals": {"arrived": 2, "served": 1}, "by_service": {"CASH": {"arrived": 2, "served": 1}},
...        "by_hour": [], "by_day": [], "by_staff": {}}
>>> print(report_csv(rep).strip())
table,group,arrived,served
totals,all,2,1
service,CASH,2,1
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping

from kiosk.reports.report_shape import Figures, Report

FIGURES = (
    "arrived",
    "served",
    "abandoned",
    "no_show",
    "closed_at_end_of_day",
    "wait_mean_s",
    "wait_median_s",
    "wait_p90_s",
    "service_mean_s",
    "service_level",
    "abandon_rate",
    "no_show_rate",
    "rating_mean",
    "ratings",
    # the clerks' recorded states, staff rows only (kiosk.reports.staff_figures)
    "signed_in_s",
    "serving_s",
    "break_s",
    "back_office_s",
    "serving_share",
    "idle_while_waiting_s",
)


def report_json(report: Report) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def _groups(report: Report) -> Iterator[tuple[str, str, Figures]]:
    yield "totals", "all", report["totals"]
    for code, k in report["by_service"].items():
        yield "service", code, k
    for k in report["by_hour"]:
        yield "hour", f"{k['hour']:02d}", k
    for k in report["by_day"]:
        yield "day", k["day"], k
    for name, k in report["by_staff"].items():
        yield "staff", name, k


def report_csv(report: Report) -> str:
    groups = list(_groups(report))
    present = [f for f in FIGURES if any(f in k for _, _, k in groups)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "group", *present])
    for table, group, k in groups:
        cells: Mapping[str, object] = k  # read by the column's name
        writer.writerow([table, group, *("" if cells.get(f) is None else cells[f] for f in present)])
    return out.getvalue()
