"""The manager's report: the log's figures by service, hour, day and staff member.

``build_report`` is what ``frontdesk report`` prints and what the kiosk's
manager screen shows; it reads the store and returns plain JSON-ready data, typed as
:class:`kiosk.reports.report_shape.Report` (a TypedDict: a dict at run time)::

    report = build_report(store, cfg, date(2026, 11, 1), date(2026, 11, 30))
    report["totals"]["service_level"], report["by_service"]["CASH"]["wait_p90_s"]
"""

from __future__ import annotations

import time as posix_time
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from config.schema import BranchConfig
from kiosk.reports import staff_figures
from kiosk.reports.figures import DEFINITIONS, Seen, figures
from kiosk.reports.report_shape import (
    BreachEntry,
    BreachLogEntry,
    DayFigures,
    HourFigures,
    QueueLengthBin,
    Report,
    StaffFigures,
    StaffStates,
    WeekdayHourFigures,
)
from kiosk.store import alert_state, history, staff_log
from kiosk.store.sql import SqlStore

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CAMERA_BIN_S = 15 * 60  # queue length over the day, in quarter hours


def day_bounds(tz: ZoneInfo, date_from: date | None, date_to: date | None) -> tuple[float, float]:
    """POSIX [start, end) of the branch-local days from ``date_from`` to ``date_to`` inclusive."""
    start = datetime.combine(date_from, time(0), tz).timestamp() if date_from else float("-inf")
    end = datetime.combine(date_to + timedelta(days=1), time(0), tz).timestamp() if date_to else float("inf")
    return start, end


