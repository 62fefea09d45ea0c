"""The queue zone: a polygon in normalised image coordinates (0..1).

A person is in the zone when the bottom centre of their body (their feet) is
inside the polygon: feet are on the floor, so a zone drawn on the floor means
the same thing whatever the person's height.

    zone = Zone.parse("0,0.3,1,0.3,1,1,0,1")
    zone.contains(0.5, 0.9)        # True
    zone.pixel_bounds(640, 480)    # (0, 144, 640, 480)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.errors import UsageError, shown

WHOLE_FRAME = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))


@dataclass(frozen=True, slots=True)
class Zone:
    corners: tuple[tuple[float, float], ...] = WHOLE_FRAME

    def __post_init__(self) -> None:
        if len(self.corners) < 3:
            raise UsageError("a zone needs at least three corners")
        for x, y in self.corners:
            if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
                raise UsageError(f"zone corner ({x}, {y}) is outside 0..1 (zones are in normalised coordinates)")

    @classmethod
    def parse(cls, text: str | None) -> "Zone":
        """``x1,y1,x2,y2,…`` as on the command line; None or empty: the whole frame."""
        if not text:
            return cls()
        try:
            values = [float(v) for v in text.replace(" ", "").split(",") if v != ""]
        except ValueError:
            raise UsageError(f"--zone {shown(repr(text))}: expected numbers x1,y1,x2,y2,… in 0..1") from None
        if len(values) % 2:
            raise UsageError(f"--zone {shown(repr(text))}: an odd number of values; give x,y pairs")
        return cls(tuple(zip(values[0::2], values[1::2])))

    @classmethod
    def of(cls, corners: Iterable[Iterable[float]]) -> "Zone":
        return cls(tuple((float(x), float(y)) for x, y in corners))

    @property
    def whole_frame(self) -> bool:
        xs, ys = zip(*self.corners)
        return len(self.corners) == 4 and min(xs) == 0 and min(ys) == 0 and max(xs) == 1 and max(ys) == 1

    def contains(self, x: float, y: float) -> bool:
        """Is the normalised point (x, y) inside, or on the edge of, the polygon?"""
        if self.whole_frame:
            return 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0
        poly = np.array(self.corners, dtype=np.float32)
        return cv2.pointPolygonTest(poly, (float(x), float(y)), False) >= 0

    def pixel_bounds(self, width: int, height: int) -> tuple[int, int, int, int]:
        xs, ys = zip(*self.corners)
        return (
            int(min(xs) * width),
            int(min(ys) * height),
            int(np.ceil(max(xs) * width)),
            int(np.ceil(max(ys) * height)),
        )
