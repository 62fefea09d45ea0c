"""The NanoDet detector: letterbox geometry, decoding of the GFL head, and real frames."""

import numpy as np
import pytest

from tests.vision.conftest import FOOTAGE, need, need_model
from vision.capture import open_source
from vision.nanodet import BINS, INPUT, MEAN_BGR, STD_BGR, Letterbox, NanoDet, decode, letterbox, suppress

CORRIDOR = FOOTAGE / "kiosk_corridor"


def test_letterbox_keeps_the_shape_and_pads_with_black_to_a_multiple_of_32():
    frame = np.full((1080, 1920, 3), 255, np.uint8)
    tensor, box = letterbox(frame, None)
    # 1080 * 416 / 1920 = 234 rows of picture, then padding to 320 (not to the square)
    assert tensor.shape == (1, 3, 320, INPUT) and (box.width, box.height) == (INPUT, 320)
    assert box.scale == pytest.approx(INPUT / 1920)
    white = (255 - MEAN_BGR) / STD_BGR
    black = -MEAN_BGR / STD_BGR
    assert np.allclose(tensor[0, :, 0, 0], white) and np.allclose(tensor[0, :, 233, 415], white)
    assert np.allclose(tensor[0, :, 234, 0], black) and np.allclose(tensor[0, :, -1, -1], black)
    tall, region = letterbox(frame, (100, 50, 308, 466))  # a 208x416 region fills the input's height
    assert (region.x0, region.y0, region.scale) == (100, 50, 1.0)
    assert tall.shape == (1, 3, INPUT, 288) and np.allclose(tall[0, :, 0, 207], white)
    assert np.allclose(tall[0, :, 0, 208], black)


def _head(
    cell: int, stride: int, score: float, sides: tuple[int, int, int, int], height: int = INPUT
) -> list[np.ndarray]:
    """Head outputs for an INPUT-wide input with one scored cell whose distance bins put all
    weight on ``sides``."""
    out = []
    for s in (8, 16, 32):
        n = (INPUT // s) * (height // s)
        scores = np.zeros((1, n, 80), np.float32)
        bins = np.full((1, n, 4 * BINS), -20.0, np.float32)
        if s == stride:
            scores[0, cell, 0] = score
            scores[0, cell, 5] = 0.99  # a bus in the same cell: not a person
            for side, d in enumerate(sides):
                bins[0, cell, side * BINS + d] = 20.0
        out += [scores, bins]
    return out


def test_decode_turns_distance_bins_into_a_box_around_the_cell():
    cells = INPUT // 16
    cell = 10 * cells + 7  # row 10, column 7 of the stride-16 level: centre (120, 168)
    boxes, scores = decode(_head(cell, 16, 0.8, (2, 3, 4, 10)))
    assert scores.tolist() == pytest.approx([0.8])
    assert boxes[0].tolist() == pytest.approx([120 - 32, 168 - 48, 120 + 64, 168 + 160], abs=1e-3)
    none, _ = decode(_head(cell, 16, 0.1, (2, 3, 4, 10)))  # below the weakest score kept
    assert len(none) == 0
    # a wide input (416x256): cells still run row by row over the input's 26 columns
    wide, _ = decode(_head(cell, 16, 0.8, (2, 3, 4, 10), height=256), Letterbox(0, 0, 1.0, INPUT, 256))
    assert wide[0].tolist() == pytest.approx([120 - 32, 168 - 48, 120 + 64, 168 + 160], abs=1e-3)


def test_suppression_keeps_the_best_of_overlapping_boxes():
    boxes = np.array([[0, 0, 100, 200], [5, 5, 105, 205], [300, 0, 400, 200]], np.float32)
    assert sorted(suppress(boxes, np.array([0.6, 0.9, 0.5], np.float32))) == [1, 2]


def _frame(video, index):
    with open_source(str(video)) as src:
        for _ in range(index):
            src.grab()
        src.grab()
        return src.retrieve()


@pytest.fixture(scope="module")
def detector():
    return NanoDet(need_model())


def test_an_empty_corridor_has_nobody_sure(detector):
    frame = _frame(need(CORRIDOR / "two_people_walking.mp4"), 5)  # frame 6: posters, doors, nobody
    assert [p for p in detector.find(frame) if p.score >= 0.35] == []


def test_the_person_close_in_front_and_the_one_walking_behind_are_found(detector):
    frame = _frame(need(CORRIDOR / "gesturing_and_walking.mp4"), 60)  # frame 61: both in view
    sure = sorted((p for p in detector.find(frame) if p.score >= 0.35), key=lambda p: p.x)
    assert len(sure) == 2
    close, walking = sure
    assert close.x < 700 and close.y > 1000  # cut by the frame's bottom edge
    assert walking.x > 1000 and walking.radius < close.radius
