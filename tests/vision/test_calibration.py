"""The calibration window: the live picture, the zone over it, a corner dragged by touch."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED
from vision.zone_editor import ZoneEditor

CLIP = SHARED / "footage" / "facing_camera" / "head-pose-face-detection-female-and-male.gif"
DRIVER = Path(__file__).with_name("calibrate_driver.py")


def test_a_corner_is_taken_only_within_reach_and_stays_in_the_picture():
    editor = ZoneEditor([(0.1, 0.4), (0.9, 0.4), (0.9, 1.0)])
    assert not editor.press(0.5, 0.7)  # the middle of the zone holds no corner
    assert editor.press(0.88, 0.98)
    editor.drag(1.4, -0.2)
    editor.release()
    editor.drag(0.5, 0.5)  # nothing held any more
    assert editor.corners == [(0.1, 0.4), (0.9, 0.4), (1.0, 0.0)]
    assert editor.toml() == "zone = [[0.1, 0.4], [0.9, 0.4], [1.0, 0.0]]"


@pytest.mark.slow
@pytest.mark.skipif(not CLIP.exists(), reason=f"footage not found at {CLIP} (../shared/footage)")
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display: run under xvfb-run (make test does)")
def test_the_view_shows_the_picture_and_a_drag_moves_the_corner(tmp_path):
    workdir, home = tmp_path / "cwd", tmp_path / "home"
    workdir.mkdir()
    home.mkdir()
    env = dict(os.environ, HOME=str(home), SDL_AUDIODRIVER="dummy", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.run(
        [sys.executable, str(DRIVER), str(CLIP)], cwd=workdir, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    shown = json.loads(proc.stdout.strip().splitlines()[-1])
    assert shown["texture"] == [480, 270]  # the clip's own frames, drawn as they are
    x, y = shown["corners"][0]
    assert abs(x - 0.3) < 0.02 and abs(y - 0.6) < 0.02
    assert shown["corners"][1:] == [[0.9, 0.4], [0.9, 1.0], [0.1, 1.0]]
    assert shown["line"].startswith("zone = [[0.3")
    assert list(workdir.iterdir()) == []  # no frame was written where it ran
    kivy_icons = home / ".kivy" / "icon"  # Kivy copies its own window icons there
    images = [
        p
        for p in home.rglob("*")
        if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".bmp", ".gif"} and kivy_icons not in p.parents
    ]
    assert images == []
    shutil.rmtree(tmp_path, ignore_errors=True)
