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


def iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over union of two boxes (x0, y0, x1, y1)."""
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def inside_share(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> float:
    """How much of box ``inner`` lies inside box ``outer`` (0..1 of inner's area)."""
    inter = max(0.0, min(inner[2], outer[2]) - max(inner[0], outer[0])) * max(
        0.0, min(inner[3], outer[3]) - max(inner[1], outer[1])
    )
    area = (inner[2] - inner[0]) * (inner[3] - inner[1])
    return inter / area if area > 0 else 0.0
