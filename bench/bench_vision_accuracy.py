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

The six parameters chosen by looking at these clips, the weakest detection that may follow
a counted person (``vision.nanodet.SCORE``), the score from which a person counts at their
first sighting (``Smoothing.at_once_score``), the tracker's match distance in body radii
(``Smoothing.match_radii``), how much of a sure box must lie inside a taller one to be a
part of it (``Smoothing.part_inside``), the longest someone last seen at a side edge is held
while a part of them may still be in view (``Smoothing.edge_exit_max_s``) and the smallest box,
as a share of the frame's height, that may be a person (``Smoothing.min_height``), are also reported
leave-one-clip-out: for each clip, the value among ``--weak`` (``--at-once``, ``--match-radii``,
``--part-inside``, ``--edge-exit-max``, ``--min-height``) that gives
the lowest mean count MAE on the *other* clips, and that clip's MAE with it. All variants
share one decoding of the clip and one inference per look.

    .venv/bin/python bench/bench_vision_accuracy.py [--detect-hz 2.5] [--footage ../shared/footage] [--cache [DIR]]

``--cache`` keeps NanoDet's boxes per looked-at frame and HOG's counts in a folder outside
the repository (boxes and scores, no image) and reuses them: for tracker experiments. The
figures in the docs come from a run without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vision import nanodet as nanodet_module  # noqa: E402
from vision.capture import open_source  # noqa: E402
from vision.evaluation import Clip, count_mae, footage_clips, match_visits, phantom_share  # noqa: E402
from vision.hog import HogFinder  # noqa: E402
from vision.models import detector_model  # noqa: E402
from vision.nanodet import SCORE, NanoDet  # noqa: E402
from vision.people import Person  # noqa: E402
from vision.pipeline import DETECT_HZ, QueueCounter  # noqa: E402
from vision.tracking import Smoothing  # noqa: E402

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "frontdesk-bench-detections"  # --cache without a folder


class Looks:
    """NanoDet's people on the frames of one clip, shared by every variant of the counter.

    All variants look at frames on the same schedule (same rate, no CPU budget), so the
    detector runs once per looked-at frame at the weakest score any variant keeps, and each
    variant sees the boxes at or above its own weakest score. Suppression keeps a box only
    against stronger ones, so filtering its output by score gives what the detector would
    give with that threshold.

    With ``cache`` (a folder outside the repository, ``--cache``), the boxes and scores of
    every frame looked at are kept there per clip, with the frame times, so that a tracker
    experiment runs in seconds without decoding or inference. The file's name holds the
    model's sha256, the detector's source, the weakest score and the video's size and
    modification time: a change to any of them makes a fresh one. Boxes only, no image."""

    def __init__(self, detector: NanoDet, video: Path, cache: Path | None):
        self.detector, self.video = detector, video
        self.people: dict[int, list[Person]] = {}
        self.times: list[float] = []
        self.size = (0, 0)
        self.hog: list[int] | None = None
        self.path = cache / f"{self._key()}.json" if cache else None
        if self.path and self.path.is_file():
            data = json.loads(self.path.read_text())
            self.times, self.size, self.hog = data["times"], tuple(data["size"]), data["hog"]
            self.people = {int(k): [Person(*row) for row in rows] for k, rows in data["people"].items()}
        self._source = None
        self._source_at = 0
        self.changed = False
        self.index = 0  # the frame the counters are handed now

    def _key(self) -> str:
        stat = self.video.stat()
        parts = [
            str(self.video.resolve()),
            str(stat.st_size),
            str(stat.st_mtime_ns),
            detector_model().name,
            hashlib.sha256(Path(nanodet_module.__file__).read_bytes()).hexdigest(),
            repr(self.detector.min_score),
        ]
        return f"{self.video.stem}-{hashlib.sha256(chr(0).join(parts).encode()).hexdigest()[:16]}"

    def frames(self) -> list[float]:
        """The source time of every frame (decoding the clip once if not cached)."""
        if not self.times:
            with open_source(str(self.video)) as src:
                while (tick := src.grab()) is not None:
                    self.times.append(tick[1])
                    if not self.size[0]:
                        self.size = src.retrieve().shape[1::-1]
            self.changed = True
        return self.times

    def image(self):
        """What a counter is handed on a looked-at frame: the frame's size is all it reads, as
        its finder answers from ``look``; no pixels."""
        return np.broadcast_to(np.zeros(1, dtype=np.uint8), (self.size[1], self.size[0], 3))

    def look(self, index: int) -> list[Person]:
        if index not in self.people:
            self.people[index] = self.detector.find(self._decode(index))
            self.changed = True
        return self.people[index]

    def _decode(self, index: int):
        if self._source is None or self._source_at > index:
            self.close_source()
            self._source, self._source_at = open_source(str(self.video)), 0
            self._source.__enter__()
        while self._source_at <= index:
            self._source.grab()
            self._source_at += 1
        return self._source.retrieve()

    def close_source(self) -> None:
        if self._source is not None:
            self._source.__exit__(None, None, None)
            self._source = None

    def save(self) -> None:
        self.close_source()
        if self.path and self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            rows = {str(k): [[p.x, p.y, p.radius, p.score, p.width] for p in v] for k, v in self.people.items()}
            data = {"times": self.times, "size": list(self.size), "people": rows, "hog": self.hog}
            self.path.write_text(json.dumps(data))

    def view(self, min_score: float) -> "ScoreView":
        return ScoreView(self, min_score)


