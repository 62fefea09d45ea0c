"""OpenCV's HOG people detector: the classic baseline the counter is measured against.

Same interface as :class:`vision.people.PeopleFinder`, so the benches can put
HOG through the very same tracker and smoothing. Settings are those of OpenCV's
own ``peopledetect`` sample (8-pixel stride, 1.05 scale step).

    hog = HogFinder()
    people = hog.find(rgb, t=0.0)
"""

from __future__ import annotations

import cv2
import numpy as np

from vision.people import Person


class HogFinder:
    def __init__(self):
        self._hog = cv2.HOGDescriptor()
        self._hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
        self.inferences = 0

    def find(self, rgb: np.ndarray, t: float = 0.0, region=None) -> list[Person]:
        self.inferences += 1
        rects, weights = self._hog.detectMultiScale(rgb, winStride=(8, 8), padding=(8, 8), scale=1.05)
        # The default detector's box is about 1/0.8 of the person (the window pads the body).
        return [
            Person(x + w / 2.0, y + h * 0.9, h * 0.4, float(np.ravel(s)[0]) if len(np.ravel(s)) else 1.0)
            for (x, y, w, h), s in zip(rects, weights)
        ]
