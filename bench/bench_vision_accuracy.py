"""How well does the queue counter count? One table, one row per clip of ../shared/footage, in one run:

* count MAE: mean absolute error of the smoothed count per decoded frame, ours beside
  OpenCV's HOG people detector on every frame (as it is usually used), and their ratio;
* phantom frames: frames where nobody is there but someone is counted, of the empty frames;
* time in zone: true visits found, extra visits (split or false), mean error of the
  found visits' lengths (s).

One set of parameters for all clips. No zone: the whole frame is the zone, as the ground
truth counts everyone. Which frames the detector happens to look at is chance (the camera
could have been switched on a frame later), so short clips (under ``--phase-below``
frames) are run from every start within one detector period and the table gives the mean
over the starts (worst and best start in brackets). The kiosk-corridor clips are scored
against the hand counts in ``tests/vision/groundtruth/``.

The three parameters chosen by looking at these clips, the weakest detection that may follow
a counted person (``vision.nanodet.SCORE``), the score from which a person counts at their
first sighting (``Smoothing.at_once_score``) and the tracker's match distance in body radii
(``Smoothing.match_radii``), are also reported leave-one-clip-out: for each clip, the value
among ``--weak`` (``--at-once``, ``--match-radii``) that gives the lowest mean count MAE on the
*other* clips, and that clip's MAE with it. All variants share one decoding of the clip and
one inference per look.

    .venv/bin/python bench/bench_vision_accuracy.py [--detect-hz 2.5] [--footage ../shared/footage]
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
from vision.evaluation import Clip, count_mae, footage_clips, match_visits, phantom_share  # noqa: E402
from vision.hog import HogFinder  # noqa: E402
from vision.nanodet import SCORE, NanoDet  # noqa: E402
from vision.pipeline import DETECT_HZ, QueueCounter  # noqa: E402
from vision.tracking import Smoothing  # noqa: E402


class SharedLook:
    """One NanoDet inference per looked-at frame, shared by every variant of the counter.

    All variants look at the same frames (same rate, same start, no CPU budget), so the
    detector runs once per look at the weakest score any variant keeps, and each variant
    sees the boxes at or above its own weakest score. Suppression keeps a box only against
    stronger ones, so filtering its output by score gives what the detector would give
    with that threshold."""

    def __init__(self, detector: NanoDet):
        self.detector = detector
        self.t: float | None = None
        self.people: list = []

    def view(self, min_score: float) -> "ScoreView":
        return ScoreView(self, min_score)

    def find(self, image, t: float, region) -> list:
        if t != self.t:
            self.t, self.people = t, self.detector.find(image, t, region)
        return self.people


class ScoreView:
    def __init__(self, shared: SharedLook, min_score: float):
        self.shared, self.min_score = shared, min_score

    def find(self, image, t: float, region=None) -> list:
        return [p for p in self.shared.find(image, t, region) if p.score >= self.min_score]


Variant = tuple[float, Smoothing]  # (weakest score, smoothing)


def run_variants(
    variants: list[Variant], shared: SharedLook, detect_hz: float, video: Path, start: int
) -> dict[Variant, tuple[list[int], list[tuple[float, float]]]]:
    """Every variant of the counter over a clip from frame ``start`` on (as if the camera had
    been switched on then), decoding the clip once: {variant: (counts per frame, visits)}."""
    shared.t = None  # a new clip or start: nothing looked at yet
    counters = {v: QueueCounter(detect_hz=detect_hz, finder=shared.view(v[0]), smoothing=v[1]) for v in variants}
    out: dict[Variant, tuple[list[int], list[tuple[float, float]]]] = {v: ([], []) for v in variants}
    with open_source(str(video)) as src:
        for _ in range(start):
            src.grab()
        while (tick := src.grab()) is not None:
            index, t = tick
            image = None
            for v, counter in counters.items():
                due = counter.due(t)
                if due and image is None:
                    image = src.retrieve()
                result = counter.process(index, t, image if due else None)
                out[v][0].append(result.count)
                out[v][1].extend((c.enter_s, c.exit_s) for c in result.closed)
    for v, counter in counters.items():
        closed, still_open = counter.finish()
        out[v][1].extend((c.enter_s, c.exit_s) for c in closed + still_open)
    return out


def hog_counts(video: Path) -> list[int]:
    """HOG's people on every frame."""
    hog, counts = HogFinder(), []
    with open_source(str(video)) as src:
        while src.grab() is not None:
            counts.append(len(hog.find(src.retrieve())))
    return counts


def measure(
    clip: Clip, starts: range | list[int], variants: list[Variant], shared: SharedLook, detect_hz: float
) -> dict[Variant, dict[str, float]]:
    """Each variant's figures for one clip, averaged over the starts (phantoms and visits summed)."""
    runs = [run_variants(variants, shared, detect_hz, clip.video, start) for start in starts]
    return {v: score(clip, starts, [run[v] for run in runs]) for v in variants}