class ScoreView:
    def __init__(self, looks: Looks, min_score: float):
        self.looks, self.min_score = looks, min_score

    def find(self, image, t: float, region=None) -> list:
        return [p for p in self.looks.look(self.looks.index) if p.score >= self.min_score]


Variant = tuple[float, Smoothing]  # (weakest score, smoothing)


def run_variants(
    variants: list[Variant], looks: Looks, detect_hz: float, start: int
) -> dict[Variant, tuple[list[int], list[tuple[float, float]]]]:
    """Every variant of the counter over a clip from frame ``start`` on (as if the camera had
    been switched on then): {variant: (counts per frame, visits)}."""
    counters = {v: QueueCounter(detect_hz=detect_hz, finder=looks.view(v[0]), smoothing=v[1]) for v in variants}
    out: dict[Variant, tuple[list[int], list[tuple[float, float]]]] = {v: ([], []) for v in variants}
    times = looks.frames()
    for index in range(start, len(times)):
        t = times[index]
        looks.index = index
        for v, counter in counters.items():
            result = counter.process(index, t, looks.image() if counter.due(t) else None)
            out[v][0].append(result.count)
            out[v][1].extend((c.enter_s, c.exit_s) for c in result.closed)
    for v, counter in counters.items():
        closed, still_open = counter.finish()
        out[v][1].extend((c.enter_s, c.exit_s) for c in closed + still_open)
    return out


def hog_counts(looks: Looks) -> list[int]:
    """HOG's people on every frame (kept in the cache beside NanoDet's boxes)."""
    if looks.hog is None:
        hog, looks.hog = HogFinder(), []
        with open_source(str(looks.video)) as src:
            while src.grab() is not None:
                looks.hog.append(len(hog.find(src.retrieve())))
        looks.changed = True
    return looks.hog


def measure(
    clip: Clip, starts: range | list[int], variants: list[Variant], looks: Looks, detect_hz: float
) -> dict[Variant, dict[str, float]]:
    """Each variant's figures for one clip, averaged over the starts (phantoms and visits summed)."""
    runs = [run_variants(variants, looks, detect_hz, start) for start in starts]
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


# The parameters checked leave-one-clip-out, each with the values it is tried at: (name in the table,
# flag, the ``Smoothing`` field or None for the weakest score, values, what they mean).
SWEEPS = (
    ("weakest score", "--weak", None, [0.2, 0.25, 0.35], "weakest-score values (0.35: weak detections off)"),
    (
        "at-once score",
        "--at-once",
        "at_once_score",
        [0.45, 0.5, 0.6, 1.01],
        "at-once scores (1.01: nobody counts at first sighting)",
    ),
    ("match radii", "--match-radii", "match_radii", [1.5, 2.0, 2.5], "tracker match distances (body radii)"),
    (
        "part-body share",
        "--part-inside",
        "part_inside",
        [0.8, 0.9, 1.01],
        "part-body shares (1.01: no sure box is taken for a part)",
    ),
    (
        "longest edge hold",
        "--edge-exit-max",
        "edge_exit_max_s",
        [0.2, 0.4, 0.6],
        "longest holds at a side edge, s (0.2: the edge's short hold alone)",
    ),
    (
        "smallest box",
        "--min-height",
        "min_height",
        [0.0, 0.04, 0.05, 0.06, 0.07],
        "smallest person boxes, share of the frame's height (0: off)",
    ),
)


