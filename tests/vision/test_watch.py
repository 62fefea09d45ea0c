"""The watcher: observations about once a second, a missing camera reported and retried."""

from config.schema import CameraConfig
from kiosk.core.model import QueueObservation
from tests.vision.conftest import WALKING_GIF, need
from vision.watch import QueueWatcher


def test_observations_about_once_a_second_of_source_time():
    gif = need(WALKING_GIF)
    observations: list[QueueObservation] = []
    camera = CameraConfig(enabled=True, source=str(gif), publish_every_s=1.0)
    QueueWatcher(camera, observations.append, clock=lambda: 1234.0).run()
    # 35 frames at 12 fps: 2.9 s of source, one observation at 0, 1 and 2 s
    assert len(observations) == 3
    assert all(isinstance(o, QueueObservation) and o.at == 1234.0 for o in observations)
    assert all(0 <= o.people <= 4 and o.walkaways == 0 for o in observations)
    assert observations[-1].people >= 1
    assert observations[-1].longest_wait_s is not None and 0 < observations[-1].longest_wait_s <= 2.9


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
