"""How well does the queue counter count? Per clip of ../shared/footage, in one run:

* count MAE: mean absolute error of the smoothed count per decoded frame;
* raw MAE: the same for the detections of the last frame the detector looked at;
* dwell error: mean absolute error of each person's time in the zone (seconds);

for the mediapipe counter, for OpenCV's HOG detector on every frame (raw, as
it is usually used) and for HOG put through the very same tracker and smoothing.
No zone: the whole frame is the zone, as the ground truth counts everyone.

Which frames the detector happens to look at is chance (the camera could have
been switched on a frame later), and on a 3-second clip that chance moves the
error by a few tenths. So short clips (under ``--phase-below`` frames) are
measured once per *start*: the counter starts at frame 0, 1, … up to one
detector period, and truth and HOG are compared on the same frames; the table
gives the mean over the starts, and the worst and best start.

``--cpu-budget 0.4`` measures the counter as ``watch`` runs it on a live
camera: detector runs spaced so that they use at most that share of a core (on
this machine: the figures then depend on its speed).

    .venv/bin/python bench/bench_vision_accuracy.py [--detect-hz 5] [--cpu-budget 0.4] [--footage ../shared/footage]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vision.capture import open_source  # noqa: E402
from vision.evaluation import count_mae, dwell_error, footage_clips  # noqa: E402
from vision.hog import HogFinder  # noqa: E402
from vision.pipeline import DETECT_HZ, QueueCounter  # noqa: E402


def run_counter(counter: QueueCounter, video: Path, start: int = 0) -> tuple[list[int], list[int], list[tuple[float, float]]]:
    """The counter over a clip from frame ``start`` on (as if the camera had been switched on then)."""
    counts, raws, visits = [], [], []
    with open_source(str(video)) as src:
        for _ in range(start):
            src.grab()
        for result in counter.run(src):
            counts.append(result.count)
            raws.append(result.raw)
            visits += [(v.enter_s, v.exit_s) for v in result.closed]
    closed, still_open = counter.finish()
    visits += [(v.enter_s, v.exit_s) for v in closed + still_open]
    return counts, raws, visits


def hog_every_frame(video: Path) -> list[list]:
    """HOG's people on every frame (BGR→RGB as the pipeline feeds it)."""
    hog, people = HogFinder(), []
    with open_source(str(video)) as src:
        while src.grab() is not None:
            people.append(hog.find(cv2.cvtColor(src.retrieve(), cv2.COLOR_BGR2RGB)))
    return people


class Replay:
    """HOG's detections again, for the frames the tracker looks at (same schedule as ours)."""

    def __init__(self, per_frame: list[list], fps: float):
        self.per_frame, self.fps = per_frame, fps

    def find(self, rgb, t, region=None):
        return self.per_frame[min(len(self.per_frame) - 1, round(t * self.fps))]


def measure(clip, start: int, detect_hz: float, hog_people: list[list], cpu_budget: float | None = None) -> dict[str, float]:
    """Every figure of one run of the counter (and of HOG through the same tracker) from ``start``."""
    counts, raws, visits = run_counter(QueueCounter(detect_hz=detect_hz, cpu_budget=cpu_budget), clip.video, start)
    replay = Replay(hog_people, clip.fps)
    h_counts, _, h_visits = run_counter(QueueCounter(detect_hz=detect_hz, finder=replay), clip.video, start)
    truth = clip.counts[start:]
    t0 = start / clip.fps
    spans = [(max(a, t0), b) for a, b in clip.intervals() if b > t0]
    return {
        "count": count_mae(counts, truth),
        "raw": count_mae(raws, truth),
        "dwell": dwell_error(visits, spans),
        "hog": count_mae([len(p) for p in hog_people[start:]], truth),
        "hog_trk": count_mae(h_counts, truth),
        "hog_dwell": dwell_error(h_visits, spans),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--footage", type=Path, default=REPO.parent / "shared" / "footage")
    parser.add_argument("--detect-hz", type=float, default=DETECT_HZ)
    parser.add_argument("--cpu-budget", type=float, default=None, help="share of a core for the detector, as on a live camera")
    parser.add_argument("--phase-below", type=int, default=400, help="clips shorter than this many frames are run from every start")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    clips = footage_clips(args.footage)
    if not clips:
        print(f"no footage under {args.footage}: nothing to measure")
        return 1
    budget = f", at most {args.cpu_budget:g} core" if args.cpu_budget else ""
    print(f"detector runs {args.detect_hz:g} times per second of source time{budget}; HOG raw runs on every frame")
    header = (
        f"{'clip':18} {'frames':>6} {'mean':>5} {'starts':>6} | {'count MAE':>9} {'(worst-best)':>12} {'raw MAE':>7}"
        f" {'dwell err s':>11} | {'HOG MAE':>7} {'HOG+trk MAE':>11} {'HOG dwell s':>11} | {'ratio':>5}"
    )
    print(header)
    print("-" * len(header))
    ours_all, hog_all = [], []
    t_start = time.perf_counter()
    for clip in clips:
        hog_people = hog_every_frame(clip.video)
        period = max(1, round(clip.fps / args.detect_hz))
        starts = range(period) if len(clip.counts) < args.phase_below else [0]
        runs = [measure(clip, start, args.detect_hz, hog_people, args.cpu_budget) for start in starts]
        mean = {key: float(np.mean([run[key] for run in runs])) for key in runs[0]}
        worst, best = max(run["count"] for run in runs), min(run["count"] for run in runs)
        ours_all.append(mean["count"])
        hog_all.append(mean["hog"])
        ratio = mean["count"] / mean["hog"] if mean["hog"] else float("nan")
        print(
            f"{clip.name:18} {len(clip.counts):6d} {clip.counts.mean():5.2f} {len(runs):6d} | {mean['count']:9.2f}"
            f" {f'({worst:.2f}-{best:.2f})':>12} {mean['raw']:7.2f} {mean['dwell']:11.2f} | {mean['hog']:7.2f}"
            f" {mean['hog_trk']:11.2f} {mean['hog_dwell']:11.2f} | {ratio:5.2f}",
            flush=True,
        )
    print("-" * len(header))
    print(
        f"mean count MAE: ours {np.mean(ours_all):.2f}, HOG {np.mean(hog_all):.2f};"
        f" worst ratio ours/HOG {max(o / h for o, h in zip(ours_all, hog_all) if h):.2f}"
        f" (goal <= 0.50); run took {time.perf_counter() - t_start:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
