"""capture → detect people (NanoDet, whole body) → zone → follow → smooth → time in zone → observations.

``QueueCounter`` is the whole counter for one source. The detector runs on
``detect_hz`` frames per second of source time (every n-th frame); between them
the count is held, which is what a smoothed count does anyway.

    counter = QueueCounter(Zone.parse("0,0.3,1,0.3,1,1,0,1"))
    for result in counter.run(open_source("clip.mp4")):
        print(result.frame, result.t, result.count, result.raw)
    closed, still_open = counter.finish()  # at the end of the source

Only counts and anonymous durations come out of here: ``FrameResult``,
``Visit`` and ``QueueObservation``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from kiosk.core.model import QueueObservation
from vision.capture import FrameSource
from vision.people import Person
from vision.tracking import QueueTracker, Smoothing
from vision.visits import Visit
from vision.zone import Zone

DETECT_HZ = 2.5  # detector runs per second of source time
CPU_BURST_S = 2.0  # CPU seconds the detector may spend ahead of its budget: a busy moment, the first looks


class Finder(Protocol):
    """Finds people in a BGR frame (``vision.nanodet.NanoDet``; tests feed their own)."""

    def find(
        self, image_bgr: npt.NDArray[np.uint8], t: float, region: tuple[int, int, int, int] | None
    ) -> list[Person]: ...


@dataclass(frozen=True, slots=True)
class FrameResult:
    frame: int
    t: float
    count: int  # smoothed people in the zone
    raw: int  # detections in the zone on the last frame the detector looked at
    detected: bool  # did the detector run on this frame
    closed: list[Visit] = field(default_factory=list)


class QueueCounter:
    def __init__(
        self,
        zone: Zone = Zone(),
        desk_zone: Zone | None = None,
        detect_hz: float = DETECT_HZ,
        smoothing: Smoothing = Smoothing(),
        finder: Finder | None = None,
        cpu_budget: float | None = None,
        cpu_burst_s: float = CPU_BURST_S,
    ):
        """``cpu_budget`` (live sources): the share of one core the detector may
        use on average. It works as a token bucket: CPU time is credited at
        ``cpu_budget`` per second of source time, up to ``cpu_burst_s``, and each
        detector run spends what it took; a run that leaves the credit negative
        delays the next until it is repaid. So a sweep every 10 s does not slow
        the looks around it, and a scene that stays busy gets looks further apart
        than 1/detect_hz (never closer). Files leave it None so that results do
        not depend on the machine."""
        self.zone, self.desk_zone, self.detect_hz, self.smoothing = zone, desk_zone, detect_hz, smoothing
        self.cpu_budget, self.cpu_burst_s = cpu_budget, cpu_burst_s
        self._credit: float = cpu_burst_s
        self._credited_t: float | None = None
        self._finder = finder
        self._tracker: QueueTracker | None = None
        self._next_detect_t: float | None = None
        self._raw = 0

    @property
    def finder(self) -> Finder:
        """The detector, loaded at the first look (``vision.models.ModelMissing`` if set-up did not make it)."""
        if self._finder is None:
            from vision.nanodet import NanoDet  # onnxruntime loads only when a counter looks

            self._finder = NanoDet()
        return self._finder

    def load(self) -> None:
        """Load the detector now rather than at the first look (``ModelMissing`` if set-up did not make it)."""
        self._finder = self.finder

    def set_zone(self, zone: Zone) -> None:
        """Count in another zone from the next frame on; people already followed keep
        their visits (those outside the new zone leave it after the exit hold)."""
        self.zone = zone
        if self._tracker is not None:
            self._tracker.zone = zone

    def due(self, t: float) -> bool:
        """Should the detector look at the frame at source time ``t``?"""
        return self._next_detect_t is None or t >= self._next_detect_t - 1e-6

    def process(self, index: int, t: float, image_bgr: npt.NDArray[np.uint8] | None = None) -> FrameResult:
        """One frame; ``image_bgr`` is needed only when ``due(t)``."""
        if not self.due(t) or image_bgr is None:
            return FrameResult(index, t, self._tracker.count_at(t) if self._tracker else 0, self._raw, False)
        height, width = image_bgr.shape[:2]
        if self._tracker is None:
            self._tracker = QueueTracker(self.zone, (width, height), self.desk_zone, self.smoothing, self.detect_hz)
        # the process's CPU, not this thread's: in the kiosk the screens' CPU counts too,
        # so the counter yields to them
        started = time.process_time()
        people = self.finder.find(image_bgr, t, self._search_region(width, height))
        update = self._tracker.update(t, people)
        interval = 1.0 / self.detect_hz
        if self.cpu_budget:
            interval = max(interval, self._spend(t, time.process_time() - started, self.cpu_budget))
        self._next_detect_t = (self._next_detect_t or t) + interval
        if self._next_detect_t <= t:  # fell behind (a slow live source): restart the schedule
            self._next_detect_t = t + interval
        self._raw = update.raw
        return FrameResult(index, t, update.count, update.raw, True, update.closed)

    def _spend(self, t: float, cpu_s: float, budget: float) -> float:
        """Charge a detector run to the CPU budget; the source time to wait before the
        next run so that the credit is repaid (0 while there is credit)."""
        if self._credited_t is not None:
            self._credit = min(self.cpu_burst_s, self._credit + (t - self._credited_t) * budget)
        self._credited_t = t
        self._credit -= cpu_s
        return max(0.0, -self._credit / budget)

    def _search_region(self, width: int, height: int) -> tuple[int, int, int, int] | None:
        """Where bodies are looked for: the zone's bounds, grown upwards by a body
        height (feet in the zone, head above it) and sideways by a little."""
        if self.zone.whole_frame and self.desk_zone is None:
            return None
        x0, y0, x1, y1 = self.zone.pixel_bounds(width, height)
        if self.desk_zone is not None:
            dx0, dy0, dx1, dy1 = self.desk_zone.pixel_bounds(width, height)
            x0, y0, x1, y1 = min(x0, dx0), min(y0, dy0), max(x1, dx1), max(y1, dy1)
        margin = height // 2
        return (max(0, x0 - margin // 4), max(0, y0 - margin), min(width, x1 + margin // 4), height)

    def run(self, source: FrameSource) -> Iterator[FrameResult]:
        """Every frame of a source, decoding only the frames the detector looks at."""
        while (tick := source.grab()) is not None:
            index, t = tick
            yield self.process(index, t, source.retrieve() if self.due(t) else None)

    def finish(self) -> tuple[list[Visit], list[Visit]]:
        """When the source ends: (visits that close now, their person already lost;
        visits still open, by entry time)."""
        return self._tracker.finish() if self._tracker else ([], [])

    def observation(self, at: float, t: float) -> QueueObservation:
        """What to publish now (``at`` wall clock, ``t`` source time); walk-aways
        are those since the previous observation."""
        tracker = self._tracker
        if tracker is None:
            return QueueObservation(at=at, people=0)
        waits = tracker.open_waits(t)
        recent = [v.duration_s for v in tracker.ledger.recent]
        walkaways, tracker.walkaways = tracker.walkaways, 0
        return QueueObservation(
            at=at,
            people=tracker.count,
            longest_wait_s=round(max(waits), 1) if waits else None,
            mean_recent_wait_s=round(sum(recent) / len(recent), 1) if recent else None,
            walkaways=walkaways,
        )
