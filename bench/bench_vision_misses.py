"""Which ground-truth people does NanoDet miss, and which of its sure boxes are nobody? Per clip with MOT ground truth.

The detector alone, as the counter runs it (whole frame, one look, no tracking), on every
``--every``-th frame. Each ground-truth box (flag 1) is paired with the unpaired detection of
the largest IoU, nearest people first (lowest bottom edge: they hide the others), and counts as
found *sure* (score >= 0.35) or *weak* (0.2-0.35) at IoU >= 0.4, else *missed*. Found shares
are given by the person's height in pixels, by how much of their box no nearer person covers,
by where they stand across the frame, and per identity. Sure boxes paired with nobody are
*extra*: at the frame's side edge, overlapping a person (a duplicate, a part, two people merged
into one box) or on the background.

    .venv/bin/python bench/bench_vision_misses.py [--footage ../shared/footage] [--every 2] [clip ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vision.capture import open_source  # noqa: E402
from vision.evaluation import mot_boxes  # noqa: E402
from vision.nanodet import SCORE, NanoDet  # noqa: E402
from vision.people import Box, iou  # noqa: E402
from vision.tracking import Smoothing  # noqa: E402

SURE = Smoothing().sure_score  # what the tracker counts as sure
PAIRED_IOU = 0.4
CLIPS = {"tud_stadtmitte": "TUD-Stadtmitte.mp4", "tud_campus": "TUD-Campus.mp4"}


def visible_share(box: Box, nearer: list[Box]) -> float:
    """How much of ``box`` no box of ``nearer`` covers (on a one-pixel grid)."""
    x0, y0, x1, y1 = box
    mask = np.ones((max(1, int(y1 - y0)), max(1, int(x1 - x0))), bool)
    for a0, b0, a1, b1 in nearer:
        left, top, right, bottom = max(a0, x0), max(b0, y0), min(a1, x1), min(b1, y1)
        if right > left and bottom > top:
            mask[int(top - y0) : int(bottom - y0), int(left - x0) : int(right - x0)] = False
    return float(mask.mean())


Row = tuple[int, float, float, float, float]  # identity, height, visible share, centre x / width, score (0: missed)


def pair(people: list[tuple[int, Box]], found: list[tuple[float, float, float, float, float]], width: int):
    """One frame's ground-truth boxes paired with the detections: (rows, kinds of the extra sure boxes)."""
    people = sorted(people, key=lambda person: -person[1][3])  # nearest first: they hide the others
    rows: list[Row] = []
    paired: set[int] = set()
    for ident, box in people:
        nearer = [b for i, b in people if i != ident and b[3] > box[3]]
        overlaps = [(iou(box, d[:4]), j) for j, d in enumerate(found) if j not in paired]
        best, best_j = max(overlaps, default=(0.0, -1))
        if best >= PAIRED_IOU:
            paired.add(best_j)
        score = found[best_j][4] if best >= PAIRED_IOU else 0.0
        rows.append((ident, box[3] - box[1], visible_share(box, nearer), (box[0] + box[2]) / 2 / width, score))
    extras = []
    for j, d in enumerate(found):
        if j in paired or d[4] < SURE:
            continue
        overlap = max((iou(d[:4], b) for _, b in people), default=0.0)
        at_edge = d[0] < 2 or d[2] > width - 2
        extras.append("overlapping a person" if overlap >= 0.1 else "at a side edge" if at_edge else "background")
    return rows, extras


def diagnose(name: str, video: Path, gt_file: Path, every: int, detector: NanoDet) -> None:
    truth = mot_boxes(gt_file)
    rows: list[Row] = []
    extras: Counter[str] = Counter()
    looked = 0
    with open_source(str(video)) as source:
        while (tick := source.grab()) is not None:
            if tick[0] % every:
                continue
            image = source.retrieve()
            looked += 1
            found = [
                (p.x - p.width / 2, p.y - 2 * p.radius, p.x + p.width / 2, p.y, p.score) for p in detector.find(image)
            ]
            frame_rows, frame_extras = pair(truth[tick[0]], found, image.shape[1])
            rows += frame_rows
            extras.update(frame_extras)
    report(name, looked, rows, extras)


def report(name: str, looked: int, rows: list[Row], extras: Counter[str]) -> None:
    table = np.array([r[1:] for r in rows], dtype=float).reshape(-1, 4)
    idents = np.array([r[0] for r in rows])
    height, visible, centre, score = table.T
    sure, weak = score >= SURE, (score >= SCORE) & (score < SURE)

    def line(label: str, mask: np.ndarray) -> str:
        n = int(mask.sum())
        if not n:
            return f"  {label:28} none"
        return (
            f"  {label:28} {n:4d} boxes: sure {sure[mask].mean():4.0%}, weak {weak[mask].mean():4.0%},"
            f" missed {(score[mask] < SCORE).mean():4.0%}"
        )

    print(f"{name}: {looked} frames looked at, {len(rows)} ground-truth boxes")
    print(line("all", np.ones(len(rows), bool)))
    for lo, hi in ((0, 100), (100, 150), (150, 200), (200, 250), (250, 1000)):
        print(line(f"height {lo}-{hi} px", (height >= lo) & (height < hi)))
    for lo, hi in ((0.0, 0.3), (0.3, 0.6), (0.6, 0.9), (0.9, 1.01)):
        print(line(f"visible {lo:.0%}-{min(hi, 1):.0%}", (visible >= lo) & (visible < hi)))
    for q in range(4):
        print(line(f"across the frame, quarter {q + 1}", (centre >= q / 4) & (centre < (q + 1) / 4)))
    for ident in sorted(set(idents.tolist())):
        m = idents == ident
        print(
            line(f"identity {ident}", m)
            + f"; height {height[m].mean():.0f} px, visible {visible[m].mean():.0%}, mean score {score[m].mean():.2f}"
        )
    total = sum(extras.values())
    kinds = ", ".join(f"{n} {kind}" for kind, n in extras.most_common())
    print(f"  extra sure boxes: {total} ({total / max(1, looked):.2f} a frame): {kinds}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", default=list(CLIPS), help=f"among {', '.join(CLIPS)}")
    parser.add_argument("--footage", type=Path, default=REPO.parent / "shared" / "footage")
    parser.add_argument("--every", type=int, default=2, help="look at every n-th frame")
    args = parser.parse_args()
    if unknown := [c for c in args.clips if c not in CLIPS]:
        print(f"no such clip: {', '.join(unknown)} (among {', '.join(CLIPS)})")
        return 2
    if args.every < 1:
        print(f"--every {args.every}: must be 1 or more")
        return 2
    cv2.setNumThreads(1)
    detector = NanoDet()
    for name in args.clips:
        folder = args.footage / name
        video, gt_file = folder / CLIPS[name], folder / "gt" / "gt.txt"
        if not (video.is_file() and gt_file.is_file()):
            print(f"{name}: no {video} or {gt_file}: skipped")
            continue
        diagnose(name, video, gt_file, args.every, detector)
    return 0


if __name__ == "__main__":
    sys.exit(main())
