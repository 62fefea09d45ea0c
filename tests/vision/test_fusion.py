"""Fusing the whole-body cue with the tiles' people, and the scale HOG is run at."""

import numpy as np
import pytest

from tests.vision.conftest import TUD_STADTMITTE, need
from vision.capture import open_source
from vision.hog import HogCue, HogFinder
from vision.people import Person, fuse


def at(x, y=400.0, radius=80.0, score=0.9):
    return Person(x=x, y=y, radius=radius, score=score)


def test_a_cue_person_covered_by_a_tile_person_is_the_same_person():
    tiles = [at(100.0), at(400.0)]
    fused = fuse(tiles, [at(105.0, 405.0, 75.0, 1.2)])
    assert fused == tiles


def test_cue_people_nobody_covers_are_added():
    tiles = [at(100.0)]
    extra = at(300.0, score=0.7)
    assert fuse(tiles, [extra]) == [tiles[0], extra]
    assert fuse([], [extra]) == [extra]


def test_two_neighbours_each_found_once_stay_two():
    # one tile person between two cue people that both overlap it: it absorbs one, the other is added
    tiles = [at(200.0)]
    left, right = at(180.0, score=1.5), at(222.0, score=0.8)
    fused = fuse(tiles, [left, right])
    assert len(fused) == 2 and right in fused and left not in fused


def test_hog_is_shrunk_to_the_scene_and_skipped_for_people_too_small_for_it():
    assert HogCue.shrink_for(None) == 1.0  # scale unknown: full resolution
    assert HogCue.shrink_for(102.0) == pytest.approx(0.5)  # 204-pixel people fill the window at half size
    assert HogCue.shrink_for(1000.0) == 0.25  # never below a quarter
    assert HogCue.shrink_for(30.0) is None  # 60-pixel people: HOG would need an enlarged frame


def test_the_cue_finds_side_views_on_real_footage_at_a_fraction_of_the_cost():
    path = need(TUD_STADTMITTE)
    with open_source(str(path)) as src:
        src.grab()
        rgb = np.ascontiguousarray(src.retrieve()[:, :, ::-1])
    full = HogFinder().find(rgb)
    assert len(full) >= 4  # seven people walk in this frame, mostly side-on
    smallest = float(np.median([p.radius for p in full]))
    assert HogCue.shrink_for(smallest) < 0.8  # under two thirds of the pixels
    shrunk = HogCue().find(rgb, None, smallest_radius=smallest)
    # shrunk so that people of that size just fill the window, HOG still finds them, in the same places
    big = [p for p in full if p.radius >= smallest]
    assert len(shrunk) >= len(big) - 1
    for p in shrunk:
        assert min(abs(p.x - q.x) for q in full) < 0.5 * p.radius
