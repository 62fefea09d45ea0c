"""Does each visit the time-in-zone figures call found follow that person? Clips with MOT ground truth only.

`bench_vision_accuracy.py` pairs measured and true visits by their overlap in time alone, the only
thing the hand counts give. With several people in view at once a visit can then be paired with a
person it never followed: a split of someone else's walk, a visit on the background, a chain of
two people. Here every visit's sightings (its floor point at each look, recorded by this bench from
the ledger's calls, never kept by the product) are laid on the ground truth's boxes: a sighting lies
on the person whose box's bottom centre is nearest, if within the larger of the two radii (half a
body's height). Visits and people are paired one to one (Hungarian) by the number of the visit's
sightings on that person, at least ``--min-sightings``. *Found*: people with a visit of their own;
*extra*: every other visit (a split, a chain's second person, a box on nobody). The accuracy
bench's time-paired figures are printed beside them, over the same starts.

    .venv/bin/python bench/bench_vision_identity.py [--cache [DIR]] [--min-sightings 2] [--per-start]
"""

from __future__ import annotations

import argparse
import configparser
import math
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
from scipy.optimize import linear_sum_assignment

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_vision_accuracy import DEFAULT_CACHE, Looks, run_variants  # noqa: E402

from vision.evaluation import Clip, footage_clips, match_visits, mot_boxes  # noqa: E402
from vision.nanodet import SCORE, NanoDet  # noqa: E402
from vision.pipeline import DETECT_HZ  # noqa: E402
from vision.tracking import Smoothing  # noqa: E402
from vision.visits import VisitLedger  # noqa: E402

Sighting = tuple[float, float, float, float]  # t, x, y, radius
Truth = dict[int, list[tuple[int, float, float, float]]]  # frame -> [(identity, x, y, radius)]


@contextmanager
def recorded_sightings() -> Iterator[dict[int, list[Sighting]]]:
    """Every in-zone sighting the ledgers are told of, per visit number, while inside."""
    sightings: dict[int, list[Sighting]] = defaultdict(list)
    seen = VisitLedger.seen

    def recording(self, visit, t, at, radius, in_zone, at_desk):  # type: ignore[no-untyped-def]
        if in_zone:
            sightings[visit.id].append((t, at[0], at[1], radius))
        return seen(self, visit, t, at, radius, in_zone, at_desk)

    VisitLedger.seen = recording  # type: ignore[method-assign]
    try:
        yield sightings
    finally:
        VisitLedger.seen = seen  # type: ignore[method-assign]


def ground_truth(clip: Clip, width: int) -> Truth:
    """Flag-1 boxes per 0-based frame as (identity, bottom centre, half height), at the video's scale."""
    info = configparser.ConfigParser()
    info.read(clip.video.parent / "seqinfo.ini")
    scale = width / float(info["Sequence"]["imWidth"])
    truth: Truth = defaultdict(list)
    for frame, people in mot_boxes(clip.video.parent / "gt" / "gt.txt").items():
        for ident, (left, top, right, bottom) in people:
            truth[frame].append((ident, (left + right) / 2 * scale, bottom * scale, (bottom - top) * scale / 2))
    return truth


def by_identity(
    sightings: dict[int, list[Sighting]], truth: Truth, frame_of: dict[float, int], people: list[int], least: int
) -> tuple[int, int]:
    """(people with a visit of their own, other visits)."""
    visits = sorted(sightings)
    share = np.zeros((len(people), len(visits)))
    for j, vid in enumerate(visits):
        for t, x, y, r in sightings[vid]:
            near = min(truth.get(frame_of[t], []), key=lambda g: math.hypot(g[1] - x, g[2] - y), default=None)
            if near and near[0] in people and math.hypot(near[1] - x, near[2] - y) <= max(r, near[3]):
                share[people.index(near[0]), j] += 1
    rows, cols = linear_sum_assignment(-share) if share.size else ([], [])
    found = sum(1 for i, j in zip(rows, cols) if share[i, j] >= least)
    return found, len(visits) - found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--footage", type=Path, default=REPO.parent / "shared" / "footage")
    parser.add_argument("--detect-hz", type=float, default=DETECT_HZ)
    parser.add_argument("--phase-below", type=int, default=400, help="clips shorter than this are run from every start")
    parser.add_argument("--min-sightings", type=int, default=2, help="a visit's sightings on a person to be theirs")
    parser.add_argument("--per-start", action="store_true", help="print every start's figures too")
    parser.add_argument(
        "--cache",
        type=Path,
        nargs="?",
        const=DEFAULT_CACHE,
        help="the accuracy bench's box cache (same folder, same files); never in the repository",
    )
    args = parser.parse_args()
    if args.cache and args.cache.resolve().is_relative_to(REPO):
        print(f"--cache {args.cache}: keep the cache outside the repository")
        return 2
    cv2.setNumThreads(1)
    clips = [c for c in footage_clips(args.footage) if (c.video.parent / "gt" / "gt.txt").is_file()]
    if not clips:
        print(f"no clip with MOT ground truth under {args.footage}")
        return 1
    detector = NanoDet(min_score=SCORE)
    variant = (SCORE, Smoothing())
    print(f"visits per clip, mean over the starts; identity pairing: at least {args.min_sightings} sightings")
    print(
        f"{'clip':16} {'starts':>6} | {'true':>4} | {'by time: found':>14} {'extra':>5} |"
        f" {'by identity: found':>18} {'extra':>5}"
    )
    for clip in clips:
        period = max(1, round(clip.fps / args.detect_hz))
        starts = range(period) if len(clip.counts) < args.phase_below else [0]
        looks = Looks(detector, clip.video, args.cache)
        times = looks.frames()
        frame_of = {t: k for k, t in enumerate(times)}
        truth = ground_truth(clip, looks.size[0])
        figures = []
        for start in starts:
            with recorded_sightings() as sightings:
                _, visits = run_variants([variant], looks, args.detect_hz, start)[variant]
            t0 = start / clip.fps
            timed = match_visits(visits, [(max(a, t0), b) for a, b in clip.intervals() if b > t0])
            people = [i for i, (_, hi) in clip.spans.items() if (hi + 1) / clip.fps > t0]
            found, extra = by_identity(sightings, truth, frame_of, people, args.min_sightings)
            figures.append((timed.true, timed.found, timed.extra, found, extra))
            if args.per_start:
                print(
                    f"  {clip.name} from frame {start}: time {timed.found}/{timed.true} +{timed.extra},"
                    f" identity {found}/{timed.true} +{extra}"
                )
        true, t_found, t_extra, i_found, i_extra = np.mean(figures, axis=0)
        print(
            f"{clip.name:16} {len(starts):6d} | {true:4.0f} | {t_found:14.1f} {t_extra:5.1f} |"
            f" {i_found:18.1f} {i_extra:5.1f}",
            flush=True,
        )
        looks.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
