"""Follow people anonymously and turn detections into a steady count and visits.

norfair follows feet points (a Kalman filter per person, set for a walker's pace at a
few looks a second, matched by distance in body radii; no appearance features). On top of it, a time-based hysteresis:

* a person is counted once seen in the zone for ``enter_hold_s`` (one stray
  detection never counts), except at the very first look of a source: a
  confidently detected person there was already queueing when the counter
  started and counts at once (the *start*); if the next look does not see them
  again they are withdrawn and leave no visit;
* a counted person stays counted until unseen in the zone for ``exit_hold_s``
  (someone briefly hidden behind another is not dropped), or less if they walked out
  at a side: until their box, at its own pace, has passed the edge (at least
  ``edge_exit_hold_s``, at most ``edge_exit_max_s``);
* their visit closes ``grace_s`` after they were last seen; a person found
  again near there within it continues the same visit (see ``visits``), unless they
  walked out of view at a side: whoever comes in there next is someone else.

    tracker = QueueTracker(zone, frame_size=(640, 480))
    update = tracker.update(t, people)   # -> TrackUpdate(count=…, raw=…, closed=[…])
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
from norfair import Detection, Tracker
from norfair.filter import OptimizedKalmanFilterFactory
from norfair.tracker import TrackedObject

from vision.people import Person, inside_share, iou
from vision.visits import Visit, VisitLedger
from vision.zone import Zone

TAKE_OVER_RADII = 1.0  # an identity switch happens where the person is; neighbours in a crowd are further
WEAK_REACH = 0.75  # radii: a weak detection follows a person only right where they are expected
WEAK_SIZE = (0.75, 1.33)  # and only at about their size
DUPLICATE_IOU = 0.3  # a weak box overlapping a sure one more than this is a part of that person
PART_TOP = 0.25  # a part-body box starts at its person's head: its top within this share of their height
EDGE = 0.02  # share of the frame's width that counts as its edge
# norfair's Kalman filter in pixels per look. Its defaults (velocity variance 1, process noise 0.1)
# are for a detector on every frame: they take a person for standing still, so at 2.5 looks a
# second a walker (0.5-1 body radius a look) is matched by where they were, not where they went,
# and two people walking side by side swap tracks. A wide velocity prior and process noise let
# the filter take each person's pace from their last sightings.
KALMAN = OptimizedKalmanFilterFactory(R=4.0, Q=100.0, vel_variance=10_000.0)


@dataclass(frozen=True, slots=True)
class Smoothing:
    enter_hold_s: float = 0.2
    exit_hold_s: float = 1.2
    grace_s: float = 4.0
    edge_exit_hold_s: float = 0.2  # the same for someone last seen at the frame's side edge: they walked out of view
    edge_exit_max_s: float = 0.4  # ... or longer while their pace says a part of them is still in view, up to this
    match_radii: float = 1.5  # a detection further than this many radii from a track starts a new one
    sure_score: float = 0.35  # a person counts only once detected this sure (at the first look: at once, on trial);
    # weaker detections only follow people already counted
    at_once_score: float = 0.5  # this sure, a person counts from their first sighting, on trial (the entry lag)
    part_inside: float = 0.9  # a sure box lying this much inside a taller one, top to top, is a part of it
    min_height: float = 0.06  # share of the frame's height: a box smaller than this is no one in a queue zone
    # (someone about 20 m away); the footage's smallest true person is 0.10 of it (PETS, 37 of 360 rows),
    # NanoDet's smallest box on a true person 0.075; PETS's static 14-row box, sure at 81 % of looks, 0.04


@dataclass(frozen=True, slots=True)
class TrackUpdate:
    count: int  # smoothed people in the zone
    raw: int  # detections in the zone in this frame
    closed: list[Visit] = field(default_factory=list)  # visits that closed now


@dataclass(slots=True)
class _Followed:
    first_in_zone: float | None = None
    last_in_zone: float | None = None
    hits_in_zone: int = 0
    visit: Visit | None = None
    last_at: tuple[float, float] = (0.0, 0.0)
    radius: float = 1.0
    on_trial: bool = False  # counted at the start, not yet seen at a second look
    at_edge: bool = False  # last seen touching the frame's left or right edge
    seen_t: float | None = None  # when last detected
    sides: tuple[float, float] = (0.0, 0.0)  # their box's left and right side when last seen
    sides_pace: tuple[float, float] = (0.0, 0.0)  # pixels per second of each side between the last two sightings
    sightings: int = 0  # looks that detected them
    seen_sure: bool = False  # a look has detected them sure (weak detections alone never start anyone)

    @property
    def pace_x(self) -> float:
        """Sideways pixels per second of their feet (the box's middle) between the last two sightings."""
        return (self.sides_pace[0] + self.sides_pace[1]) / 2.0


def _radii_apart(detection: Detection, tracked: TrackedObject) -> float:
    return float(np.linalg.norm(detection.points - tracked.estimate) / max(detection.data.radius, 1.0))


class QueueTracker:
    def __init__(
        self,
        zone: Zone,
        frame_size: tuple[int, int],
        desk_zone: Zone | None = None,
        smoothing: Smoothing = Smoothing(),
        detections_per_s: float = 5.0,
    ):
        self.zone, self.desk_zone, self.smoothing = zone, desk_zone, smoothing
        self.width, self.height = frame_size
        # norfair counts in updates, our holds in seconds: keep a lost track alive
        # for the exit hold so that it can be matched again when it reappears.
        lifetime = max(2, math.ceil(smoothing.exit_hold_s * detections_per_s))
        quiet = logging.getLogger().level
        logging.getLogger().setLevel(
            logging.ERROR
        )  # norfair warns that a Python distance is slower; ours is a few people
        self._tracker = Tracker(
            distance_function=_radii_apart,
            distance_threshold=smoothing.match_radii,
            hit_counter_max=lifetime,
            initialization_delay=0,  # one sighting is enough to follow; counting waits for the hold
            filter_factory=KALMAN,
        )
        logging.getLogger().setLevel(quiet)
        self._followed: dict[int, _Followed] = {}
        self.ledger = VisitLedger(grace_s=smoothing.grace_s)
        self._count = 0
        self._first_t: float | None = None
        self._apart: list[Person] = []  # this look's sure people overlapping no other sure box
        self.walkaways = 0  # visits closed without reaching the desk zone (needs a desk zone)

    def _in(self, zone: Zone | None, x: float, y: float) -> bool:
        return zone is not None and zone.contains(x / self.width, y / self.height)

    def update(self, t: float, people: list[Person]) -> TrackUpdate:  # noqa: C901 (to be split)
        """Feed the people detected in a frame at source time ``t``."""
        if self._first_t is None:
            self._first_t = t
        people = [p for p in people if 2 * p.radius >= self.smoothing.min_height * self.height]  # too far to queue
        raw = sum(1 for p in people if p.score >= self.smoothing.sure_score and self._in(self.zone, p.x, p.y))
        sure = [p for p in people if p.score >= self.smoothing.sure_score]
        sure = [p for p in sure if not any(self._part_of(p, q) for q in sure)]  # part-body duplicates in groups
        # only someone standing apart may count at once: in a group a box may be a part of a neighbour
        self._apart = [p for p in sure if not any(q is not p and iou(p.box, q.box) > DUPLICATE_IOU for q in sure)]
        followed = sure + [p for p in people if p.score < self.smoothing.sure_score and self._continues(p, sure)]
        detections = [Detection(points=np.array([[p.x, p.y]]), data=p) for p in followed]
        alive, matched = self._follow(t, detections)
        for ident, state in self._followed.items():
            if state.on_trial and ident not in matched:
                self._withdraw(state)
        for gone in set(self._followed) - alive:
            state = self._followed.pop(gone)
            if state.visit is not None:
                self.ledger.lost(state.visit, self._walked_out(state, t))
        count = self._counted(t)
        closed = self.ledger.close_expired(t)
        if self.desk_zone is not None:
            self.walkaways += sum(not v.reached_desk for v in closed)
        self._count = count
        return TrackUpdate(count=count, raw=raw, closed=closed)

    def _part_of(self, part: Person, whole: Person) -> bool:
        """Is this sure box a part of a taller sure one (an upper body inside the whole body, in a
        group)? It lies almost wholly inside it and shares its top; someone standing further
        back inside a near person's box has their head lower down, and is kept."""
        if part is whole or whole.radius <= part.radius:
            return False
        if inside_share(part.box, whole.box) < self.smoothing.part_inside:
            return False
        return abs(part.box[1] - whole.box[1]) <= PART_TOP * 2 * whole.radius

    def _follow(self, t: float, detections: list[Detection]) -> tuple[set[int], set[int]]:
        """norfair's step; each followed person's sightings. (Followed now, matched now.)"""
        alive: set[int] = set()
        matched: set[int] = set()
        for obj in self._tracker.update(detections=detections):
            if obj.id is None:  # norfair numbers every track it returns; None only before initialisation
                continue
            alive.add(obj.id)
            state = self._followed.setdefault(obj.id, _Followed())
            det = obj.last_detection
            if any(det is d for d in detections):  # matched in this frame, not just predicted
                matched.add(obj.id)
                if t == self._first_t:
                    self._start(state, t, det.data)
                else:
                    state.on_trial = False
                    self._seen(state, t, det.data)
        return alive, matched

    def _counted(self, t: float) -> int:
        """People counted now; visits of people out of the zone past their hold stop running."""
        count = 0
        for state in self._followed.values():
            if self._held(state, t):
                count += 1
            elif state.visit is not None and state.visit.active and state.last_in_zone is not None:
                self.ledger.lost(state.visit, self._walked_out(state, t))  # followed, but out of the zone for good
        return count

    def _held(self, state: _Followed, t: float) -> bool:
        """Is this person counted at time ``t``: in a visit, and seen in the zone within their exit hold?"""
        if state.visit is None or state.last_in_zone is None:
            return False
        s = self.smoothing
        return t - state.last_in_zone <= (s.edge_exit_hold_s if self._left_view(state, t) else s.exit_hold_s)

    def _left_view(self, state: _Followed, t: float) -> bool:
        """Walked out at a side: last seen at a side edge of the frame and their box has passed it by
        now, or their last pace has taken them past one by now."""
        if state.seen_t is None:
            return False
        since = t - state.seen_t
        if state.at_edge and state.sightings > 1:  # first seen at the edge: walking in, not out
            return since > self.smoothing.edge_exit_max_s or self._box_out(state, since)
        return self._paced_out(state, since)

    def _walked_out(self, state: _Followed, t: float) -> bool:
        """Lost because they walked out of view at a side: their box, at its own pace, has passed
        the edge, or their last pace has taken them past one. Then whoever comes in there next is
        someone else (PETS: a walker leaving at the right edge and the next one coming in there were
        one visit). Someone at the edge but not moving out is not taken to have left: they may be
        standing there, missed by the detector."""
        if state.seen_t is None:
            return False
        since = t - state.seen_t
        if state.at_edge and state.sightings > 1:
            return self._box_out(state, since, still_is_out=False)
        return self._paced_out(state, since)

    def _paced_out(self, state: _Followed, since: float) -> bool:
        """Has their last sideways pace taken their feet past a side edge ``since`` seconds later?"""
        expected_x = state.last_at[0] + state.pace_x * since
        return expected_x < 0 or expected_x > self.width

    def _box_out(self, state: _Followed, since: float, still_is_out: bool = True) -> bool:
        """Has the box of someone last seen at a side edge passed out of view ``since`` seconds
        later? Its inner side moves at its own last pace (the outer one is cut by the frame);
        someone not moving out there is taken to be out unless ``still_is_out`` is False."""
        left, right = state.sides
        if left <= EDGE * self.width:  # at the left edge: out once the right side has passed 0
            pace = state.sides_pace[1]
            return (still_is_out and pace >= 0) or (pace < 0 and right + pace * since < 0)
        pace = state.sides_pace[0]
        return (still_is_out and pace <= 0) or (pace > 0 and left + pace * since > self.width)

    def count_at(self, t: float) -> int:
        """The count at a frame between looks: the last look's people, less those whose hold ran out."""
        return sum(self._held(state, t) for state in self._followed.values())

    def _continues(self, weak: Person, sure: list[Person]) -> bool:
        """May a weak detection follow someone? Only a person already followed whom no
        sure detection explains now (someone standing still, turned away, half hidden),
        and only if it is not a part-body duplicate of a sure person. So weak
        detections never start anyone (two-stage association, as in ByteTrack)."""
        if any(iou(weak.box, p.box) > DUPLICATE_IOU for p in sure):
            return False
        reach = self.smoothing.match_radii
        for obj in self._tracker.tracked_objects:
            ex, ey = obj.estimate[0]
            state = self._followed.get(obj.id) if obj.id is not None else None
            if state is None or state.visit is None:
                continue
            if not WEAK_SIZE[0] <= weak.radius / max(state.radius, 1.0) <= WEAK_SIZE[1]:
                continue
            if math.hypot(weak.x - ex, weak.y - ey) <= WEAK_REACH * max(weak.radius, 1.0) and not any(
                math.hypot(p.x - ex, p.y - ey) <= reach * max(p.radius, 1.0) for p in sure
            ):
                return True
        return False

    def _start(self, state: _Followed, t: float, person: Person) -> None:
        """First look of the source: a sure person in the zone counts at once, on trial."""
        at = (person.x, person.y)
        if person.score >= self.smoothing.sure_score and self._in(self.zone, *at):
            state.visit, state.on_trial = self.ledger.open(t, at, person.radius), True
        self._seen(state, t, person)

    def _withdraw(self, state: _Followed) -> None:
        """Counted at the start but not seen again: a false person; no visit is left."""
        if state.visit is not None:  # on trial: opened at its first look
            self.ledger.discard(state.visit)
        state.visit, state.on_trial = None, False
        state.first_in_zone = state.last_in_zone = None
        state.hits_in_zone = 0

    def _seen(self, state: _Followed, t: float, person: Person) -> None:
        at, radius = (person.x, person.y), person.radius
        in_zone = self._in(self.zone, *at)
        at_desk = self._in(self.desk_zone, *at)
        if in_zone:
            returned = state.last_in_zone is not None and t - state.last_in_zone > self.smoothing.exit_hold_s
            if state.first_in_zone is None or (returned and state.visit is None):
                state.first_in_zone, state.hits_in_zone = t, 0  # a fresh start in the zone
            state.last_in_zone = t
            state.hits_in_zone += 1
        if state.visit is None and in_zone:
            self._enter(state, t, person)
        box = person.box
        if state.seen_t is not None and t > state.seen_t:
            state.sides_pace = (
                (box[0] - state.sides[0]) / (t - state.seen_t),
                (box[2] - state.sides[1]) / (t - state.seen_t),
            )
        state.sides = (box[0], box[2])
        state.last_at, state.radius, state.seen_t = at, radius, t
        state.sightings += 1
        state.seen_sure = state.seen_sure or person.score >= self.smoothing.sure_score
        state.at_edge = box[0] <= EDGE * self.width or box[2] >= (1 - EDGE) * self.width
        if state.visit is not None:
            if in_zone and not state.visit.active:
                state.visit.active = True  # came back into the zone within the grace period
            self.ledger.seen(state.visit, t, at, radius, in_zone, at_desk)

    def _enter(self, state: _Followed, t: float, person: Person) -> None:
        """Count someone seen in the zone: once seen twice over the enter hold, or at
        once when detected very surely (on trial: withdrawn without a visit unless the
        next look sees them too)."""
        since = t if state.first_in_zone is None else state.first_in_zone
        confirmed = state.hits_in_zone >= 2 and t - since >= self.smoothing.enter_hold_s
        at_once = person.score >= self.smoothing.at_once_score and any(person is p for p in self._apart)
        if not confirmed and not at_once:
            return
        if not state.seen_sure and person.score < self.smoothing.sure_score:
            return  # a track of weak boxes only (two weak boxes continuing one person): nobody new
        at, radius = (person.x, person.y), person.radius
        state.visit = self._take_over(state, t, at, radius) or self.ledger.rejoin(t, at, radius)
        if state.visit is None:
            state.visit = self.ledger.open(since, at, radius)
            state.on_trial = not confirmed

    def _take_over(self, new: _Followed, t: float, at: tuple[float, float], radius: float) -> Visit | None:
        """The tracker lost someone and started a new track on them (an identity
        switch): a counted track not seen now, near here, hands its visit over,
        so that one person is never counted twice."""
        best, best_d = None, TAKE_OVER_RADII
        for old in self._followed.values():
            if old is new or old.visit is None or old.last_in_zone is None or old.last_in_zone >= t:
                continue
            d = math.hypot(at[0] - old.last_at[0], at[1] - old.last_at[1]) / max(radius, old.radius)
            if d <= best_d:
                best, best_d = old, d
        if best is None:
            return None
        visit, best.visit, best.last_in_zone, best.on_trial = best.visit, None, None, False
        return visit

    @property
    def count(self) -> int:
        return self._count

    def open_waits(self, t: float) -> list[float]:
        """How long each person counted now has been in the zone."""
        return [t - v.enter_s for v in self.ledger.open_visits() if v.active]

    def finish(self) -> tuple[list[Visit], list[Visit]]:
        """End of the source: (visits closed now because their person was lost, visits still open)."""
        return self.ledger.close_all()
