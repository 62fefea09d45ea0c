"""Follow the configured camera and publish a queue observation about once a second.

The engine is a callback: the lead wires ``on_observation=engine.observe``.
A camera that cannot be opened, or stops delivering frames, is reported
through ``on_status`` and retried with growing pauses (1, 2, 4 … 60 s); in the
meantime nothing is published and the kiosk runs on ticket data alone. With
``[camera] enabled = false`` no camera or stream is opened at all (a recorded
file given explicitly may still be replayed, e.g. to check a zone).

    watcher = QueueWatcher(cfg.camera, on_observation=engine.observe)
    watcher.start()              # its own thread
    …
    watcher.stop()               # returns once the thread has ended (no inference left running)

The camera is opened here and only here. The kiosk's camera-zone page asks for
a live picture without opening it again, and changes the zone while it runs::

    watcher.preview(show)        # show(frame_bgr) on the watcher's thread, a few times a second
    watcher.stop_preview()       # from now on no frame is handed out
    watcher.set_zone([(0.1, 0.4), (0.9, 0.4), (0.9, 1.0), (0.1, 1.0)])

The preview is in memory only: the watcher keeps no reference to a frame it
has handed out, and hands out none while no preview is asked for.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kiosk.core.model import QueueObservation
from kiosk.errors import UsageError
from vision.capture import CameraUnavailable, FrameSource, Image, backoff_delays, is_live, open_source
from vision.models import ModelMissing
from vision.pipeline import QueueCounter
from vision.zone import Zone

if TYPE_CHECKING:
    from config.schema import CameraConfig

LIVE_CPU_BUDGET = 0.4  # share of one core the detector may use on a live camera (the goal: at most 0.5)
PREVIEW_HZ = 5.0  # enough to aim a camera and see people move; each frame shown costs a decode

FrameCallback = Callable[[Image], None]


class QueueWatcher:
    def __init__(
        self,
        camera: CameraConfig,
        on_observation: Callable[[QueueObservation], None],
        source: str | None = None,
        on_status: Callable[[str], None] = lambda text: None,
        clock: Callable[[], float] = time.time,
        counter_factory: Callable[[Zone], QueueCounter] | None = None,
        replay: bool = False,
    ):
        """``replay``: a recorded file is followed at its own frame rate and over and
        over, as a camera would deliver it (to try the kiosk or a zone on a recording);
        without it a file is counted once, as fast as the machine goes."""
        self.camera = camera
        self.source = source if source is not None else camera.source
        self.on_observation, self.on_status, self.clock = on_observation, on_status, clock
        desk = Zone.of(camera.desk_zone) if camera.desk_zone else None
        self._new_counter = counter_factory or (lambda zone: QueueCounter(zone, desk))
        self.replay = replay
        self.zone = Zone.of(camera.zone)  # the zone asked for last; counting follows at the next frame
        self.available = False
        self.last_observation: QueueObservation | None = None
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._zone_lock = threading.Lock()
        self._zone_changed = False
        self._counter: QueueCounter | None = None
        self._preview_lock = threading.RLock()  # the callback itself may stop the preview
        self._preview: tuple[FrameCallback, float] | None = None
        self._replayed_s = 0.0  # source time of the earlier passes over a replayed file
        self._thread: threading.Thread | None = None

    def start(self) -> threading.Thread:
        """Run :meth:`run` on a thread of its own (``stop`` ends it); a bad source (a missing or
        damaged file) is reported through ``on_status`` and the log, not raised on that thread."""
        self._thread = threading.Thread(target=self._run_reporting, name="frontdesk-camera", daemon=True)
        self._thread.start()
        return self._thread

    def _run_reporting(self) -> None:
        try:
            self.run()
        except UsageError as err:
            logging.getLogger(__name__).error("camera stopped: %s", err)
            self.on_status(f"camera stopped: {err}")

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the capture loop to end; with :meth:`start`, wait (up to ``timeout``) until it has.

        The loop ends after the frame under way: native inference left running into
        interpreter exit would call back into a finalised Python and abort the process.
        """
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    # -- for the camera-zone page (any thread) ------------------------------------------------
    def preview(self, callback: FrameCallback, hz: float = PREVIEW_HZ) -> None:
        """Hand the latest decoded frame (BGR, rows top to bottom) to ``callback``, on the
        watcher's thread, at most ``hz`` times a second, until :meth:`stop_preview`."""
        with self._preview_lock:
            self._preview = (callback, 1.0 / hz)

    def stop_preview(self) -> None:
        """Once this returns, no frame is handed out any more (a call under way has ended)."""
        with self._preview_lock:
            self._preview = None

    @property
    def previewing(self) -> bool:
        return self._preview is not None

    def set_zone(self, corners: Iterable[Iterable[float]]) -> Zone:
        """Count in a new zone from the next frame on. Visits under way go on (people
        outside the new zone leave it after the exit hold). Raises UsageError for a
        corner outside the picture or fewer than three."""
        zone = Zone.of(corners)
        with self._zone_lock:
            self.zone, self._zone_changed = zone, True
        return zone

    @property
    def counting_zone(self) -> Zone | None:
        """The zone the running counter uses (None before the first frame)."""
        counter = self._counter
        return counter.zone if counter is not None else None

    # -- the capture loop (the watcher's own thread) ----------------------------------------------
    def run(self) -> None:
        """Until ``stop()``, or until a file source ends. Never raises for a missing camera;
        raises UsageError for a source that names none, a missing, damaged or cut-short file.

        On a daemon thread it also ends when the interpreter exits: native inference still
        running while Python shuts down aborts the process ("terminate called…")."""
        atexit.register(self._end_at_exit)
        self._ended.clear()
        try:
            self._run()
        finally:
            self._ended.set()
            atexit.unregister(self._end_at_exit)

    def _end_at_exit(self) -> None:
        self._stop.set()
        self._ended.wait(timeout=5.0)

    def _run(self) -> None:
        if not self.camera.enabled and is_live(self.source):
            self.on_status("camera switched off in the config: not opened")
            return
        try:  # the detector loads before the camera opens: counting starts at the first frame
            self._counter_now().load()
        except ModelMissing as err:  # set-up did not make the model: the camera stays off, the kiosk runs on
            logging.getLogger(__name__).error("camera not started: %s", err)
            self.on_status(f"camera not started: {err}")
            return
        delays = backoff_delays()
        while not self._stop.is_set():
            try:
                src = open_source(self.source)
            except CameraUnavailable as err:
                self._unavailable(str(err), next(delays))
                continue
            with src:
                self.available = True
                # on a live camera (or a recording replayed like one) the detector keeps
                # within its CPU share; a file counted once goes in its own time, whatever
                # the machine, so that its results do not depend on the machine
                self._counter_now().cpu_budget = LIVE_CPU_BUDGET if src.info.live or self.replay else None
                self.on_status(f"camera {self.source!r} available")
                delays = backoff_delays()
                finished = self._follow(src)
            if finished:
                return
            if not src.info.live:
                if not self.replay:
                    return
                continue  # the recording again, its time running on
            self._unavailable(f"camera {self.source!r} stopped delivering frames", next(delays))

    def _unavailable(self, why: str, delay: float) -> None:
        self.available = False
        self.on_status(f"unavailable: {why}; retrying in {delay:g} s")
        self._stop.wait(delay)

    def _counter_now(self) -> QueueCounter:
        """The counter for this frame; a zone from ``set_zone`` is handed to it here, on
        the watcher's thread, so that the tracker never sees a zone change mid-frame."""
        with self._zone_lock:
            zone, changed, self._zone_changed = self.zone, self._zone_changed, False
        if self._counter is None:
            self._counter = self._new_counter(zone)
        elif changed:
            self._counter.set_zone(zone)
        return self._counter

    def _follow(self, src: FrameSource) -> bool:
        """Count until the source stops (False) or we are told to stop (True)."""
        next_publish = None
        next_preview = 0.0
        paced = self.replay and not src.info.live
        started = time.monotonic() - self._replayed_s
        t = self._replayed_s
        while not self._stop.is_set():
            tick = src.grab()
            if tick is None:
                if paced:
                    self._replayed_s = t + 1.0 / src.info.fps
                return False
            index, t = tick
            t += self._replayed_s if paced else 0.0
            if paced and self._stop.wait(max(0.0, started + t - time.monotonic())):
                return True
            counter = self._counter_now()
            preview = self._preview
            show = preview is not None and time.monotonic() >= next_preview
            try:
                image = src.retrieve() if show or counter.due(t) else None
                counter.process(index, t, image)
            except CameraUnavailable:
                return False
            if show and preview is not None and image is not None:  # show: both are there
                next_preview = time.monotonic() + preview[1]
                self._hand_out(image)
            if next_publish is None or t >= next_publish:
                next_publish = t + self.camera.publish_every_s
                self.last_observation = counter.observation(self.clock(), t)
                self.on_observation(self.last_observation)
        return True

    def _hand_out(self, image: Image) -> None:
        with self._preview_lock:  # stop_preview waits for this: no frame after it returns
            if self._preview is not None:
                self._preview[0](image)
