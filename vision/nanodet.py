"""Whole-body person detector: NanoDet-g (COCO) on onnxruntime, at the search region's own shape.

One inference per look, on the search region (the zone grown by a body, or the
whole frame) scaled so that its longer side is 416 pixels (the model's training
size) and padded with black at the right or bottom to a multiple of 32 (the
coarsest stride) with at least 64 pixels of black, never stretched: stretching a
16:9 frame to the square made the model miss a person standing with their back
to the camera in most frames. The graph is fully convolutional (set-up leaves its
input's height and width free), so a 16:9 frame is read as 416x320 instead of
being padded to 416x416: the same scale and the same pixels, 23 % fewer cells to
compute (a 4:3 one as 416x384, 8 % fewer). Preprocessing is NanoDet's own
(BGR, per-channel mean and standard deviation). The head is NanoDet's GFL head:
for each of three levels (stride 8, 16, 32) a score per cell for each of the 80
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

INPUT = 416  # the search region's longer side is scaled to this (the model's training size)
STRIDES = (8, 16, 32)
ALIGN = STRIDES[-1]  # the input's sides are padded to a multiple of the coarsest stride
BINS = 11  # distance bins per box side (reg_max 10)
CLASSES = 80
PERSON = 0
MEAN_BGR = np.array([103.53, 116.28, 123.675], dtype=np.float32)
STD_BGR = np.array([57.375, 57.12, 58.395], dtype=np.float32)
SCORE = 0.2  # weakest person kept: the tracker starts people only from sure ones (0.35), weaker ones follow them
NMS_IOU = 0.5
# (pixel - mean) / std per channel, HWC to CHW, in one pass of OpenCV's (7x numpy's three passes)
NORMALISE = cv2.dnn.Image2BlobParams(
    scalefactor=tuple((1.0 / STD_BGR).tolist()), mean=tuple(MEAN_BGR.tolist()), swapRB=False, ddepth=cv2.CV_32F
)

Region = tuple[int, int, int, int]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Letterbox:
    """How a region of the frame sits in the input: scaled by ``scale`` from its corner, in an
    input of ``width`` x ``height`` pixels."""

    x0: int
    y0: int
    scale: float
    width: int = INPUT
    height: int = INPUT


def padded_side(pixels: int) -> int:
    """The input's side for ``pixels`` of picture: a multiple of ALIGN, with at least 2 x ALIGN
    pixels of black beyond the picture, never more than the square's INPUT.

    The margin is for people cut by the frame's edge, whom the model scores by the black below
    them: with the 22 rows that rounding 234 up to 256 leaves, it scored a person cut by the
    bottom edge 0.2 differently than in the padded square (on the other side of 0.5 in 29 % of
    frames); with 32 rows within 0.001, but a clean accuracy run still counted that clip 0.40
    instead of the square's 0.37; with 64 rows every clip counts exactly as with the square.

    >>> padded_side(234), padded_side(312), padded_side(352), padded_side(416)
    (320, 384, 416, 416)
    """
    return min(INPUT, -(-(pixels + 2 * ALIGN) // ALIGN) * ALIGN)


def letterbox(image_bgr: npt.NDArray[np.uint8], region: Region | None) -> tuple[FloatArray, Letterbox]:
    """The region (default: the whole frame) scaled so that its longer side is INPUT, padded
    with black at the right or bottom to ``padded_side``, normalised per NanoDet's config, as a
    1x3xHxW tensor."""
    height, width = image_bgr.shape[:2]
    x0, y0, x1, y1 = region or (0, 0, width, height)
    crop = image_bgr[y0:y1, x0:x1]
    scale = INPUT / max(crop.shape[0], crop.shape[1])
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    resized = cv2.resize(crop, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    in_width, in_height = padded_side(size[0]), padded_side(size[1])
    black = (0.0, 0.0, 0.0)
    padded = cv2.copyMakeBorder(
        resized, 0, in_height - size[1], 0, in_width - size[0], cv2.BORDER_CONSTANT, value=black
    )
    tensor: FloatArray = np.asarray(cv2.dnn.blobFromImageWithParams(padded, NORMALISE), dtype=np.float32)
    return tensor, Letterbox(x0, y0, scale, in_width, in_height)


def decode(
    outputs: list[FloatArray], box: Letterbox = Letterbox(0, 0, 1.0), min_score: float = SCORE
) -> tuple[FloatArray, FloatArray]:
    """Person boxes (x0, y0, x1, y1 in input pixels) and scores from the head's outputs for an
    input of ``box.width`` x ``box.height``.

    The outputs come per level as a (cells, 80) score map and a (cells, 44)
    distance map, cells row by row; they are told apart by their shapes, not
    their names, which the conversion makes up."""
    boxes, scores = [], []
    by_shape = {tuple(o.shape[1:]): o[0] for o in outputs}
    for stride in STRIDES:
        columns, rows = box.width // stride, box.height // stride
        score = by_shape[(columns * rows, CLASSES)][:, PERSON]
        keep = np.flatnonzero(score >= min_score)
        if keep.size == 0:
            continue
        logits = by_shape[(columns * rows, 4 * BINS)][keep].reshape(-1, 4, BINS)
        logits = logits - logits.max(axis=2, keepdims=True)
        weights = np.exp(logits)
        distance = (weights / weights.sum(axis=2, keepdims=True)) @ np.arange(BINS, dtype=np.float32) * stride
        cx = (keep % columns + 0.5) * stride
        cy = (keep // columns + 0.5) * stride
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


def session(model: Path, threads: int = 1) -> ort.InferenceSession:
    """onnxruntime's session for the model, on ``threads`` threads. Its default graph
    optimisations are all on (level ORT_ENABLE_ALL, with the blocked NCHWc layout for the
    convolutions): 31 ms per 416x416 inference here, against 51-52 ms at the basic or extended
    level; turning the memory arena off or thread spinning off changed nothing measurable."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


class NanoDet:
    """The person detector on one thread (the kiosk's screens need the other core)."""

    def __init__(self, model: Path | None = None, min_score: float = SCORE, threads: int = 1):
        self._session = session(model or detector_model(), threads)
        self._input = self._session.get_inputs()[0].name
        self.min_score = min_score
        self.inferences = 0

    def find(self, image_bgr: npt.NDArray[np.uint8], t: float = 0.0, region: Region | None = None) -> list[Person]:
        """People in a BGR frame (``t`` is unused: every look stands alone); ``region`` limits where."""
        height, width = image_bgr.shape[:2]
        tensor, box = letterbox(image_bgr, region)
        self.inferences += 1
        outputs = self._session.run(None, {self._input: tensor})
        boxes, scores = decode([np.asarray(o, dtype=np.float32) for o in outputs], box, self.min_score)
        people = []
        for i in suppress(boxes, scores):
            x0, y0, x1, y1 = (float(v) / box.scale for v in boxes[i])
            x0, x1 = max(0.0, x0 + box.x0), min(float(width), x1 + box.x0)
            y0, y1 = max(0.0, y0 + box.y0), min(float(height), y1 + box.y0)
            if x1 > x0 and y1 > y0:
                people.append(Person((x0 + x1) / 2.0, y1, (y1 - y0) / 2.0, float(scores[i]), x1 - x0))
        return people