def score(
    clip: Clip, starts: range | list[int], runs: list[tuple[list[int], list[tuple[float, float]]]]
) -> dict[str, float]:
    maes, phantom, empty, found, true, extra, length_errors = [], 0, 0, 0, 0, 0, []
    for start, (counts, visits) in zip(starts, runs):
        truth = clip.counts[start:]
        maes.append(count_mae(counts, truth))
        p, e = phantom_share(counts, truth)
        phantom, empty = phantom + p, empty + e
        t0 = start / clip.fps
        matched = match_visits(visits, [(max(a, t0), b) for a, b in clip.intervals() if b > t0])
        found, true, extra = found + matched.found, true + matched.true, extra + matched.extra
        if matched.found:
            length_errors.append(matched.length_error_s)
    n = len(maes)
    return {
        "count": float(np.mean(maes)),
        "worst": max(maes),
        "best": min(maes),
        "phantom": phantom / n,
        "empty": empty / n,
        "found": found / n,
        "true": true / n,
        "extra": extra / n,
        "length": float(np.mean(length_errors)) if length_errors else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--footage", type=Path, default=REPO.parent / "shared" / "footage")
    parser.add_argument("--groundtruth", type=Path, default=REPO / "tests" / "vision" / "groundtruth")
    parser.add_argument("--detect-hz", type=float, default=DETECT_HZ)
    parser.add_argument("--phase-below", type=int, default=400, help="clips shorter than this are run from every start")
    parser.add_argument(
        "--weak",
        type=float,
        nargs="*",
        default=[0.2, 0.25, 0.35],
        help="weakest-score values for the leave-one-clip-out check (0.35: weak detections off)",
    )
    parser.add_argument(
        "--match-radii",
        type=float,
        nargs="*",
        default=[1.5, 2.0, 2.5],
        help="tracker match distances (body radii) for the leave-one-clip-out check",
    )
    parser.add_argument(
        "--at-once",
        type=float,
        nargs="*",
        default=[0.45, 0.5, 0.6, 1.01],
        help="at-once scores for the leave-one-clip-out check (1.01: nobody counts at first sighting)",
    )
    args = parser.parse_args()
    at_once = Smoothing().at_once_score
    cv2.setNumThreads(1)
    clips = footage_clips(args.footage, args.groundtruth)
    if not clips:
        print(f"no footage under {args.footage}: nothing to measure")
        return 1
    print(
        f"NanoDet {args.detect_hz:g} times per second of source time (weakest score {SCORE:g}, sure 0.35,"
        f" at once {at_once:g}, match {Smoothing().match_radii:g} radii);"
        " HOG on every frame"
    )
    header = (
        f"{'clip':30} {'frames':>6} {'mean':>5} {'starts':>6} | {'count MAE':>9} {'(worst-best)':>12}"
        f" {'HOG MAE':>7} {'ratio':>5} | {'phantom frames':>14} | {'visits found':>12} {'extra':>5}"
        f" {'len err s':>9}"
    )
    print(header)
    print("-" * len(header))
    t_start = time.perf_counter()
    weak_values = sorted(set(args.weak) | {SCORE})
    at_once_values = sorted(set(args.at_once) | {at_once})
    ours_v: Variant = (SCORE, Smoothing())
    variants = [ours_v] + [(w, Smoothing()) for w in weak_values if w != SCORE]
    variants += [(SCORE, Smoothing(at_once_score=a)) for a in at_once_values if a != at_once]
    match = Smoothing().match_radii
    match_values = sorted(set(args.match_radii) | {match})
    variants += [(SCORE, Smoothing(match_radii=r)) for r in match_values if r != match]
    shared = SharedLook(NanoDet(min_score=min(weak_values)))
    by_weak: dict[float, list[float]] = {w: [] for w in weak_values}
    by_at_once: dict[float, list[float]] = {a: [] for a in at_once_values}
    by_match: dict[float, list[float]] = {r: [] for r in match_values}
    hogs = []
    for clip in clips:
        period = max(1, round(clip.fps / args.detect_hz))
        starts = range(period) if len(clip.counts) < args.phase_below else [0]
        figures = measure(clip, starts, variants, shared, args.detect_hz)
        for w in weak_values:
            by_weak[w].append(figures[(w, Smoothing())]["count"])
        for a in at_once_values:
            by_at_once[a].append(figures[(SCORE, Smoothing(at_once_score=a))]["count"])
        for r in match_values:
            by_match[r].append(figures[(SCORE, Smoothing(match_radii=r))]["count"])
        hog = count_mae(hog_counts(clip.video), clip.counts)
        hogs.append(hog)
        m = figures[ours_v]
        phantom = f"{m['phantom']:.1f}/{m['empty']:.0f}" if m["empty"] else "no empty frame"
        spread = f"({m['worst']:.2f}-{m['best']:.2f})"
        visits = f"{m['found']:.1f}/{m['true']:.0f}"
        ratio = m["count"] / hog if hog else float("nan")
        print(
            f"{clip.name:30} {len(clip.counts):6d} {clip.counts.mean():5.2f} {len(starts):6d} | {m['count']:9.2f}"
            f" {spread:>12} {hog:7.2f} {ratio:5.2f} | {phantom:>14} | {visits:>12} {m['extra']:5.1f}"
            f" {m['length']:9.2f}",
            flush=True,
        )
    print("-" * len(header))
    ours = by_weak[SCORE]
    print(
        f"mean count MAE: ours {np.mean(ours):.2f}, HOG {np.mean(hogs):.2f};"
        f" worst ratio ours/HOG {max(o / h for o, h in zip(ours, hogs) if h):.2f} (goal <= 0.50)"
    )
    for name, by_value, used in (
        ("weakest score", by_weak, SCORE),
        ("at-once score", by_at_once, at_once),
        ("match radii", by_match, match),
    ):
        print(f"leave-one-clip-out, {name} chosen on the other clips:")
        for i, clip in enumerate(clips):
            others = {v: np.mean([m for j, m in enumerate(maes) if j != i]) for v, maes in by_value.items()}
            chosen = min(others, key=lambda v: others[v])
            print(
                f"  {clip.name:30} chose {chosen:g}: count MAE {by_value[chosen][i]:.2f} (with {used:g}: {ours[i]:.2f})"
            )
    print(f"run took {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
