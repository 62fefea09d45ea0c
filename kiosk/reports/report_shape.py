"""The report's result, typed: the JSON of ``frontdesk report --json`` as TypedDicts.

:func:`kiosk.reports.build_report` returns a :class:`Report`, which is a plain ``dict``
at run time (no conversion step: the JSON is ``json.dumps`` of it), so mypy checks every
reader (the renderers, the web's manager pages, the kiosk's manager screen) against the
contract of ``docs/reports.md``. Every group of visits holds the same :class:`Figures` (K),
with the group's own keys first::

    report["totals"]["service_level"]            # Figures
    report["by_hour"][0]["hour"]                 # HourFigures: {"hour", …K}
    report["by_staff"]["Saraa"]["break_s"]       # StaffFigures: K + the clerk's recorded states

``tests/reports/test_report_shape.py`` pins the exact keys at every level, read from the docs.
"""

# no `from __future__ import annotations`: TypedDict must see NotRequired itself (Python 3.11)
from typing import NotRequired, TypedDict


class Figures(TypedDict):
    """K: the figures of one group of visits (None where there is nothing to measure)."""

    arrived: int
    served: int
    abandoned: int
    no_show: int
    closed_at_end_of_day: int
    wait_mean_s: float | None
    wait_median_s: float | None
    wait_p90_s: float | None
    service_mean_s: float | None
    service_level: float | None
    abandon_rate: float | None
    no_show_rate: float | None
    rating_mean: NotRequired[float]  # only where customers rated
    ratings: NotRequired[int]


class HourFigures(Figures):
    hour: int  # branch-local hour of arrival, first in the JSON


class DayFigures(Figures):
    day: str  # YYYY-MM-DD, branch-local
    weekday: str  # Mon … Sun


class WeekdayHourFigures(Figures):
    weekday: str
    hour: int


class StaffStates(TypedDict):
    """A clerk's recorded states over the range (None: no states recorded, e.g. an imported log)."""

    signed_in_s: float | None
    serving_s: float | None
    break_s: float | None
    back_office_s: float | None
    serving_share: float | None
    idle_while_waiting_s: float | None
    break_by_reason: dict[str, float]


class StaffFigures(Figures, StaffStates):
    """One ``by_staff`` entry: the ticket figures of that name, then its state figures."""


class QueueLengthBin(TypedDict):
    """The camera's count of people in line in one quarter hour of the day."""

    time: str  # HH:MM, the quarter's start
    people_mean: float
    people_max: int
    observations: int


class BreachEntry(TypedDict):
    """A breach-level alert raised in the period (local times)."""

    kind: str
    subject: str
    level: str
    value: float
    limit: float
    raised_at: str
    cleared_at: str | None
    duration_s: float | None


class BreachLogEntry(TypedDict):
    """The same breach with its acknowledgement (the branch's one alert state)."""

    kind: str
    subject: str
    raised_at: str
    acknowledged_at: str | None
    acknowledged_by_counter: int | None
    cleared_at: str | None
    to_acknowledge_s: float | None


# functional form: "from" is a Python keyword
Report = TypedDict(
    "Report",
    {
        "branch": str,
        "timezone": str,
        "from": str | None,
        "to": str | None,
        "definitions": dict[str, str],
        "targets": dict[str, float | None],
        "totals": Figures,
        "by_service": dict[str, Figures],
        "by_hour": list[HourFigures],
        "by_day": list[DayFigures],
        "by_staff": dict[str, StaffFigures],
        "by_weekday_hour": list[WeekdayHourFigures],
        "queue_length": list[QueueLengthBin],
        "breaches": list[BreachEntry],
        "breach_log": list[BreachLogEntry],
    },
)
