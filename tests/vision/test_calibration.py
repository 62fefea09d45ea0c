"""The calibration window: the live picture, the zone over it, a corner dragged by touch;
and the one edit of the branch file that saves a zone."""

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.errors import ConfigError
from tests.conftest import SHARED
from vision.zone_editor import ZoneEditor, write_zone

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


@pytest.mark.skipif(not CLIP.exists(), reason=f"footage not found at {CLIP} (../shared/footage)")
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display: run under xvfb-run (make test does)")
def test_the_view_shows_the_picture_and_a_drag_moves_the_corner(tmp_path):
    workdir, home = tmp_path / "cwd", tmp_path / "home"
    workdir.mkdir()
    home.mkdir()
    env = dict(os.environ, HOME=str(home), SDL_AUDIODRIVER="dummy",
               PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.run([sys.executable, str(DRIVER), str(CLIP)], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    shown = json.loads(proc.stdout.strip().splitlines()[-1])
    assert shown["texture"] == [480, 270]  # the clip's own frames, drawn as they are
    x, y = shown["corners"][0]
    assert abs(x - 0.3) < 0.02 and abs(y - 0.6) < 0.02
    assert shown["corners"][1:] == [[0.9, 0.4], [0.9, 1.0], [0.1, 1.0]]
    assert shown["line"].startswith("zone = [[0.3")
    assert list(workdir.iterdir()) == []  # no frame was written where it ran
    kivy_icons = home / ".kivy" / "icon"  # Kivy copies its own window icons there
    images = [p for p in home.rglob("*") if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".bmp", ".gif"}
              and kivy_icons not in p.parents]
    assert images == []
    shutil.rmtree(tmp_path, ignore_errors=True)


BRANCH = """# the branch file, as an installer left it
[branch]
name = "Square"   # shown on the kiosk

[camera]
enabled = true
source = "rtsp://192.0.2.1/stream"   # the desk camera
zone = [[0.05, 0.35], [0.95, 0.35],
        [0.95, 1.0], [0.05, 1.0]]   # drawn on the floor by hand
publish_every_s = 1.0

[kiosk]
fullscreen = true
"""


def test_writing_the_zone_changes_that_line_only(tmp_path):
    path = tmp_path / "branch.toml"
    path.write_text(BRANCH, encoding="utf-8")
    path.chmod(0o640)
    write_zone(path, [(0.1, 0.4), (0.9, 0.4), (0.9, 1.0)])
    old = "zone = [[0.05, 0.35], [0.95, 0.35],\n        [0.95, 1.0], [0.05, 1.0]]"
    assert path.read_text(encoding="utf-8") == BRANCH.replace(old, "zone = [[0.1, 0.4], [0.9, 0.4], [0.9, 1.0]]")
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["branch.toml"]  # no temporary file left


def test_writing_the_zone_into_a_file_without_one(tmp_path):
    path = tmp_path / "branch.toml"
    path.write_text("[camera]\nenabled = true\n\n[kiosk]\nfullscreen = true\n", encoding="utf-8")
    write_zone(path, [(0.0, 0.5), (1.0, 0.5), (1.0, 1.0)])
    assert path.read_text(encoding="utf-8") == (
        "[camera]\nenabled = true\nzone = [[0.0, 0.5], [1.0, 0.5], [1.0, 1.0]]\n\n[kiosk]\nfullscreen = true\n")
    path.write_text("[kiosk]\nfullscreen = true\n", encoding="utf-8")
    write_zone(path, [(0.0, 0.5), (1.0, 0.5), (1.0, 1.0)])
    assert tomllib.loads(path.read_text(encoding="utf-8"))["camera"]["zone"] == [[0.0, 0.5], [1.0, 0.5], [1.0, 1.0]]


@pytest.mark.parametrize("case", ["missing", "directory", "not toml"])
def test_a_file_that_cannot_take_the_zone_is_a_clear_error_and_stays_as_it_was(tmp_path, case):
    path = tmp_path / "branch.toml"
    if case == "directory":
        path.mkdir()
    elif case == "not toml":
        path.write_text("[camera\nzone = ", encoding="utf-8")
    before = sorted((p.name, p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*"))
    with pytest.raises(ConfigError) as err:
        write_zone(path, [(0.1, 0.4), (0.9, 0.4), (0.9, 1.0)])
    assert str(err.value).startswith(f"{path}: ")
    expected = {"missing": "cannot write the file", "directory": "cannot write the file",
                "not toml": "not valid TOML"}[case]
    assert expected in str(err.value)
    assert sorted((p.name, p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*")) == before