class _LocalClock:
    """POSIX seconds to branch-local (date, hour), caching the UTC offset per hour."""

    def __init__(self, tz: ZoneInfo):
        self._tz = tz
        self._cache: dict[int, tuple[date, int, int]] = {}

    def local(self, at: float) -> tuple[date, int, int]:
        """(local date, hour, minute) of ``at``."""
        key = int(at // 3600)
        hit = self._cache.get(key)
        if hit is None:
            dt = datetime.fromtimestamp(key * 3600, self._tz)
            hit = self._cache[key] = (dt.date(), dt.hour, dt.minute * 60 + dt.second)
        day, hour, offset_s = hit
        if offset_s:  # a zone with a non-whole-hour offset: take the slow path
            dt = datetime.fromtimestamp(at, self._tz)
            return dt.date(), dt.hour, dt.minute
        return day, hour, int(at - key * 3600) // 60


def build_report(
    store: SqlStore,
    cfg: BranchConfig,
    date_from: date | None,
    date_to: date | None,
    target_wait_s: float | None = None,
    now: float | None = None,
) -> Report:
    """Every figure of the log between two branch-local dates (inclusive; None: open end).

    Each group K holds ``arrived, served, abandoned, no_show, wait_mean_s,
    wait_median_s, wait_p90_s, service_mean_s, service_level, abandon_rate,
    no_show_rate`` and, where customers rated, ``rating_mean``. Service level
    uses ``target_wait_s`` for every service when given, else each service's
    own target (services the config does not know have none: None). Each
    ``by_staff`` entry adds the clerk's recorded states (kiosk.reports.staff_figures:
    ``break_s``, ``serving_share``, ``idle_while_waiting_s``…), states still open
    counted until ``now`` (default: the clock).
    """
    tz = ZoneInfo(cfg.branch.timezone)
    targets = {s.code: float(s.target_wait_s) for s in cfg.services}

    def target_of(service: str) -> float | None:
        return target_wait_s if target_wait_s is not None else targets.get(service)

    every: list[Seen] = []
    by_service: dict[str, list[Seen]] = defaultdict(list)
    by_hour: dict[int, list[Seen]] = defaultdict(list)
    by_day: dict[date, list[Seen]] = defaultdict(list)
    by_staff: dict[str, list[Seen]] = defaultdict(list)
    by_weekday_hour: dict[tuple[int, int], list[Seen]] = defaultdict(list)
    clock = _LocalClock(tz)
    outcome_of = history.OUTCOME_OF_STATE
    rows = history.visit_rows(
        store, date_from.isoformat() if date_from else None, date_to.isoformat() if date_to else None
    )
    # one pass over the rows, in plain tuples: a year of a busy branch is 300,000 of them
    for _, _, _, service, _, arrived, called, started, ended, _, state, staff, rating in rows:
        outcome = outcome_of.get(state)
        if outcome == "served":
            wait = called - arrived
            target = target_of(service)
            seen = Seen(outcome, wait, ended - started, None if target is None else wait <= target, rating)
        else:
            seen = Seen(outcome, None, None, None, rating)
        day, hour, _ = clock.local(arrived)
        every.append(seen)
        by_service[service].append(seen)
        by_hour[hour].append(seen)
        by_day[day].append(seen)
        by_weekday_hour[(day.weekday(), hour)].append(seen)
        if staff:
            by_staff[staff].append(seen)

    first = date_from or (min(by_day) if by_day else None)
    last = date_to or (max(by_day) if by_day else None)
    since, until = day_bounds(tz, first, last)
    breaches = history.alerts(store, since, until) if first else []
    breach_log = alert_state.alert_history(store, since, until) if first else []
    camera = history.observations(store, since, until) if first else []
    clerks = _staff_states(store, cfg, tz, since, until, posix_time.time() if now is None else now) if first else {}

    def local_text(at: float) -> str:
        return datetime.fromtimestamp(at, tz).strftime("%Y-%m-%dT%H:%M:%S")

    def local_or_none(at: float | None) -> str | None:
        return local_text(at) if at is not None else None

    definitions = DEFINITIONS | staff_figures.DEFINITIONS
    definitions["target_wait"] = (
        f"{target_wait_s:g} s for every service"
        if target_wait_s is not None
        else "each service's own target wait: " + ", ".join(f"{c} {t:g} s" for c, t in targets.items())
    )
    return {
        "branch": cfg.branch.name,
        "timezone": cfg.branch.timezone,
        "from": first.isoformat() if first else None,
        "to": last.isoformat() if last else None,
        "definitions": definitions,
        "targets": {code: target_of(code) for code in sorted(set(targets) | set(by_service))},
        "totals": figures(every),
        "by_service": {code: figures(by_service[code]) for code in sorted(by_service)},
        "by_hour": [HourFigures(hour=h, **figures(by_hour[h])) for h in sorted(by_hour)],
        "by_day": [
            DayFigures(day=d.isoformat(), weekday=WEEKDAYS[d.weekday()], **figures(by_day[d])) for d in sorted(by_day)
        ],
        "by_staff": {
            name: StaffFigures(**figures(by_staff[name]), **clerks.get(name, staff_figures.no_states()))
            for name in sorted(set(by_staff) | set(clerks))
        },
        "by_weekday_hour": [
            WeekdayHourFigures(weekday=WEEKDAYS[wd], hour=h, **figures(by_weekday_hour[(wd, h)]))
            for wd, h in sorted(by_weekday_hour)
        ],
        "queue_length": _camera_profile(camera, clock),
        "breaches": [
            BreachEntry(
                kind=b.kind,
                subject=b.subject,
                level=b.level,
                value=b.value,
                limit=b.limit,
                raised_at=local_text(b.raised_at),
                cleared_at=local_or_none(b.cleared_at),
                duration_s=round(b.cleared_at - b.raised_at, 1) if b.cleared_at is not None else None,
            )
            for b in breaches
        ],
        # issue 14: each breach with its acknowledgement (the branch's one alert state)
        "breach_log": [
            BreachLogEntry(
                kind=b.kind,
                subject=b.subject,
                raised_at=local_text(b.raised_at),
                acknowledged_at=local_or_none(b.acknowledged_at),
                acknowledged_by_counter=b.acknowledged_counter,
                cleared_at=local_or_none(b.cleared_at),
                to_acknowledge_s=(round(b.acknowledged_at - b.raised_at, 1) if b.acknowledged_at is not None else None),
            )
            for b in breach_log
        ],
    }


def _staff_states(
    store: SqlStore, cfg: BranchConfig, tz: ZoneInfo, since: float, until: float, now: float
) -> dict[str, StaffStates]:
    """The clerks' state figures over [since, until); an open period ends now or with its own day."""

    def cap(started_at: float) -> float:
        day = datetime.fromtimestamp(started_at, tz).date()
        return min(now, day_bounds(tz, day, day)[1])

    periods = staff_log.staff_periods(store, since, until)
    if not periods:  # an imported log, or consoles from before states were recorded
        return {}
    return staff_figures.staff_state_figures(
        periods,
        staff_log.waiting_spans(store, since, until),
        cfg.services_of_counter,
        since,
        until,
        cap,
    )


def _camera_profile(camera: list[tuple[float, int]], clock: _LocalClock) -> list[QueueLengthBin]:
    """The camera's count of people in line by quarter hour of the day (mean and most seen)."""
    bins: dict[int, list[int]] = defaultdict(list)
    for at, people in camera:
        _, hour, minute = clock.local(at)
        bins[hour * 4 + minute * 60 // CAMERA_BIN_S].append(people)
    return [
        QueueLengthBin(
            time=f"{b // 4:02d}:{(b % 4) * 15:02d}",
            people_mean=round(sum(v) / len(v), 2),
            people_max=max(v),
            observations=len(v),
        )
        for b, v in sorted(bins.items())
    ]
