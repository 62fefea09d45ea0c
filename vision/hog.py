"""OpenCV's HOG people detector: the classic baseline the benches measure the counter against.

``HogFinder`` is HOG as OpenCV's ``peopledetect`` sample runs it (whole frame,
1.05 scale step, the default people SVM). It is not part of the counter.

    baseline = HogFinder().find(bgr)

It returns :class:`vision.people.Person` (feet point, body radius, SVM margin as
the score); frames stay in memory.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt

from vision.people import Person


class HogFinder:
    """HOG with the ``peopledetect`` sample's settings on the whole frame."""

    def __init__(self) -> None:
        self._hog = cv2.HOGDescriptor()
        self._hog.setSVMDetector(np.asarray(cv2.HOGDescriptor.getDefaultPeopleDetector(), dtype=np.float32))
        self.inferences = 0

    def find(
        self, image: npt.NDArray[np.uint8], t: float = 0.0, region: tuple[int, int, int, int] | None = None
    ) -> list[Person]:
        """People in a frame (``t`` and ``region`` unused: the baseline always looks at the whole frame)."""
        self.inferences += 1
        rects, weights = self._hog.detectMultiScale(image, winStride=(8, 8), padding=(8, 8), scale=1.05)
        return _people(rects, weights)


def _people(rects: Sequence[Sequence[int]], weights: Sequence[float]) -> list[Person]:
    # The default detector's box is about 1/0.8 of the person (the window pads the body).
    out = []
    for (x, y, w, h), s in zip(rects, weights):
        out.append(Person(x + w / 2.0, y + h * 0.9, h * 0.4, float(np.ravel(s)[0]) if np.size(s) else 1.0, 0.8 * w))
    return out
