"""Sources: GIF through OpenCV, folders of images, clear errors."""

import cv2
import numpy as np
import pytest

from kiosk.errors import UsageError
from tests.vision.conftest import WALKING_GIF, need
from vision.capture import CameraUnavailable, backoff_delays, open_source


def test_gif_decodes_with_its_own_frame_rate():
    with open_source(str(need(WALKING_GIF))) as src:
        ticks = []
        while (tick := src.grab()) is not None:
            ticks.append(tick)
        assert src.info.width == 480 and src.info.height == 270
    assert len(ticks) == 35
    assert ticks[0] == (0, 0.0) and abs(ticks[12][1] - 12 / 12.083) < 0.01


def test_folder_of_images(tmp_path):
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"{i:03d}.png"), np.full((40, 60, 3), 40 * i, np.uint8))
    (tmp_path / "notes.txt").write_text("ignored")
    with open_source(str(tmp_path)) as src:
        frames = []
        while (tick := src.grab()) is not None:
            frames.append((tick, int(src.retrieve().mean())))
    assert frames == [((0, 0.0), 0), ((1, 1.0), 40), ((2, 2.0), 80)]


def test_empty_folder_and_missing_file(tmp_path):
    with pytest.raises(UsageError, match="no images"):
        open_source(str(tmp_path))
    with pytest.raises(UsageError, match="no such file"):
        open_source(str(tmp_path / "missing.mp4"))


def test_missing_camera_is_unavailable():
    with pytest.raises(CameraUnavailable, match="unavailable"):
        open_source("97")


def test_backoff_doubles_up_to_a_minute():
    delays = backoff_delays()
    assert [next(delays) for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
