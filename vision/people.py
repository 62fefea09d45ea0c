"""A person as the counter sees them: a floor point, a size and how sure the detector is.

    person = Person(x=320.0, y=400.0, radius=90.0, score=0.8, width=70.0)
    person.box          # (x0, y0, x1, y1): feet at the bottom centre
    iou(person.box, other.box)

The bottom centre decides zone membership; the radius (half the body's height)
is the tracker's unit of distance. Nothing else about a person is kept.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Person:
    """One person in the frame, in pixels."""

    x: float
    y: float  # bottom centre (feet, or the frame's bottom edge for someone close to the camera)
    radius: float  # half the body's height
    score: float
    width: float = 0.0  # the detector's box width; 0 where it gives none (then 0.8 radius)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The upright body box (x0, y0, x1, y1): two radii high, feet at the bottom."""
        r, half = self.radius, (self.width or 0.8 * self.radius) / 2.0
        return (self.x - half, self.y - 2.0 * r, self.x + half, self.y)


Box = tuple[float, float, float, float]


def area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def intersection(a: Box, b: Box) -> float:
    """The area two boxes (x0, y0, x1, y1) share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (x0, y0, x1, y1)."""
    inter = intersection(a, b)
    union = area(a) + area(b) - inter
    return inter / union if union > 0 else 0.0


def inside_share(inner: Box, outer: Box) -> float:
    """How much of box ``inner`` lies inside box ``outer`` (0..1 of inner's area)."""
    size = area(inner)
    return intersection(inner, outer) / size if size > 0 else 0.0
