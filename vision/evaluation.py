"""Measure a counter against ground truth: count error per frame and time-in-zone error.

Ground truth is MOTChallenge 2015 ``gt.txt`` (``frame,id,left,top,width,height,flag,…``,
frame 1-based, flag 0 = ignore), hand counts (``counts_per_frame.csv`` and
``visits.csv``, see ``tests/vision/groundtruth/README.md``) or, for clips without
either, a constant count.
A person's time in view is the span of frames their identity appears in; with
no zone that is their time in the zone.

    clip = Clip.load(footage / "tud_campus", "TUD-Campus.mp4")
    mae = count_mae(predicted_counts, clip.counts)
    err = dwell_error(visits, clip.intervals())
    score = match_visits(visits, clip.intervals())   # found, extra, mean length error
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from vision.people import Box


@dataclass(frozen=True)
class Clip:
    name: str
    video: Path
    counts: npt.NDArray[np.int_]  # people per decoded frame
    fps: float
    spans: dict[int, tuple[int, int]]  # identity -> first and last 0-based frame

    @classmethod
    def from_gt(cls, name: str, video: Path, gt_file: Path, frames: int, fps: float) -> "Clip":
        rows = np.loadtxt(gt_file, delimiter=",", ndmin=2)
        rows = rows[rows[:, 6] != 0]
        counts = np.zeros(frames, dtype=int)
        spans: dict[int, tuple[int, int]] = {}
        for frame1, ident in rows[:, :2].astype(int):
            k = frame1 - 1
            if 0 <= k < frames:
                counts[k] += 1
                lo, hi = spans.get(ident, (k, k))
                spans[ident] = (min(lo, k), max(hi, k))
        return cls(name, video, counts, fps, spans)

    @classmethod
    def from_counts(cls, name: str, video: Path, folder: Path, fps: float) -> "Clip":
        """A hand-counted clip: ``counts_per_frame.csv`` (count_all) and ``visits.csv``."""
        rows = np.loadtxt(folder / "counts_per_frame.csv", delimiter=",", skiprows=1, dtype=int, ndmin=2)
        counts = rows[np.argsort(rows[:, 0]), 1]
        visits = np.loadtxt(folder / "visits.csv", delimiter=",", skiprows=1, usecols=(1, 2), dtype=int, ndmin=2)
        return cls(name, video, counts, fps, {i: (lo - 1, hi - 1) for i, (lo, hi) in enumerate(visits)})

    @classmethod
    def constant(cls, name: str, video: Path, people: int, frames: int, fps: float) -> "Clip":
        return cls(name, video, np.full(frames, people), fps, {i: (0, frames - 1) for i in range(people)})

    def intervals(self) -> list[tuple[float, float]]:
        """Each person's time in view, in seconds of the source."""
        return [(lo / self.fps, (hi + 1) / self.fps) for lo, hi in self.spans.values()]


def mot_boxes(gt_file: Path) -> dict[int, list[tuple[int, Box]]]:
    """A ``gt.txt``'s people per 0-based frame as (identity, (left, top, right, bottom)), flag-0
    rows left out: for benches that look at where the ground truth's people are."""
    frames: dict[int, list[tuple[int, Box]]] = defaultdict(list)
    rows = np.loadtxt(gt_file, delimiter=",", ndmin=2)
    for frame1, ident, left, top, w, h in rows[rows[:, 6] != 0][:, :6]:
        frames[int(frame1) - 1].append((int(ident), (left, top, left + w, top + h)))
    return frames


def count_mae(predicted: Sequence[int] | npt.NDArray[np.int_], truth: Sequence[int] | npt.NDArray[np.int_]) -> float:
    """Mean absolute error of the count per frame (over the frames of both)."""
    n = min(len(predicted), len(truth))
    return float(np.mean(np.abs(np.asarray(predicted[:n]) - np.asarray(truth[:n])))) if n else float("nan")


def phantom_share(
    predicted: Sequence[int] | npt.NDArray[np.int_], truth: Sequence[int] | npt.NDArray[np.int_]
) -> tuple[int, int]:
    """(frames where someone is counted although nobody is there, frames where nobody is)."""
    n = min(len(predicted), len(truth))
    empty = np.asarray(truth[:n]) == 0
    return int(np.sum(empty & (np.asarray(predicted[:n]) > 0))), int(np.sum(empty))


