"""OpenCV's HOG people detector: a whole-body cue, and the classic baseline.

BlazePose's detector is anchored on the head and misses people seen from the
side or from behind; HOG looks at the whole silhouette and finds them. So the
counter fuses the two (``vision.people``): ``HogCue`` runs HOG on the search
region only, shrunk so that the smallest people the scene has shown just fill
HOG's 64x128 window (a quarter of the pixels, or less, at a service desk), and
not at all when the scene's people are too small for that window. ``HogFinder``
is HOG as OpenCV's ``peopledetect`` sample runs it (whole frame, 1.05 scale
step), the baseline the benches measure the counter against.

    cue = HogCue()
    people = cue.find(rgb, region=(0, 0, 640, 480), smallest_radius=90.0)
    baseline = HogFinder().find(rgb)

Both return :class:`vision.people.Person` (feet point, body radius, SVM margin
as the score); frames stay in memory.
"""

from __future__ import annotations

import cv2
import numpy as np

from vision.people import Person

WINDOW_BODY_PX = 102  # a person fills about 0.8 of HOG's 128-pixel-high window
MIN_SHRINK = 0.25  # never shrink the frame below a quarter: small people would vanish


def _people(rects, weights, scale: float, dx: int, dy: int) -> list[Person]:
    # The default detector's box is about 1/0.8 of the person (the window pads the body).
    out = []
    for (x, y, w, h), s in zip(rects, weights):
        x, y, w, h = (float(v) / scale for v in (x, y, w, h))
        out.append(Person(dx + x + w / 2.0, dy + y + h * 0.9, h * 0.4, float(np.ravel(s)[0]) if np.size(s) else 1.0))
    return out


def _detector() -> cv2.HOGDescriptor:
    hog = cv2.HOGDescriptor()
    hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    return hog


class HogFinder:
    """HOG with the ``peopledetect`` sample's settings on the whole frame (the benches' baseline)."""

    def __init__(self):
        self._hog = _detector()
        self.inferences = 0

    def find(self, rgb: np.ndarray, t: float = 0.0, region=None) -> list[Person]:
        self.inferences += 1
        rects, weights = self._hog.detectMultiScale(rgb, winStride=(8, 8), padding=(8, 8), scale=1.05)
        return _people(rects, weights, 1.0, 0, 0)


class HogCue:
    """HOG on a region, at the scale of the scene's people."""

    def __init__(self):
        self._hog = _detector()
        self.runs = 0

    @staticmethod
    def shrink_for(smallest_radius: float | None) -> float | None:
        """The factor that maps a body of this radius (half its height) onto HOG's
        window; None if HOG would have to enlarge the frame to see it (too costly:
        the tiles find small people); 1 while the scene's scale is unknown."""
        if smallest_radius is None:
            return 1.0
        factor = WINDOW_BODY_PX / (2.0 * smallest_radius)
        return None if factor > 1.0 else max(MIN_SHRINK, factor)

    def find(self, rgb: np.ndarray, region: tuple[int, int, int, int] | None, smallest_radius: float | None) -> list[Person]:
        """People whose whole body is in ``region`` (default: the frame), no smaller than ``smallest_radius``."""
        factor = self.shrink_for(smallest_radius)
        if factor is None:
            return []
        height, width = rgb.shape[:2]
        x0, y0, x1, y1 = region or (0, 0, width, height)
        crop = rgb[y0:y1, x0:x1]
        if factor < 1.0:
            crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        if crop.shape[0] < 128 or crop.shape[1] < 64:
            return []
        self.runs += 1
        rects, weights = self._hog.detectMultiScale(crop, winStride=(8, 8), padding=(8, 8), scale=1.05)
        return _people(rects, weights, factor, x0, y0)
