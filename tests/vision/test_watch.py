"""The watcher: observations about once a second, a missing camera reported and retried;
the preview and the zone change that the kiosk's Camera zone page uses."""

import threading
import time

import pytest

from config.schema import CameraConfig
from kiosk.core.model import QueueObservation
from kiosk.errors import UsageError
from tests.vision.conftest import WALKING_GIF, need_counting
from vision.watch import QueueWatcher
from vision.zone import Zone


def test_observations_about_once_a_second_of_source_time():
    gif = need_counting(WALKING_GIF)
    observations: list[QueueObservation] = []
    camera = CameraConfig(enabled=True, source=str(gif), publish_every_s=1.0)
    QueueWatcher(camera, observations.append, clock=lambda: 1234.0).run()
    # 35 frames at 12 fps: 2.9 s of source, one observation at 0, 1 and 2 s
    assert len(observations) == 3
    assert all(isinstance(o, QueueObservation) and o.at == 1234.0 for o in observations)
    assert all(0 <= o.people <= 4 and o.walkaways == 0 for o in observations)
    assert observations[-1].people >= 1
    assert observations[-1].longest_wait_s is not None and 0 < observations[-1].longest_wait_s <= 2.9


@pytest.mark.slow
def test_unavailable_camera_is_reported_and_retried():
    statuses: list[str] = []
    camera = CameraConfig(enabled=True, source="97")  # no such video device
    watcher = None

    def status(text: str) -> None:
        statuses.append(text)
        if len(statuses) == 2:
            watcher.stop()

    watcher = QueueWatcher(camera, lambda obs: None, on_status=status)
    watcher.run()
    assert len(statuses) == 2 and all("unavailable" in s for s in statuses)
    assert "retrying in 1 s" in statuses[0] and "retrying in 2 s" in statuses[1]
    assert not watcher.available


def _running(watcher: QueueWatcher) -> threading.Thread:
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    return thread


def _wait(condition, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


@pytest.mark.slow
def test_preview_hands_out_frames_only_while_asked_and_at_its_rate():
    gif = need_counting(WALKING_GIF)
    watcher = QueueWatcher(CameraConfig(enabled=True, source=str(gif)), lambda obs: None, replay=True)
    seen: list[tuple[float, tuple, str]] = []

    def show(frame) -> None:  # on the watcher's thread
        seen.append((time.monotonic(), frame.shape, str(frame.dtype)))
        if len(seen) == 4:
            watcher.stop_preview()  # from inside the callback too

    thread = _running(watcher)
    try:
        time.sleep(0.5)
        assert seen == []  # nothing is handed out unasked
        watcher.preview(show, hz=4.0)
        assert watcher.previewing
        _wait(lambda: len(seen) == 4)
        time.sleep(0.8)  # frames keep coming from the clip, none to us
        assert len(seen) == 4 and not watcher.previewing
        assert all(shape == (270, 480, 3) and dtype == "uint8" for _t, shape, dtype in seen)
        gaps = [b[0] - a[0] for a, b in zip(seen, seen[1:])]
        assert min(gaps) >= 0.25 - 0.02  # at most 4 a second
    finally:
        watcher.stop()
        thread.join(5)
    assert not thread.is_alive()


def test_stop_preview_waits_for_a_frame_being_handed_out():
    gif = need_counting(WALKING_GIF)
    watcher = QueueWatcher(CameraConfig(enabled=True, source=str(gif)), lambda obs: None, replay=True)
    inside, after_stop = threading.Event(), []

    def slow_show(frame) -> None:
        inside.set()
        time.sleep(0.3)
        after_stop.append(stopped.is_set())

    stopped = threading.Event()
    thread = _running(watcher)
    try:
        watcher.preview(slow_show)
        assert inside.wait(10)
        watcher.stop_preview()  # returns only once the call under way has ended
        stopped.set()
        calls = len(after_stop)
        time.sleep(0.5)
        assert calls >= 1 and len(after_stop) == calls and not any(after_stop)
    finally:
        watcher.stop()
        thread.join(5)


@pytest.mark.slow
def test_a_new_zone_reaches_the_running_counter_from_another_thread():
    gif = need_counting(WALKING_GIF)
    observations: list[QueueObservation] = []
    camera = CameraConfig(enabled=True, source=str(gif), publish_every_s=0.5)
    watcher = QueueWatcher(camera, observations.append, replay=True)
    thread = _running(watcher)
    try:
        _wait(lambda: any(o.people >= 1 for o in observations))  # people walk in the whole-frame zone
        empty_corner = [(0.0, 0.0), (0.05, 0.0), (0.05, 0.05)]  # nobody's feet are ever up there
        watcher.set_zone(empty_corner)
        _wait(lambda: watcher.counting_zone == Zone.of(empty_corner))
        since = len(observations)
        _wait(lambda: len(observations) >= since + 6)  # the clip replays past its end meanwhile
        # those counted leave the new zone after the exit hold (1.2 s), and nobody comes in
        assert [o.people for o in observations[-3:]] == [0, 0, 0]
    finally:
        watcher.stop()
        thread.join(5)
    with pytest.raises(UsageError):
        watcher.set_zone([(0.1, 0.1), (1.2, 0.1), (0.5, 0.9)])
    assert watcher.zone == Zone.of(empty_corner)
