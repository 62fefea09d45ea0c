"""How fast is the queue counter on ONE core? Per clip of ../shared/footage, in CPU time.

The machine is shared, so every figure is *CPU time of this process* (``time.process_time``),
not wall time; the process is pinned to one CPU and OpenCV and onnxruntime use one thread.

* HOG: OpenCV's HOG people detector on a whole frame, CPU ms per frame (the baseline);
* bare detector: one NanoDet inference on a whole frame (letterbox, inference, decoding);
* pipeline: the whole counter over the clip (every frame grabbed and decoded by the
  capture, the detector ``--detect-hz`` times per second of source time, tracking,
  smoothing), CPU ms per source frame, and how many times faster than HOG on every frame
  that is (goal: 10x);
* per look: the pipeline's CPU per detector run against the bare detector's (the goal as first
  read: at most 1.25x): what decoding the frames in between, the tracker and the smoothing add;
* detector over the clip: the detector alone reading the clip as the counter does (every frame
  grabbed, the same frames converted and looked at, no tracking or smoothing), CPU per look,
  and the pipeline against it (the goal read as "the whole counter costs at most 1.25x the
  detector doing the same work on the same clip"): what the counter itself adds;
* live: ``QueueWatcher`` replays the clip at its own frame rate, over and over, as a camera
  delivers it, for ``--follow-s`` seconds of wall time; the process's CPU per second of wall
  time (goal: at most 0.5 core), and the wall time from starting the watcher to its first
  observation with someone counted (goal: within 3 s; the people are in view from the start).

    .venv/bin/python bench/bench_vision_speed.py [--detect-hz 2.5] [--frames 12] [--follow-s 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import cv2  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from config.schema import CameraConfig  # noqa: E402
from vision.capture import open_source  # noqa: E402
from vision.evaluation import footage_clips  # noqa: E402
from vision.hog import HogFinder  # noqa: E402
from vision.nanodet import NanoDet  # noqa: E402
from vision.pipeline import DETECT_HZ, QueueCounter  # noqa: E402
from vision.watch import QueueWatcher  # noqa: E402


def cpu_per_frame(find, video: Path, frames: int) -> float:
    """CPU seconds of ``find`` per frame, over the first ``frames`` frames (decoding not counted)."""
    spent, done = 0.0, 0
    with open_source(str(video)) as src:
        while done < frames and src.grab() is not None:
            image = src.retrieve()
            started = time.process_time()
            find(image)
            spent += time.process_time() - started
            done += 1
    return spent / max(1, done)


def pipeline(video: Path, detector: NanoDet, detect_hz: float) -> tuple[float, int, int]:
    """(CPU seconds for the whole clip, source frames, detector runs)."""
    counter = QueueCounter(detect_hz=detect_hz, finder=detector)
    before = detector.inferences
    started = time.process_time()
    with open_source(str(video)) as src:
        frames = sum(1 for _ in counter.run(src))
    return time.process_time() - started, frames, detector.inferences - before


def detector_over_clip(video: Path, detector: NanoDet, detect_hz: float) -> tuple[float, int]:
    """(CPU seconds, detector runs) of the detector alone over the clip, on the counter's frames:
    every frame grabbed (a video file's grab decodes it), a look every 1/detect_hz s of source
    time, converted and detected, as ``QueueCounter`` schedules looks for a file."""
    next_look, looks = 0.0, 0
    started = time.process_time()
    with open_source(str(video)) as src:
        while (tick := src.grab()) is not None:
            _, t = tick
            if t >= next_look - 1e-6:
                detector.find(src.retrieve(), t, None)
                next_look += 1.0 / detect_hz
                looks += 1
    return time.process_time() - started, looks


def follow(video: Path, seconds: float) -> tuple[float, float | None]:
    """(CPU per wall second following the clip as a live camera, wall s to the first person counted)."""
    first: list[float] = []
    begun = time.monotonic()

    def seen(obs) -> None:
        if obs.people and not first:
            first.append(time.monotonic() - begun)

    watcher = QueueWatcher(CameraConfig(enabled=True), seen, source=str(video), replay=True)
    cpu0 = time.process_time()
    thread = threading.Thread(target=watcher.run)
    thread.start()
    time.sleep(seconds)
    watcher.stop()
    thread.join()
    return (time.process_time() - cpu0) / (time.monotonic() - begun), (first[0] if first else None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--footage", type=Path, default=REPO.parent / "shared" / "footage")
    parser.add_argument("--detect-hz", type=float, default=DETECT_HZ)
    parser.add_argument("--frames", type=int, default=12, help="frames timed for HOG and the bare detector")
    parser.add_argument("--follow-s", type=float, default=20.0, help="wall seconds of following each clip live")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    clips = footage_clips(args.footage)
    corridor = args.footage / "kiosk_corridor"
    extra = [p for p in sorted(corridor.glob("*.mp4"))] if corridor.is_dir() else []
    videos = [(c.name, c.video) for c in clips] + [(p.stem, p) for p in extra]
    if not videos:
        print(f"no footage under {args.footage}: nothing to measure")
        return 1
    detector, hog = NanoDet(), HogFinder()
    print(f"one core, CPU time; NanoDet {args.detect_hz:g} times per second of source time")
    header = (
        f"{'clip':30} {'size':>9} {'fps':>4} | {'HOG ms/fr':>9} {'NanoDet ms':>10} | {'pipeline ms/fr':>14}"
        f" {'x HOG':>6} | {'ms/look':>7} {'x bare':>6} | {'det/clip ms/look':>16} {'x det/clip':>10}"
        f" | {'live core':>9} {'first count s':>13}"
    )
    print(header)
    print("-" * len(header))
    for name, video in videos:
        with open_source(str(video)) as src:
            src.grab()
            height, width = src.retrieve().shape[:2]
            fps = src.info.fps
        hog_s = cpu_per_frame(hog.find, video, max(3, args.frames // 2))
        bare_s = cpu_per_frame(detector.find, video, args.frames)
        cpu, frames, looks = pipeline(video, detector, args.detect_hz)
        alone_cpu, alone_looks = detector_over_clip(video, detector, args.detect_hz)
        alone = alone_cpu / alone_looks
        per_frame = cpu / frames
        live, first = follow(video, args.follow_s)
        first_s = f"{first:.1f}" if first is not None else "none"
        print(
            f"{name:30} {f'{width}x{height}':>9} {fps:4.0f} | {hog_s * 1000:9.1f} {bare_s * 1000:10.1f} |"
            f" {per_frame * 1000:14.2f} {hog_s / per_frame:6.1f} | {cpu / looks * 1000:7.1f}"
            f" {cpu / looks / bare_s:6.2f} | {alone * 1000:16.1f} {cpu / looks / alone:10.2f}"
            f" | {live:9.2f} {first_s:>13}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
