"""The motion map that lets the detector skip still tiles, on real footage."""

import numpy as np

from tests.vision.conftest import TUD_STADTMITTE, need
from vision.capture import open_source
from vision.hog import HogCue
from vision.motion import MotionMap
from vision.people import PeopleFinder
from vision.posedet import PoseDetector, Tile


def frames(path, indices):
    out = {}
    with open_source(str(path)) as src:
        while (tick := src.grab()) is not None and len(out) < len(indices):
            if tick[0] in indices:
                out[tick[0]] = np.ascontiguousarray(src.retrieve()[:, :, ::-1])
    return [out[i] for i in indices]


def test_first_look_counts_everything_as_moved():
    motion = MotionMap()
    motion.update(np.zeros((480, 640, 3), np.uint8))
    assert motion.moved(Tile(0, 0, 240, 240))


def test_walkers_move_and_the_same_picture_does_not():
    first, later = frames(need(TUD_STADTMITTE), [0, 10])  # 0.4 s apart, people walking across
    motion = MotionMap()
    motion.update(first)
    motion.update(first)
    tiles = [Tile(x, y, x + 160, y + 160) for y in range(0, 480, 160) for x in range(0, 640, 160)]
    assert not any(motion.moved(tile) for tile in tiles)  # nothing changed: every tile is skipped
    motion.update(later)
    moved = [tile for tile in tiles if motion.moved(tile)]
    # people walked between the two looks, but most of the empty pavement below them stayed still
    assert len(moved) >= 6
    assert sum(tile.y0 == 320 for tile in moved) <= 1


def test_the_whole_body_cue_rests_while_an_empty_scene_stays_still():
    first, later = frames(need(TUD_STADTMITTE), [0, 10])
    pavement = np.ascontiguousarray(first[336:480])  # the empty pavement below the walkers
    walkers = np.ascontiguousarray(later[180:324])  # a strip of the same size across their legs
    cue = HogCue()
    finder = PeopleFinder(PoseDetector(), cue)
    assert finder.find(pavement, t=0.0) == [] and cue.runs == 1  # first look: everything runs
    assert finder.find(pavement, t=0.4) == [] and cue.runs == 1  # still and empty: HOG rests
    finder.find(walkers, t=0.8)
    assert cue.runs == 2  # something moved: HOG looks again
