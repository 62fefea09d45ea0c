"""What moved since the detector's previous look: tiles where nothing moved and
nobody was found are skipped.

A queue is mostly still: the wall, the floor, people standing. The detector
need not look again at a tile where nothing changed and nobody was; people
already found are looked at every time (see ``PeopleFinder``), and a newcomer
walks in, which is movement. The change is taken between two looks (0.4 s
apart at 2.5 Hz) on a grey copy of the frame shrunk 8 times, so it costs well
under a millisecond; the small copy is the only thing kept, until the next look.

    motion = MotionMap()
    motion.update(rgb)
    motion.moved(Tile(0, 0, 240, 240))   # True for the first look: nothing to compare with
"""

from __future__ import annotations

import cv2
import numpy as np

from vision.posedet import Tile

CELL = 8  # pixels of the frame per cell of the map
CHANGE = 20  # grey levels (0-255) a cell must change by to count as moved
MOVED_SHARE = 0.01  # a tile has moved when this share of its cells changed


class MotionMap:
    def __init__(self):
        self._previous: np.ndarray | None = None
        self._moved: np.ndarray | None = None  # None: unknown, so everything counts as moved

    def update(self, rgb: np.ndarray) -> None:
        height, width = rgb.shape[:2]
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        small = cv2.resize(grey, (max(1, width // CELL), max(1, height // CELL)), interpolation=cv2.INTER_AREA)
        previous, self._previous = self._previous, small
        self._moved = None if previous is None or previous.shape != small.shape else cv2.absdiff(small, previous) > CHANGE

    def moved(self, tile: Tile) -> bool:
        if self._moved is None:
            return True
        cells = self._moved[tile.y0 // CELL : -(-tile.y1 // CELL), tile.x0 // CELL : -(-tile.x1 // CELL)]
        return cells.size == 0 or cells.mean() >= MOVED_SHARE
