"""The report's JSON keys pinned at every level, read from the contract in docs/reports.md.

The ``report-keys`` block of the docs lists, per level, the keys in the order the JSON has them.
Both the TypedDicts of ``kiosk/reports/report_shape.py`` (what mypy holds every reader to) and a
real report of an engine-made day (every part filled: ratings, a no-show, a breach acknowledged
at a counter, the camera, clerks' states) must have exactly those keys; so a key added, dropped
or renamed in the code, the types or the docs alone fails here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from kiosk.core.model import Action, QueueObservation
from kiosk.core.staffing import StaffState
from kiosk.reports import build_report, report_shape
from kiosk.reports.render import report_json
from tests.reports.conftest import serve_visit

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"
TYPES = {
    "report": report_shape.Report,
    "K": report_shape.Figures,
    "totals": report_shape.Figures,
    "by_service.*": report_shape.Figures,
    "by_hour[]": report_shape.HourFigures,
    "by_day[]": report_shape.DayFigures,
    "by_weekday_hour[]": report_shape.WeekdayHourFigures,
    "by_staff.*": report_shape.StaffFigures,
    "queue_length[]": report_shape.QueueLengthBin,
    "breaches[]": report_shape.BreachEntry,
    "breach_log[]": report_shape.BreachLogEntry,
}


def documented() -> dict[str, list[str]]:
    """Level -> its keys in order (``?``: only where customers rated), K expanded."""
    block = re.search(r"```report-keys\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert block, f"{DOCS} has no report-keys block"
    levels = {}
    for line in block.group(1).strip().splitlines():
        level, keys = line.split(":", 1)
        levels[level.strip()] = keys.split()
    k = levels["K"]
    return {
        level: [key for token in keys for key in (k if token == "K" else [token])] for level, keys in levels.items()
    }


def entries(report: Mapping, level: str) -> Iterator[Mapping]:
    """The report's dicts at one level of the docs' notation (``by_hour[]``, ``by_staff.*``, ``totals``)."""
    if level == "report":
        yield report
    elif level.endswith("[]"):
        yield from report[level[:-2]]
    elif level.endswith(".*"):
        yield from report[level[:-2]].values()
    else:
        yield report[level]


def test_the_documented_levels_are_the_typed_ones():
    docs = documented()
    assert set(docs) == set(TYPES)
    for level, keys in docs.items():
        shape = TYPES[level]
        required = {k for k in keys if not k.endswith("?")}
        optional = {k[:-1] for k in keys if k.endswith("?")}
        assert (set(shape.__required_keys__), set(shape.__optional_keys__)) == (required, optional), level


@pytest.fixture
def full_day(engine, clock, store, cfg):
    """A day with every part of the report in it; the report is built after the day."""
    engine.sign_in(1, "Saraa")
    engine.sign_in(3, "Bold")
    for service, wait, service_s, rating in [("CASH", 60, 100, 5), ("LOANS", 1300, 600, None)]:
        serve_visit(engine, clock, service, wait, service_s, rating)
    engine.set_staff_state(1, StaffState.ON_BREAK, "lunch")
    gone = engine.issue("CASH")
    engine.tick()
    clock.advance(650)  # past CASH's 600 s target: a breach
    engine.tick()
    engine.acknowledge_alerts(3)
    engine.act(gone.ticket.number, Action.WALK_AWAY)
    engine.tick()
    absent = engine.issue("ACCOUNTS")
    engine.call(absent.ticket.number, counter=2, staff="Tuya")
    engine.act(absent.ticket.number, Action.NO_SHOW)
    for k in range(3):
        engine.observe(QueueObservation(at=clock.now + k, people=1 + k))
    return build_report(store, cfg, None, None, now=clock.now + 60)


def test_every_level_of_a_real_report_has_exactly_the_documented_keys_in_order(full_day):
    docs = documented()
    rated = {"rating_mean", "ratings"}
    seen_rated = seen_unrated = False
    for level, keys in docs.items():
        if level == "K":
            continue
        found = list(entries(full_day, level))
        assert found, f"the day has no {level} entry to check"
        for entry in found:
            present = [k.rstrip("?") for k in keys if not k.endswith("?") or k[:-1] in entry]
            assert list(entry) == present, level
            if any(k.endswith("?") for k in keys):
                seen_rated |= rated <= set(entry)
                seen_unrated |= not rated & set(entry)
    assert seen_rated and seen_unrated  # both forms of K were held to the docs
    assert json.loads(report_json(full_day)) == full_day  # JSON-ready all through, nothing converted
