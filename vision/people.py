"""Find people at the right scale: a tile pyramid that learns the scene's scale.

The BlazePose detector sees a 224x224 image; a person far from the camera is a
few pixels there and is missed (on a whole 640x480 TUD frame it finds about one
person in six). So the frame is cut into overlapping square tiles whose side is
a fraction of the frame's short side (the *levels*), each tile resized to the
model input. A detection is kept only where its tile could see the whole body:
a body circle larger than ``MAX_RADIUS_FRACTION`` of an inner tile is a partial
view and that person is left to a larger tile.

Which levels to run is learnt from the scene, not set per camera: every
``sweep_every_s`` seconds of source time all levels run (a *sweep*), and the
radii of the people found choose the levels used in between; a body is best
seen when its radius is about a third of the tile side. The whole-frame level
(one inference) always runs, for people close to the camera. Between sweeps a
tile is skipped when nothing moved in it since the previous look
(``vision.motion``) and nobody's body overlapped it then; the whole-body cue
is skipped when nothing moved anywhere and nobody was found (an empty, still
scene, the kiosk's usual state out of hours).

A whole-body cue (``vision.hog.HogCue``) finds the people the head-anchored
BlazePose detector misses from the side or from behind; its people join those
of the tiles unless a body box of the tiles already covers them (one to one,
box overlap above ``FUSE_IOU``).

    finder = PeopleFinder(PoseDetector(), HogCue())
    people = finder.find(rgb, t=frame_time, region=(0, 0, w, h))
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from vision.motion import MotionMap
from vision.posedet import Body, PoseDetector, Tile

LEVELS = (1.0, 0.75, 0.5, 0.375, 0.25)  # tile side as a fraction of the frame's short side
OVERLAP = 0.3  # neighbouring tiles share 30 % of their side
MAX_RADIUS_FRACTION = 0.4  # above this an inner tile sees only part of the body
BEST_RADIUS_FRACTION = 0.35  # radius/side where the detector finds most people and few false ones
MIN_TILE = 96  # pixels: smaller tiles are upscaled more than 2.3x and only add false people
SAME_PERSON = 0.6  # two hip points closer than this many radii are one person
SAME_BOX_IOU = 0.3
FUSE_IOU = 0.3  # a cue's person and a tile's person whose body boxes overlap more are one person
SMALLEST_QUANTILE = 25  # percentile of the learnt radii taken as the scene's small people


@dataclass(frozen=True, slots=True)
class Person:
    """One person in the frame, in pixels: the bottom centre decides zone membership."""

    x: float
    y: float  # bottom centre (feet)
    radius: float
    score: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The upright body box (x0, y0, x1, y1): two radii high, 0.8 radius wide, feet at the bottom."""
        r = self.radius
        return (self.x - 0.4 * r, self.y - 2.0 * r, self.x + 0.4 * r, self.y)


class BodyCue(Protocol):
    """A second detector of whole bodies (``vision.hog.HogCue``)."""

    def find(self, rgb: np.ndarray, region: tuple[int, int, int, int] | None, smallest_radius: float | None) -> list[Person]: ...


def tiles_at(width: int, height: int, side: int, region: tuple[int, int, int, int] | None = None) -> list[Tile]:
    """Square tiles of ``side`` pixels covering ``region`` (default: the frame), overlapping by OVERLAP."""
    if side >= min(width, height):
        return [Tile(0, 0, width, height)]  # the whole frame, letterboxed by the detector
    x0, y0, x1, y1 = region or (0, 0, width, height)
    step = max(1, int(side * (1 - OVERLAP)))

    def starts(lo: int, hi: int, limit: int) -> list[int]:
        lo = max(0, min(lo, limit - side))
        last = max(lo, min(hi - side, limit - side))
        out = list(range(lo, last + 1, step))
        if out[-1] != last:
            out.append(last)
        return out

    return [Tile(x, y, x + side, y + side) for y in starts(y0, y1, height) for x in starts(x0, x1, width)]


def _whole_body_visible(body: Body, width: int, height: int) -> bool:
    """Could this tile see the whole body? Yes if the body is small for the tile,
    or if the part of the body inside the frame lies within the tile (someone
    close to the camera is cut by the frame, not by our tiling)."""
    tile, r = body.tile, body.radius
    if r <= MAX_RADIUS_FRACTION * tile.side:
        return True
    x0, y0, x1, y1 = body.box
    slack = 0.25 * r
    return (
        max(0.0, x0) >= tile.x0 - slack
        and min(float(width), x1) <= tile.x1 + slack
        and max(0.0, y0) >= tile.y0 - slack
        and min(float(height), y1) <= tile.y1 + slack
    )


def iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over union of two boxes (x0, y0, x1, y1)."""
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def fuse(people: list[Person], cue: list[Person]) -> list[Person]:
    """The tiles' people plus the cue's people that none of them covers. Each
    tile person absorbs at most one cue person (best overlap first), so that two
    people side by side, one found by each detector, stay two."""
    out, taken = list(people), set()
    for extra in sorted(cue, key=lambda p: -p.score):
        overlaps = [(iou(p.box, extra.box), i) for i, p in enumerate(people) if i not in taken]
        best, index = max(overlaps, default=(0.0, -1))
        if best > FUSE_IOU:
            taken.add(index)
        else:
            out.append(extra)
    return out


def _same_person(a: Body, b: Body) -> bool:
    """Hips within SAME_PERSON radii (of the smaller body), or body boxes that
    overlap by more than SAME_BOX_IOU: the same person seen from two tiles or
    two levels, whose size estimates differ."""
    if math.hypot(a.hip_x - b.hip_x, a.hip_y - b.hip_y) <= SAME_PERSON * min(a.radius, b.radius):
        return True
    ax0, ay0, ax1, ay1 = a.box
    bx0, by0, bx1, by1 = b.box
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return union > 0 and inter / union > SAME_BOX_IOU


def merge(bodies: list[Body]) -> list[Body]:
    """One body per person: greedy suppression, best score first."""
    kept: list[Body] = []
    for body in sorted(bodies, key=lambda b: -b.score):
        if not any(_same_person(body, k) for k in kept):
            kept.append(body)
    return kept


class PeopleFinder:
    """Multi-scale detection whose levels follow the sizes of the people it has seen."""

    def __init__(self, detector: PoseDetector, body_cue: BodyCue | None = None, sweep_every_s: float = 10.0, memory: int = 60):
        self.detector = detector
        self.body_cue = body_cue
        self.sweep_every_s = sweep_every_s
        self._radii: deque[float] = deque(maxlen=memory)  # recent radii / short side
        self._last_sweep: float | None = None
        self.levels: tuple[float, ...] = LEVELS
        self._short_side = 480
        self._motion = MotionMap()
        self._last_found: list[Person] = []

    def _choose_levels(self) -> tuple[float, ...]:
        """The level that sees most recent people at their best size, and the next
        smaller one (the detector finds more people when they fill more of its
        input), plus the whole frame."""
        if not self._radii:
            return (1.0, 0.75)
        usable = [lv for lv in LEVELS if lv * self._short_side >= MIN_TILE]
        best = [min(usable, key=lambda lv: abs(math.log(r / (BEST_RADIUS_FRACTION * lv)))) for r in self._radii]
        main = max(usable, key=best.count)
        finer = usable[min(usable.index(main) + 1, len(usable) - 1)]
        return tuple(sorted({1.0, main, finer}, reverse=True))

    def find(self, rgb: np.ndarray, t: float, region: tuple[int, int, int, int] | None = None) -> list[Person]:
        """People in one RGB frame at source time ``t``; ``region`` limits where bodies are looked for."""
        height, width = rgb.shape[:2]
        short = self._short_side = min(width, height)
        sweeping = self._last_sweep is None or t - self._last_sweep >= self.sweep_every_s or t < self._last_sweep
        levels = LEVELS if sweeping else self.levels
        tiles: list[Tile] = []
        for level in levels:
            side = int(round(level * short))
            if side >= MIN_TILE:
                tiles.extend(tiles_at(width, height, side, region))
        self._motion.update(rgb)
        still_and_empty = False
        if not sweeping:
            moved = [self._motion.moved(tile) for tile in tiles]
            still_and_empty = not self._last_found and not any(moved)
            tiles = [tile for tile, m in zip(tiles, moved) if m or tile.side >= short or self._occupied(tile)]
        bodies = [b for b in self.detector.detect(rgb, list(dict.fromkeys(tiles))) if _whole_body_visible(b, width, height)]
        people = merge(bodies)
        if sweeping:
            self._last_sweep = t
            self._radii.extend(b.radius / short for b in people if b.score >= 0.5)  # confident ones set the scale
            self.levels = self._choose_levels()
        found = [Person(*b.foot(height), b.radius, b.score) for b in people]
        if self.body_cue is not None and not still_and_empty:  # HOG costs most where the scale is unknown: an empty scene
            found = fuse(found, self.body_cue.find(rgb, region, self.smallest_radius()))
        self._last_found = found
        return found

    def _occupied(self, tile: Tile) -> bool:
        """Did someone's body overlap this tile at the previous look?"""
        return any(
            x0 < tile.x1 and tile.x0 < x1 and y0 < tile.y1 and tile.y0 < y1
            for x0, y0, x1, y1 in (p.box for p in self._last_found)
        )

    def smallest_radius(self) -> float | None:
        """The radius of the scene's small people so far, in pixels (a low percentile
        of those learnt); None before anyone was seen."""
        if not self._radii:
            return None
        return float(np.percentile(self._radii, SMALLEST_QUANTILE)) * self._short_side
