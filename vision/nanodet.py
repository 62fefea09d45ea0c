"""Whole-body person detector: NanoDet-g (416x416, COCO) on onnxruntime.

One inference per look, on the search region (the zone grown by a body, or the
whole frame) padded to a square so that people keep their shape: stretching a
16:9 frame to the square made the model miss a person standing with their back
to the camera in most frames. Preprocessing is NanoDet's own (BGR, per-channel
mean and standard deviation). The head is NanoDet's GFL head: for each of three
levels (stride 8, 16, 32 over the 416 input) a score per cell for each of the 80
COCO classes (already through a sigmoid) and, per side of the box, 11 distance
bins whose softmax-weighted mean is the distance from the cell centre in
strides. Person is class 0. Overlapping boxes are reduced by non-maximum
suppression.

    detector = NanoDet()                       # the model set-up made (vision.models)
    people = detector.find(bgr, t=0.0, region=None)

Frames stay in memory; only boxes come back, as :class:`vision.people.Person`
(bottom centre, half the box height as the body radius, the score).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

# onnxruntime 1.32's Linux wheel carries Microsoft's 1DS telemetry: unless this is set before
# its import, importing it writes a session file to the temp directory and a device id and an
# event database under ~/.cache/Microsoft, to be uploaded over HTTPS. A kiosk sends nothing.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

import onnxruntime as ort  # noqa: E402  (after the telemetry switch)

from vision.models import detector_model
from vision.people import Person

INPUT = 416
STRIDES = (8, 16, 32)
BINS = 11  # distance bins per box side (reg_max 10)
CLASSES = 80
PERSON = 0
MEAN_BGR = np.array([103.53, 116.28, 123.675], dtype=np.float32)
STD_BGR = np.array([57.375, 57.12, 58.395], dtype=np.float32)
SCORE = 0.2  # weakest person kept: the tracker starts people only from sure ones (0.35), weaker ones follow them
NMS_IOU = 0.5

Region = tuple[int, int, int, int]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Letterbox:
    """How a region of the frame sits in the square input: scaled by ``scale`` from its corner."""

    x0: int
    y0: int
    scale: float


def letterbox(image_bgr: npt.NDArray[np.uint8], region: Region | None) -> tuple[FloatArray, Letterbox]:
    """The region (default: the whole frame) scaled to fit INPUT, padded with zeros
    at the right or bottom, normalised per NanoDet's config, as a 1x3xHxW tensor."""
    height, width = image_bgr.shape[:2]
    x0, y0, x1, y1 = region or (0, 0, width, height)
    crop = image_bgr[y0:y1, x0:x1]
    scale = INPUT / max(crop.shape[0], crop.shape[1])
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    resized = cv2.resize(crop, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    square = np.empty((INPUT, INPUT, 3), dtype=np.float32)
    square[:, :] = -MEAN_BGR / STD_BGR  # the padding is black pixels, normalised like the rest
    square[: size[1], : size[0]] = (resized.astype(np.float32) - MEAN_BGR) / STD_BGR
    return square.transpose(2, 0, 1)[None], Letterbox(x0, y0, scale)


def decode(outputs: list[FloatArray], min_score: float = SCORE) -> tuple[FloatArray, FloatArray]:
    """Person boxes (x0, y0, x1, y1 in input pixels) and scores from the head's outputs.

    The outputs come per level as a (cells, 80) score map and a (cells, 44)
    distance map; they are told apart by their shapes, not their names, which
    the conversion makes up."""
    boxes, scores = [], []
    by_shape = {tuple(o.shape[1:]): o[0] for o in outputs}
    for stride in STRIDES:
        cells = INPUT // stride
        score = by_shape[(cells * cells, CLASSES)][:, PERSON]
        keep = np.flatnonzero(score >= min_score)
        if keep.size == 0:
            continue
        logits = by_shape[(cells * cells, 4 * BINS)][keep].reshape(-1, 4, BINS)
        logits = logits - logits.max(axis=2, keepdims=True)
        weights = np.exp(logits)
        distance = (weights / weights.sum(axis=2, keepdims=True)) @ np.arange(BINS, dtype=np.float32) * stride
        cx = (keep % cells + 0.5) * stride
        cy = (keep // cells + 0.5) * stride
        sides = (cx - distance[:, 0], cy - distance[:, 1], cx + distance[:, 2], cy + distance[:, 3])
        boxes.append(np.stack(sides, axis=1))
        scores.append(score[keep])
    if not boxes:
        return np.zeros((0, 4), np.float32), np.zeros(0, np.float32)
    return np.concatenate(boxes).astype(np.float32), np.concatenate(scores).astype(np.float32)


def suppress(boxes: FloatArray, scores: FloatArray, iou: float = NMS_IOU) -> list[int]:
    """Indices of the boxes kept by non-maximum suppression, best first."""
    if len(boxes) == 0:
        return []
    xywh = [[float(x0), float(y0), float(x1 - x0), float(y1 - y0)] for x0, y0, x1, y1 in boxes]
    return [int(i) for i in np.ravel(cv2.dnn.NMSBoxes(xywh, scores.tolist(), 0.0, iou))]


class NanoDet:
    """The person detector on one thread (the kiosk's screens need the other core)."""

    def __init__(self, model: Path | None = None, min_score: float = SCORE, threads: int = 1):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        path = str(model or detector_model())
        self._session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        self.min_score = min_score
        self.inferences = 0

    def find(self, image_bgr: npt.NDArray[np.uint8], t: float = 0.0, region: Region | None = None) -> list[Person]:
        """People in a BGR frame (``t`` is unused: every look stands alone); ``region`` limits where."""
        height, width = image_bgr.shape[:2]
        tensor, box = letterbox(image_bgr, region)
        self.inferences += 1
        outputs = self._session.run(None, {self._input: tensor})
        boxes, scores = decode([np.asarray(o, dtype=np.float32) for o in outputs], self.min_score)
        people = []
        for i in suppress(boxes, scores):
            x0, y0, x1, y1 = (float(v) / box.scale for v in boxes[i])
            x0, x1 = max(0.0, x0 + box.x0), min(float(width), x1 + box.x0)
            y0, y1 = max(0.0, y0 + box.y0), min(float(height), y1 + box.y0)
            if x1 > x0 and y1 > y0:
                people.append(Person((x0 + x1) / 2.0, y1, (y1 - y0) / 2.0, float(scores[i]), x1 - x0))
        return people