@dataclass(frozen=True)
class VisitScore:
    true: int  # true visits
    found: int  # true visits paired with a measured one that overlaps them
    extra: int  # measured visits paired with nobody (a split visit, a false person)
    length_error_s: float  # mean absolute error of the paired visits' lengths


def match_visits(visits: list[tuple[float, float]], truth: list[tuple[float, float]]) -> VisitScore:
    """Pair true and measured visits one to one by the largest overlap in time (Hungarian)."""
    overlap = np.zeros((len(truth), len(visits)))
    for i, (a0, a1) in enumerate(truth):
        for j, (b0, b1) in enumerate(visits):
            overlap[i, j] = max(0.0, min(a1, b1) - max(a0, b0))
    pairs = [(i, j) for i, j in zip(*linear_sum_assignment(-overlap)) if overlap[i, j] > 0] if truth and visits else []
    errors = [abs((truth[i][1] - truth[i][0]) - (visits[j][1] - visits[j][0])) for i, j in pairs]
    mean_error = float(np.mean(errors)) if errors else float("nan")
    return VisitScore(len(truth), len(pairs), len(visits) - len(pairs), mean_error)


def dwell_error(visits: list[tuple[float, float]], truth: list[tuple[float, float]]) -> float:
    """Mean absolute error of each true person's time in the zone, in seconds.

    True intervals and measured visits are paired one to one by the largest
    temporal overlap (Hungarian); a person without an overlapping visit counts
    their whole time as error, a visit paired with nobody is not counted here
    (the count error already charges false people).
    """
    if not truth:
        return 0.0
    overlap = np.zeros((len(truth), max(1, len(visits))))
    for i, (a0, a1) in enumerate(truth):
        for j, (b0, b1) in enumerate(visits):
            overlap[i, j] = max(0.0, min(a1, b1) - max(a0, b0))
    rows, cols = linear_sum_assignment(-overlap)
    errors = {i: a1 - a0 for i, (a0, a1) in enumerate(truth)}
    for i, j in zip(rows, cols):
        if j < len(visits) and overlap[i, j] > 0:
            b0, b1 = visits[j]
            errors[i] = abs((truth[i][1] - truth[i][0]) - (b1 - b0))
    return float(np.mean(list(errors.values())))


def footage_clips(footage: Path, groundtruth: Path | None = None) -> list[Clip]:
    """The clips of ``shared/footage`` with their ground truth (see its README); the
    kiosk-corridor clips with the hand counts under ``groundtruth`` (one folder per clip)."""
    import cv2

    def probe(video: Path) -> tuple[int, float]:
        cap = cv2.VideoCapture(str(video))
        frames = 0
        while cap.grab():
            frames += 1
        fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
        cap.release()
        return frames, fps

    clips = []
    for folder, video in (
        ("tud_stadtmitte", "TUD-Stadtmitte.mp4"),
        ("tud_campus", "TUD-Campus.mp4"),
        ("pets09_s2l1", "vtest_480x360.avi"),
    ):
        path = footage / folder / video
        if path.is_file():
            frames, fps = probe(path)
            clips.append(Clip.from_gt(folder, path, footage / folder / "gt" / "gt.txt", frames, fps))
    for gif in ("face-demographics-walking.gif", "head-pose-face-detection-female-and-male.gif"):
        path = footage / "facing_camera" / gif
        if path.is_file():
            frames, fps = probe(path)
            clips.append(Clip.constant(gif.split("-")[0] + "-" + gif.split("-")[1], path, 2, frames, fps))
    for name in ("two_people_walking", "two_people_walking_sidebyside", "gesturing_and_walking"):
        path = footage / "kiosk_corridor" / f"{name}.mp4"
        if groundtruth is not None and path.is_file() and (groundtruth / name).is_dir():
            frames, fps = probe(path)
            clips.append(Clip.from_counts(name, path, groundtruth / name, fps))
    return clips
