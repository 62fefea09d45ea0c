"""The report's figures: counts, waits, service times, service level, abandonment.

Definitions (those of the established queue systems; the report states them):

- wait = ``called_at - arrived_at`` of a served ticket (its first call);
- service time = ``service_ended_at - service_started_at`` of a served ticket;
- service level = share of served tickets whose wait is at most the target
  (the service's standard, or one target for all);
- abandon rate = abandoned / arrived; no-show rate = no-shows / arrived;
- closed at end of day = tickets still open when the branch closed: counted on their own,
  never served, abandoned or a no-show, and in no wait or service figure;
- percentiles by linear interpolation between order statistics.

>>> k = figures([Seen("served", 10.0, 60.0, True, None), Seen("served", 50.0, 120.0, False, 4),
...              Seen("abandoned", None, None, None, None)])
>>> k["arrived"], k["wait_median_s"], k["service_level"], k["abandon_rate"], k["rating_mean"]
(3, 30.0, 0.5, 0.333, 4.0)
"""

from __future__ import annotations

from math import fsum
from typing import NamedTuple

from kiosk.reports.report_shape import Figures

DEFINITIONS = {
    "wait": "called_at - arrived_at of a served ticket (its first call), in seconds",
    "service_time": "service_ended_at - service_started_at of a served ticket, in seconds",
    "service_level": "share of served tickets whose wait is at most the target wait",
    "abandon_rate": "abandoned / arrived (walked away while waiting)",
    "closed_at_end_of_day": "tickets still open when the branch closed (not served, not walked away, in no wait)",
    "no_show_rate": "no_show / arrived (called, never came)",
    "percentiles": "linear interpolation between order statistics (p90 = 90th percentile)",
    "arrived": "tickets issued in the period (including those not finished yet)",
    "day_and_hour": "the branch-local day and hour of arrival",
    "staff": "the staff member who served (or, for a no-show, called) the ticket",
}


def percentile(ordered: list[float], q: float) -> float | None:
    """The q-quantile (0..1) of sorted values by linear interpolation; None if empty.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5), percentile([0.0, 10.0], 0.9)
    (2.5, 9.0)
    """
    if not ordered:
        return None
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


class Seen(NamedTuple):
    """One visit as the figures need it."""

    outcome: str | None  # served | abandoned | no_show | closed_at_end_of_day | None (not finished)
    wait_s: float | None  # served tickets only
    service_s: float | None  # served tickets only
    within_target: bool | None  # wait <= target; None: not served or no target
    rating: int | None


def figures(seen: list[Seen]) -> Figures:
    """The K of the report for one group of visits: every figure, None where there is nothing to measure."""
    arrived = len(seen)
    outcomes = [s.outcome for s in seen]
    served = outcomes.count("served")
    abandoned = outcomes.count("abandoned")
    no_show = outcomes.count("no_show")
    waits = sorted([s.wait_s for s in seen if s.wait_s is not None])
    services = [s.service_s for s in seen if s.service_s is not None]
    judged = [s.within_target for s in seen if s.within_target is not None]
    ratings = [s.rating for s in seen if s.rating is not None]
    out: Figures = {
        "arrived": arrived,
        "served": served,
        "abandoned": abandoned,
        "no_show": no_show,
        "closed_at_end_of_day": outcomes.count("closed_at_end_of_day"),
        "wait_mean_s": _round(fsum(waits) / len(waits), 1) if waits else None,
        "wait_median_s": _round(percentile(waits, 0.5), 1),
        "wait_p90_s": _round(percentile(waits, 0.9), 1),
        "service_mean_s": _round(fsum(services) / len(services), 1) if services else None,
        "service_level": _round(sum(judged) / len(judged), 3) if judged else None,
        "abandon_rate": _round(abandoned / arrived, 3) if arrived else None,
        "no_show_rate": _round(no_show / arrived, 3) if arrived else None,
    }
    if ratings:
        out["rating_mean"] = round(fsum(ratings) / len(ratings), 2)
        out["ratings"] = len(ratings)
    return out
