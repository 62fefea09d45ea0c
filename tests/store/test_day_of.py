"""The engine's branch-local day of a moment, kept for the rest of an hour, is the exact one in any
zone: off the whole hour, clock changes at midnight (a day that starts at 01:00 or repeats 23:00),
and times asked in any order or within a microsecond of an hour's end."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config import load_config
from config.schema import BranchConfig
from kiosk.engine import Engine
from kiosk.store import open_store

ZONES = [
    "Asia/Ulaanbaatar",
    "Asia/Kathmandu",  # +05:45
    "Australia/Lord_Howe",  # a 30-minute clock change
    "America/St_Johns",  # -03:30 with clock changes
    "America/Sao_Paulo",  # until 2019 the clock changed at midnight
    "America/Havana",  # the clock changes at 00:00 / 01:00
    "Pacific/Chatham",  # +12:45 / +13:45
    "Europe/London",
]


def _engine(cfg: BranchConfig, zone: str) -> Engine:
    data = cfg.model_dump()
    data["branch"]["timezone"] = zone
    return Engine(BranchConfig.model_validate(data), open_store("sqlite:///:memory:"))


def _exact(at: float, zone: str) -> str:
    return datetime.fromtimestamp(at, ZoneInfo(zone)).date().isoformat()


def _offset(at: float, tz: ZoneInfo):
    return datetime.fromtimestamp(at, tz).utcoffset()


@pytest.mark.parametrize("zone", ZONES)
def test_every_second_around_each_midnight_and_clock_change_of_a_year(cfg, zone):
    engine = _engine(cfg, zone)
    tz = ZoneInfo(zone)
    year_start = datetime(2018, 1, 1, tzinfo=tz).timestamp()
    edges = []  # each local midnight and each change of the UTC offset in 2018
    at = year_start
    while at < year_start + 366 * 86400:
        after = at + 900
        if _exact(at, zone) != _exact(after, zone) or _offset(at, tz) != _offset(after, tz):
            edges.append(at)
        at += 900
    assert len(edges) >= 365
    for edge in edges:
        for step in range(-3700, 3700, 37):
            moment = edge + step + 0.9999995 * (step % 2)  # whole seconds and a hair before the next
            assert engine.day_of(moment) == _exact(moment, zone), (zone, moment)


@given(
    zone=st.sampled_from(ZONES),
    moments=st.lists(st.floats(min_value=1.2e9, max_value=1.9e9, allow_nan=False), min_size=1, max_size=40),
)
def test_moments_asked_in_any_order_get_the_exact_day(zone, moments):
    engine = _engine(load_config(None), zone)
    for moment in moments + [m + 3599.9999996 for m in moments] + [m // 3600 * 3600 for m in moments]:
        assert engine.day_of(moment) == _exact(moment, zone), (zone, moment)