def sweep_variants(args: argparse.Namespace) -> dict[str, tuple[float, dict[float, Variant]]]:
    """Each swept parameter's value in use and its variants: {name: (used, {value: variant})}."""
    sweeps = {}
    for name, flag, field, _, _ in SWEEPS:
        used = SCORE if field is None else getattr(Smoothing(), field)
        values = sorted(set(getattr(args, flag[2:].replace("-", "_"))) | {used})
        if field is None:
            sweeps[name] = (used, {v: (v, Smoothing()) for v in values})
        else:
            sweeps[name] = (used, {v: (SCORE, Smoothing(**{field: v})) for v in values})
    return sweeps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--footage", type=Path, default=REPO.parent / "shared" / "footage")
    parser.add_argument("--groundtruth", type=Path, default=REPO / "tests" / "vision" / "groundtruth")
    parser.add_argument("--detect-hz", type=float, default=DETECT_HZ)
    parser.add_argument("--phase-below", type=int, default=400, help="clips shorter than this are run from every start")
    for _, flag, _, values, meaning in SWEEPS:
        parser.add_argument(
            flag, type=float, nargs="*", default=values, help=f"{meaning} for the leave-one-clip-out check"
        )
    parser.add_argument(
        "--cache",
        type=Path,
        nargs="?",
        const=DEFAULT_CACHE,
        help="keep NanoDet's boxes and HOG's counts per clip in this folder (default: the temp directory's"
        " frontdesk-bench-detections) and reuse them: a tracker experiment in seconds; never in the repository",
    )
    args = parser.parse_args()
    if args.cache and args.cache.resolve().is_relative_to(REPO):
        print(f"--cache {args.cache}: keep the cache outside the repository")
        return 2
    cv2.setNumThreads(1)
    clips = footage_clips(args.footage, args.groundtruth)
    if not clips:
        print(f"no footage under {args.footage}: nothing to measure")
        return 1
    ours_v: Variant = (SCORE, Smoothing())
    print(
        f"NanoDet {args.detect_hz:g} times per second of source time (weakest score {SCORE:g}, sure 0.35,"
        f" at once {ours_v[1].at_once_score:g}, match {ours_v[1].match_radii:g} radii,"
        f" part inside {ours_v[1].part_inside:g}, edge hold up to {ours_v[1].edge_exit_max_s:g} s,"
        f" smallest box {ours_v[1].min_height:g} of the height); HOG on every frame"
    )
    header = (
        f"{'clip':30} {'frames':>6} {'mean':>5} {'starts':>6} | {'count MAE':>9} {'(worst-best)':>12}"
        f" {'HOG MAE':>7} {'ratio':>5} | {'phantom frames':>14} | {'visits found':>12} {'extra':>5}"
        f" {'len err s':>9}"
    )
    print(header)
    print("-" * len(header))
    t_start = time.perf_counter()
    sweeps = sweep_variants(args)
    variants = list(dict.fromkeys([ours_v] + [v for _, by_value in sweeps.values() for v in by_value.values()]))
    detector = NanoDet(min_score=min(sweeps["weakest score"][1]))
    maes: dict[Variant, list[float]] = {v: [] for v in variants}
    hogs, ours = [], []
    for clip in clips:
        period = max(1, round(clip.fps / args.detect_hz))
        starts = range(period) if len(clip.counts) < args.phase_below else [0]
        looks = Looks(detector, clip.video, args.cache)
        figures = measure(clip, starts, variants, looks, args.detect_hz)
        for v in variants:
            maes[v].append(figures[v]["count"])
        hog = count_mae(hog_counts(looks), clip.counts)
        looks.save()
        hogs.append(hog)
        m = figures[ours_v]
        ours.append(m["count"])
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
    print(
        f"mean count MAE: ours {np.mean(ours):.2f}, HOG {np.mean(hogs):.2f};"
        f" worst ratio ours/HOG {max(o / h for o, h in zip(ours, hogs) if h):.2f} (goal <= 0.50)"
    )
    for name, (used, by_value) in sweeps.items():
        print(f"leave-one-clip-out, {name} chosen on the other clips:")
        for i, clip in enumerate(clips):
            others = {value: np.mean([m for j, m in enumerate(maes[v]) if j != i]) for value, v in by_value.items()}
            chosen = min(others, key=lambda value: others[value])
            print(
                f"  {clip.name:30} chose {chosen:g}: count MAE {maes[by_value[chosen]][i]:.2f}"
                f" (with {used:g}: {ours[i]:.2f})"
            )
    cached = f", boxes from the cache {args.cache}" if args.cache else ", no cache"
    print(f"run took {time.perf_counter() - t_start:.0f} s, {time.process_time():.0f} s of CPU{cached}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
