"""Visits to the queue zone: anonymous intervals, nothing else.

A visit opens when a followed person has been counted in the zone, and closes
``grace_s`` after they were last seen there. Someone who is lost (hidden, or
the tracker dropped them) and found again near where they were last seen within
the grace period continues the same visit, unless they walked out of view. A visit knows only its number, its
times, where it was last seen (to be rejoined) and whether it reached the desk
zone; no image, no appearance, no identity.

    ledger = VisitLedger(grace_s=4.0)
    v = ledger.open(enter_s=1.0, at=(320, 400), radius=40)
    ledger.seen(v, t=5.0, at=(330, 410), radius=40, at_desk=False)
    closed = ledger.close_expired(now=9.5)   # [Visit(id=1, enter_s=1.0, exit_s=5.0, …)]
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

REJOIN_RADII = 3.0  # a lost person is looked for within this many body radii of where they were


@dataclass(slots=True)
class Visit:
    id: int
    enter_s: float
    exit_s: float  # last time seen in the zone so far
    last_at: tuple[float, float] = field(repr=False, default=(0.0, 0.0))
    radius: float = field(repr=False, default=1.0)
    reached_desk: bool = False
    active: bool = True  # a track is following this visit now
    rejoinable: bool = field(repr=False, default=True)  # False once its person walked out of view

    @property
    def duration_s(self) -> float:
        return self.exit_s - self.enter_s


class VisitLedger:
    def __init__(self, grace_s: float = 4.0, recent: int = 20):
        self.grace_s = grace_s
        self._open: dict[int, Visit] = {}
        self._next_id = 1
        self.recent: deque[Visit] = deque(maxlen=recent)  # the last closed visits, for the mean wait

    def open(self, enter_s: float, at: tuple[float, float], radius: float) -> Visit:
        visit = Visit(self._next_id, enter_s, enter_s, at, radius)
        self._next_id += 1
        self._open[visit.id] = visit
        return visit

    def rejoin(self, t: float, at: tuple[float, float], radius: float) -> Visit | None:
        """The visit a newly counted person continues: the nearest one not followed
        now, lost less than the grace period ago, within REJOIN_RADII of here."""
        best, best_d = None, math.inf
        for visit in self._open.values():
            if visit.active or not visit.rejoinable or t - visit.exit_s > self.grace_s:
                continue
            d = math.hypot(at[0] - visit.last_at[0], at[1] - visit.last_at[1]) / max(radius, visit.radius)
            if d <= REJOIN_RADII and d < best_d:
                best, best_d = visit, d
        if best is not None:
            best.active = True
        return best

    def seen(
        self, visit: Visit, t: float, at: tuple[float, float], radius: float, in_zone: bool, at_desk: bool
    ) -> None:
        if in_zone:
            visit.exit_s = max(visit.exit_s, t)
            visit.last_at, visit.radius = at, radius
        visit.reached_desk = visit.reached_desk or at_desk

    def discard(self, visit: Visit) -> None:
        """Forget a visit that was never real (a false person counted at the start)."""
        self._open.pop(visit.id, None)

    def lost(self, visit: Visit, walked_out: bool = False) -> None:
        """Its person is not followed now. One who walked out of view is not looked for again:
        whoever comes in there next is someone else."""
        visit.active = False
        visit.rejoinable = visit.rejoinable and not walked_out

    def close_expired(self, now: float) -> list[Visit]:
        """Visits not seen in the zone for longer than the grace period, now closed."""
        done = [v for v in self._open.values() if not v.active and now - v.exit_s > self.grace_s]
        for visit in done:
            del self._open[visit.id]
            self.recent.append(visit)
        return sorted(done, key=lambda v: v.exit_s)

    def close_all(self) -> tuple[list[Visit], list[Visit]]:
        """At the end of a source: the visits whose person was already lost (closed
        now, by exit time) and those still followed (open, by entry time)."""
        lost = sorted((v for v in self._open.values() if not v.active), key=lambda v: v.exit_s)
        still = sorted((v for v in self._open.values() if v.active), key=lambda v: v.enter_s)
        self._open.clear()
        self.recent.extend(lost)
        return lost, still

    def open_visits(self) -> list[Visit]:
        return list(self._open.values())
