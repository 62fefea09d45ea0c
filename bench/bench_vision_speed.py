"""How fast is the queue counter on ONE core? Per clip of ../shared/footage, in one run:

* HOG: OpenCV's HOG people detector on a whole frame (frames per second);
* bare detector: one BlazePose inference on a whole frame (frames per second);
* pipeline: the whole counter (decode, tiles, detector, HOG cue, tracker, smoothing) over
  the clip, in source frames per second; the detector runs ``--detect-hz`` times
  per second of source time, the frames between are only grabbed;
* detector share: the part of the pipeline's time spent inside the detectors
  (BlazePose on the tiles, the HOG cue), and what the rest (decode, tiling,
  tracking) adds on top; the HOG cue's own share;
* CPU to follow a live camera: seconds of CPU per second of video at that rate
  (0.5 = half a core), whatever the camera's frame rate, since the detector
  rate is set in seconds, not frames; and the same without the start, the
  first look's sweep over every level (once per source: on a camera followed
  for hours it no longer counts, on a 3-second clip it is most of the cost;
  the later sweeps, every 10 s, are included).

Last, *following in real time*: ``QueueWatcher`` replays each clip at its own
frame rate, over and over, as a camera delivers it (with the watcher's live CPU
budget), for ``--follow-s`` seconds of wall time; the figure is the whole
process's CPU time (every frame grabbed, looks, tracking, publishing) per
second, the honest answer to "how much of a core does following a camera take".

The process is pinned to one CPU and OpenCV / XNNPACK use one thread.

    .venv/bin/python bench/bench_vision_speed.py [--detect-hz 5] [--frames 60] [--follow-s 30]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import cv2  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vision.capture import open_source  # noqa: E402
from vision.evaluation import footage_clips  # noqa: E402
from vision.hog import HogCue, HogFinder  # noqa: E402
from vision.people import PeopleFinder  # noqa: E402
from vision.pipeline import DETECT_HZ, QueueCounter  # noqa: E402
from vision.posedet import PoseDetector, Tile  # noqa: E402
from vision.watch import LIVE_CPU_BUDGET, QueueWatcher  # noqa: E402


class TimedDetector(PoseDetector):
    """The detector, with the time spent in it added up."""

    seconds = 0.0

    def detect(self, rgb, tiles):
        start = time.process_time()
        try:
            return super().detect(rgb, tiles)
        finally:
            self.seconds += time.process_time() - start


class TimedHogCue(HogCue):
    seconds = 0.0

    def find(self, rgb, region, smallest_radius):
        start = time.process_time()
        try:
            return super().find(rgb, region, smallest_radius)
        finally:
            self.seconds += time.process_time() - start


def frames_of(video: Path, limit: int) -> list:
    out = []
    with open_source(str(video)) as src:
        while len(out) < limit and src.grab() is not None:
            out.append(src.retrieve())
    return out


def per_frame_fps(fn, frames) -> float:
    fn(frames[0])  # warm-up
    start = time.process_time()
    for frame in frames:
        fn(frame)
    return len(frames) / (time.process_time() - start)


def follow(video: Path, seconds: float) -> tuple[float, int, float]:
    """(CPU seconds per wall second, observations published, mean people) while a
    watcher follows ``video`` replayed in real time for ``seconds``."""
    import threading

    from config.schema import CameraConfig

    observations = []
    watcher = QueueWatcher(CameraConfig(enabled=True, source=str(video)), observations.append, replay=True)
    thread = threading.Thread(target=watcher.run, daemon=True)
    cpu, wall = time.process_time(), time.monotonic()
    thread.start()
    time.sleep(seconds)
    watcher.stop()
    thread.join(10)
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    people = [o.people for o in observations]
    return cpu / wall, len(observations), sum(people) / max(1, len(people))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--footage", type=Path, default=REPO.parent / "shared" / "footage")
    parser.add_argument("--detect-hz", type=float, default=DETECT_HZ)
    parser.add_argument("--frames", type=int, default=60, help="frames per clip for HOG and the bare detector")
    parser.add_argument("--follow-s", type=float, default=30.0, help="wall seconds of real-time following per clip (0: skip)")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    clips = footage_clips(args.footage)
    if not clips:
        print(f"no footage under {args.footage}: nothing to measure")
        return 1
    print(f"one core (CPU {sorted(os.sched_getaffinity(0))}), detector at {args.detect_hz:g} Hz of source time")
    header = (
        f"{'clip':20} {'size':>8} | {'HOG fps':>7} {'bare fps':>8} | {'pipeline fps':>12} {'x HOG':>6}"
        f" {'tiles/run':>9} {'det share':>9} {'HOG share':>9} {'overhead':>8} | {'CPU/s video':>11} {'w/o start':>9}"
    )
    print(header)
    print("-" * len(header))
    hog, bare = HogFinder(), PoseDetector()
    for clip in clips:
        frames = frames_of(clip.video, args.frames)
        h, w = frames[0].shape[:2]
        hog_fps = per_frame_fps(lambda f: hog.find(cv2.cvtColor(f, cv2.COLOR_BGR2RGB)), frames)
        whole = [Tile(0, 0, w, h)]
        bare_fps = per_frame_fps(lambda f, whole=whole: bare.detect(cv2.cvtColor(f, cv2.COLOR_BGR2RGB), whole), frames)

        detector, cue = TimedDetector(), TimedHogCue()
        counter = QueueCounter(detect_hz=args.detect_hz, finder=PeopleFinder(detector, cue))
        results, start_cost = [], None
        start = time.process_time()
        with open_source(str(clip.video)) as src:
            for result in counter.run(src):
                results.append(result)
                if start_cost is None and result.detected:
                    start_cost = time.process_time() - start  # opening, the first frame and its sweep
        spent = time.process_time() - start
        runs = sum(r.detected for r in results)
        video_s = len(results) / clip.fps
        detecting = detector.seconds + cue.seconds
        detector.close()
        print(
            f"{clip.name:20} {w:4d}x{h:<3d} | {hog_fps:7.1f} {bare_fps:8.1f} | {len(results) / spent:12.1f}"
            f" {len(results) / spent / hog_fps:6.1f} {detector.inferences / runs:9.1f}"
            f" {detecting / spent:9.0%} {cue.seconds / spent:9.0%} {(spent - detecting) / detecting:8.0%} |"
            f" {spent / video_s:11.2f} {(spent - start_cost) / video_s:9.2f}",
            flush=True,
        )
    bare.close()
    print("-" * len(header))
    print("goals: pipeline >= 10x HOG; overhead (pipeline beyond the detectors on their tiles) <= 25 %;")
    print("       CPU per second of video <= 0.5 to follow a 30 fps camera")
    if args.follow_s > 0:
        print()
        print(f"following in real time ({args.follow_s:g} s each,"
              f" the watcher's CPU budget {LIVE_CPU_BUDGET:g} core for its looks):")
        for clip in clips:
            share, published, people = follow(clip.video, args.follow_s)
            print(f"  {clip.name:20} {clip.fps:5.1f} fps | CPU {share:.2f} core | {published} observations,"
                  f" mean {people:.1f} people (truth {clip.counts.mean():.1f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
