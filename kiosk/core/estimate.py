"""The wait estimate printed on a ticket: a point and an honest range.

Only what is known at check-in is used. This is the classic estimate the
established queue systems print (people ahead x mean recent service time /
staff serving), with a range from the spread of recent service times.

>>> e = estimate_wait(EstimateInput(ahead=4, servers=2, recent_service_s=[120.0, 180.0, 240.0],
...                                  default_service_s=300.0))
>>> round(e.point_s), e.low_s <= e.point_s <= e.high_s
(360, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean

from kiosk.core.model import WaitEstimate


@dataclass(frozen=True)
class EstimateInput:
    ahead: int  # tickets of this service that will be called first
    servers: int  # counters serving this service now (at least 1 is assumed)
    recent_service_s: list[float] = field(default_factory=list)  # latest service times of this service
    default_service_s: float = 300.0  # used until the day has service times of its own
    camera_people: int | None = None  # people the camera sees in line, when it is on


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def classic_estimate(ahead: int, mean_service_s: float, servers: int) -> float:
    """People ahead x mean service time / staff serving: the textbook figure."""
    return ahead * mean_service_s / max(servers, 1)


def estimate_wait(inp: EstimateInput) -> WaitEstimate:
    recent = inp.recent_service_s[-30:]
    mean = fmean(recent) if recent else inp.default_service_s
    servers = max(inp.servers, 1)
    point = classic_estimate(inp.ahead, mean, servers)
    if len(recent) >= 4:
        low = inp.ahead * _quantile(recent, 0.25) / servers
        high = (inp.ahead + 1) * _quantile(recent, 0.75) / servers
    else:  # too few observations: a wide range rather than a falsely precise one
        low, high = point * 0.5, (inp.ahead + 1) * mean / servers * 1.5
    return WaitEstimate(point_s=point, low_s=min(low, point), high_s=max(high, point))
