"""The wait estimate printed on a ticket: a point and an honest range.

Only what is known at check-in is used. Two estimators live here:

- the **classic** one the established queue systems print: people ahead x mean
  recent service time / staff serving (:func:`classic_wait`), used until the
  branch has a history of its own;
- the **learned** one (:class:`WaitHistory`): the branch's own recent waits in
  the same *situation*, learned online from every ticket called. A situation is
  (people ahead, counters staffed and free now, priority or not); waits are kept
  per place in line (wait / (ahead + 1)) so that nearby queue lengths share what
  they teach. The point is the median of those waits (the figure that is off by
  the least on average); the range is the shortest interval holding a share of
  them, and that share is itself corrected online (adaptive conformal inference,
  Gibbs & Candes 2021) so that the share of actual waits inside the printed
  ranges stays at the target whatever the branch's waits look like.

People ahead who give up make the queue move faster: the learned waits include
that, because they are the waits customers actually had.

>>> e = estimate_wait(EstimateInput(ahead=4, servers=2, recent_service_s=[120.0, 180.0, 240.0],
...                                  default_service_s=300.0))
>>> round(e.point_s), e.low_s <= e.point_s <= e.high_s
(360, True)
>>> h = WaitHistory(min_observations=3)
>>> for wait in (0.0, 2.0, 5.0, 4.0):
...     h.observe(Situation(ahead=0, free=1, priority=False), wait, low_s=0.0, high_s=10.0)
>>> h.estimate(EstimateInput(ahead=0, servers=2, free=1)).point_s
3.0
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from dataclasses import dataclass, field
from operator import sub
from statistics import fmean

from kiosk.core.model import WaitEstimate

# Bucket edges of people ahead: exact for short queues, coarser as the queue grows
# (a tenth person more matters less than a second one).
AHEAD_EDGES = (0, 1, 2, 3, 5, 8, 12, 18, 27, 40, 60)
FREE_CAP = 3  # 3 or more free counters: a new customer is called at once either way
# A counter that called nobody for this many mean service times is probably not staffed.
STAFFED_WITHIN_SERVICES = 3.0


@dataclass(frozen=True)
class EstimateInput:
    ahead: int  # tickets of this service that will be called first
    servers: int  # counters serving this service now (at least 1 is assumed)
    recent_service_s: list[float] = field(default_factory=list)  # latest service times of this service
    default_service_s: float = 300.0  # used until the day has service times of its own
    free: int | None = None  # staffed counters of this service with nobody at them now
    priority: bool = False  # a special-care ticket


@dataclass(frozen=True)
class Situation:
    """What the learned estimate conditions on, as known at check-in."""

    ahead: int
    free: int | None
    priority: bool

    def keys(self) -> list[tuple[str | int | bool, ...]]:
        """From the most specific situation to the most general, for falling back when data is thin."""
        a = bucket_of_ahead(self.ahead)
        keys: list[tuple[str | int | bool, ...]] = [("a", a, "p", self.priority)]
        if self.free is not None:
            keys.insert(0, ("a", a, "f", min(self.free, FREE_CAP), "p", self.priority))
        keys.append(("a", a))
        return keys


def bucket_of_ahead(ahead: int) -> int:
    """Index of the people-ahead bucket (see AHEAD_EDGES)."""
    return bisect_left(AHEAD_EDGES, ahead)


def _quantile(ordered: list[float], q: float) -> float:
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def shortest_interval(ordered: list[float], share: float) -> tuple[float, float]:
    """The narrowest [low, high] holding ``share`` of the sorted values.

    >>> shortest_interval([0, 0, 0, 1, 2, 50, 100], 0.6)
    (0, 1)
    """
    n = len(ordered)
    k = min(n, max(1, round(share * n)))
    widths = list(map(sub, ordered[k - 1 :], ordered))  # high - low of each run of k, in C
    best = widths.index(min(widths))
    return ordered[best], ordered[best + k - 1]


def classic_estimate(ahead: int, mean_service_s: float, servers: int) -> float:
    """People ahead x mean service time / staff serving: the textbook figure."""
    return ahead * mean_service_s / max(servers, 1)


def classic_wait(inp: EstimateInput) -> WaitEstimate:
    """The classic estimate with a range from the spread of recent service times."""
    recent = inp.recent_service_s[-30:]
    mean = fmean(recent) if recent else inp.default_service_s
    servers = max(inp.servers, 1)
    point = classic_estimate(inp.ahead, mean, servers)
    if len(recent) >= 4:
        ordered = sorted(recent)
        low = inp.ahead * _quantile(ordered, 0.25) / servers
        high = (inp.ahead + 1) * _quantile(ordered, 0.75) / servers
    else:  # too few observations: a wide range rather than a falsely precise one
        low, high = point * 0.5, (inp.ahead + 1) * mean / servers * 1.5
    return WaitEstimate(point_s=point, low_s=min(low, point), high_s=max(high, point))


class _Window:
    """The latest waits of one situation, kept sorted as well as in arrival order."""

    __slots__ = ("order", "ordered")

    def __init__(self, size: int):
        self.order: deque[float] = deque(maxlen=size)
        self.ordered: list[float] = []

    def add(self, value: float) -> None:
        if len(self.order) == self.order.maxlen:
            oldest = self.order[0]
            del self.ordered[bisect_left(self.ordered, oldest)]
        self.order.append(value)
        insort(self.ordered, value)


class WaitHistory:
    """The branch's recent waits by situation, learned online; estimates from them.

    ``observe`` is called once per ticket when it is first called, with the
    situation it was issued in and the range it was shown, never before: an
    estimate uses only waits that had ended when it was made.
    """

    def __init__(self, window: int = 500, min_observations: int = 20, target_share: float = 0.85, step: float = 0.005):
        self.window = window
        self.min_observations = min_observations
        self.target_share = target_share  # share of actual waits the range should hold
        self.step = step  # how fast the range's share is corrected after a miss or a hit
        self.share = target_share  # the share of learned waits the range is drawn around now
        self.observations = 0  # ended waits learned so far
        self._windows: dict[tuple[str | int | bool, ...], _Window] = {}

    def observe(self, situation: Situation, wait_s: float, low_s: float, high_s: float) -> None:
        """Learn one ended wait, and whether the range printed for it held it."""
        self.observations += 1
        per_place = max(wait_s, 0.0) / (situation.ahead + 1)
        for key in situation.keys():
            window = self._windows.get(key)
            if window is None:
                window = self._windows[key] = _Window(self.window)
            window.add(per_place)
        missed = 0.0 if low_s <= wait_s <= high_s else 1.0
        # adaptive conformal inference: widen after a miss, narrow after a hit, so that
        # the long-run share of misses converges to 1 - target_share
        self.share = min(0.99, max(0.5, self.share + self.step * (missed - (1.0 - self.target_share))))

    def _learned(self, situation: Situation) -> list[float] | None:
        for key in situation.keys():
            window = self._windows.get(key)
            if window is not None and len(window.ordered) >= self.min_observations:
                return window.ordered
        return None

    def estimate(self, inp: EstimateInput) -> WaitEstimate:
        """The learned estimate; the classic one while this situation has too few waits."""
        situation = Situation(inp.ahead, inp.free, inp.priority)
        learned = self._learned(situation)
        if learned is None:
            return classic_wait(inp)
        places = inp.ahead + 1
        point = _quantile(learned, 0.5) * places
        low, high = shortest_interval(learned, self.share)
        return WaitEstimate(point_s=point, low_s=min(low * places, point), high_s=max(high * places, point))


def estimate_wait(inp: EstimateInput, history: WaitHistory | None = None) -> WaitEstimate:
    """The estimate to print: learned from ``history`` when it knows the situation, else classic."""
    return history.estimate(inp) if history is not None else classic_wait(inp)
