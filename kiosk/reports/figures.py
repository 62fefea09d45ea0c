"""The report's figures: counts, waits, service times, service level, abandonment.

Definitions (those of the established queue systems; the report states them):

- wait = ``called_at - arrived_at`` of a served ticket (its first call);
- service time = ``service_ended_at - service_started_at`` of a served ticket;
- service level = share of served tickets whose wait is at most the target
  (the service's standard, or one target for all);
- abandon rate = abandoned / arrived; no-show rate = no-shows / arrived;
- percentiles by linear interpolation between order statistics.

>>> fig = Figures()
>>> fig.add(outcome="served", wait_s=10.0, service_s=60.0, target_s=30.0, rating=None)
>>> fig.add(outcome="served", wait_s=50.0, service_s=120.0, target_s=30.0, rating=4)
>>> fig.add(outcome="abandoned", wait_s=None, service_s=None, target_s=30.0, rating=None)
>>> k = fig.summary()
>>> k["arrived"], k["wait_median_s"], k["service_level"], k["abandon_rate"], k["rating_mean"]
(3, 30.0, 0.5, 0.333, 4.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import fsum

DEFINITIONS = {
    "wait": "called_at - arrived_at of a served ticket (its first call), in seconds",
    "service_time": "service_ended_at - service_started_at of a served ticket, in seconds",
    "service_level": "share of served tickets whose wait is at most the target wait",
    "abandon_rate": "abandoned / arrived (walked away while waiting)",
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


@dataclass
class Figures:
    """Accumulates visits of one group (a service, an hour, a day, a staff member…)."""

    arrived: int = 0
    served: int = 0
    abandoned: int = 0
    no_show: int = 0
    waits: list[float] = field(default_factory=list)
    service_times: list[float] = field(default_factory=list)
    within_target: int = 0
    with_target: int = 0
    ratings: list[int] = field(default_factory=list)

    def add(self, outcome: str | None, wait_s: float | None, service_s: float | None,
            target_s: float | None, rating: int | None) -> None:
        self.arrived += 1
        if outcome == "served":
            self.served += 1
            if wait_s is not None:
                self.waits.append(wait_s)
                if target_s is not None:
                    self.with_target += 1
                    self.within_target += wait_s <= target_s
            if service_s is not None:
                self.service_times.append(service_s)
        elif outcome == "abandoned":
            self.abandoned += 1
        elif outcome == "no_show":
            self.no_show += 1
        if rating is not None:
            self.ratings.append(rating)

    def summary(self) -> dict:
        """The K of the report: every figure, None where there is nothing to measure."""
        waits = sorted(self.waits)
        out = {
            "arrived": self.arrived,
            "served": self.served,
            "abandoned": self.abandoned,
            "no_show": self.no_show,
            "wait_mean_s": _round(fsum(waits) / len(waits), 1) if waits else None,
            "wait_median_s": _round(percentile(waits, 0.5), 1),
            "wait_p90_s": _round(percentile(waits, 0.9), 1),
            "service_mean_s": _round(fsum(self.service_times) / len(self.service_times), 1)
            if self.service_times else None,
            "service_level": _round(self.within_target / self.with_target, 3) if self.with_target else None,
            "abandon_rate": _round(self.abandoned / self.arrived, 3) if self.arrived else None,
            "no_show_rate": _round(self.no_show / self.arrived, 3) if self.arrived else None,
        }
        if self.ratings:
            out["rating_mean"] = round(fsum(self.ratings) / len(self.ratings), 2)
            out["ratings"] = len(self.ratings)
        return out
