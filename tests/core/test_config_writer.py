"""The one edit of the branch file: saving the camera's zone, every other byte kept."""

import tomllib

import pytest

from config.writer import write_zone
from kiosk.errors import ConfigError

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
        "[camera]\nenabled = true\nzone = [[0.0, 0.5], [1.0, 0.5], [1.0, 1.0]]\n\n[kiosk]\nfullscreen = true\n"
    )
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
    expected = {"missing": "cannot write the file", "directory": "cannot write the file", "not toml": "not valid TOML"}[
        case
    ]
    assert expected in str(err.value)
    assert sorted((p.name, p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*")) == before
