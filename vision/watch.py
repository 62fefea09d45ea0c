"""Follow the configured camera and publish a queue observation about once a second.

The engine is a callback: the lead wires ``on_observation=engine.observe``.
A camera that cannot be opened, or stops delivering frames, is reported
through ``on_status`` and retried with growing pauses (1, 2, 4 … 60 s); in the
meantime nothing is published and the kiosk runs on ticket data alone. With
``[camera] enabled = false`` no camera or stream is opened at all (a recorded
file given explicitly may still be replayed, e.g. to check a zone).

    watcher = QueueWatcher(cfg.camera, on_observation=engine.observe)
    threading.Thread(target=watcher.run, daemon=True).start()
    …
    watcher.stop()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from kiosk.core.model import QueueObservation
from vision.capture import CameraUnavailable, backoff_delays, is_live, open_source
from vision.pipeline import QueueCounter
from vision.zone import Zone


LIVE_CPU_BUDGET = 0.4  # share of one core the detector may use on a live camera (the goal: at most 0.5)


class QueueWatcher:
    def __init__(
        self,
        camera,  # config.schema.CameraConfig
        on_observation: Callable[[QueueObservation], None],
        source: str | None = None,
        on_status: Callable[[str], None] = lambda text: None,
        clock: Callable[[], float] = time.time,
        counter_factory: Callable[[], QueueCounter] | None = None,
    ):
        self.camera = camera
        self.source = source if source is not None else camera.source
        self.on_observation, self.on_status, self.clock = on_observation, on_status, clock
        zone, desk = Zone.of(camera.zone), (Zone.of(camera.desk_zone) if camera.desk_zone else None)
        self._new_counter = counter_factory or (lambda: QueueCounter(zone, desk))
        self._stop = threading.Event()
        self.available = False

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Until ``stop()``, or until a file source ends. Never raises for a missing camera."""
        if not self.camera.enabled and is_live(self.source):
            self.on_status("camera switched off in the config: not opened")
            return
        delays = backoff_delays()
        counter = self._new_counter()
        while not self._stop.is_set():
            try:
                src = open_source(self.source)
            except CameraUnavailable as err:
                self._unavailable(str(err), next(delays))
                continue
            with src:
                self.available = True
                # on a live camera the detector keeps within its CPU share; a file is
                # followed in its own time, whatever the machine
                counter.cpu_budget = LIVE_CPU_BUDGET if src.info.live else None
                self.on_status(f"camera {self.source!r} available")
                delays = backoff_delays()
                finished = self._follow(src, counter)
            if finished or not src.info.live:
                return
            self._unavailable(f"camera {self.source!r} stopped delivering frames", next(delays))

    def _unavailable(self, why: str, delay: float) -> None:
        self.available = False
        self.on_status(f"unavailable: {why}; retrying in {delay:g} s")
        self._stop.wait(delay)

    def _follow(self, src, counter: QueueCounter) -> bool:
        """Count until the source stops (False) or we are told to stop (True)."""
        next_publish = None
        while not self._stop.is_set():
            tick = src.grab()
            if tick is None:
                return False
            index, t = tick
            try:
                counter.process(index, t, src.retrieve() if counter.due(t) else None)
            except CameraUnavailable:
                return False
            if next_publish is None or t >= next_publish:
                next_publish = t + self.camera.publish_every_s
                self.on_observation(counter.observation(self.clock(), t))
        return True
