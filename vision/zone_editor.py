"""Adjusting the queue zone by hand: drag a corner of the polygon over the live picture.

No window here: the calibration window (``frontdesk vision calibrate``) and the
kiosk's camera-zone page turn touches into calls on it, and
``config.writer.write_zone`` puts the result into the branch's config file.
Coordinates are normalised image coordinates,
x to the right and y *down* (0, 0 is the picture's top left), as in ``[camera] zone``.

>>> editor = ZoneEditor([(0.1, 0.4), (0.9, 0.4), (0.9, 1.0), (0.1, 1.0)])
>>> editor.press(0.12, 0.41)
True
>>> editor.drag(0.2, 0.5); editor.release()
>>> editor.toml()
'zone = [[0.2, 0.5], [0.9, 0.4], [0.9, 1.0], [0.1, 1.0]]'
"""

from __future__ import annotations

from collections.abc import Iterable
from math import hypot


class ZoneEditor:
    def __init__(self, corners: Iterable[tuple[float, float]], grab_radius: float = 0.06) -> None:
        self.corners: list[tuple[float, float]] = [(float(x), float(y)) for x, y in corners]
        self.grab_radius = grab_radius
        self.held: int | None = None

    def press(self, x: float, y: float) -> bool:
        """Take hold of the corner nearest to (x, y) if one is within reach."""
        if not self.corners:
            return False
        nearest = min(range(len(self.corners)), key=lambda i: hypot(self.corners[i][0] - x, self.corners[i][1] - y))
        cx, cy = self.corners[nearest]
        self.held = nearest if hypot(cx - x, cy - y) <= self.grab_radius else None
        return self.held is not None

    def drag(self, x: float, y: float) -> None:
        """Move the held corner to (x, y), kept inside the picture."""
        if self.held is not None:
            self.corners[self.held] = (round(min(max(x, 0.0), 1.0), 3), round(min(max(y, 0.0), 1.0), 3))

    def release(self) -> None:
        self.held = None

    def toml(self) -> str:
        """The line to put under ``[camera]`` in branch.toml."""
        return "zone = [" + ", ".join(f"[{float(x)!r}, {float(y)!r}]" for x, y in self.corners) + "]"
