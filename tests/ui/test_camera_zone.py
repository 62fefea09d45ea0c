"""The manager's Camera zone page: the kiosk's own capture, a corner dragged, Save.

The window test runs the real ``frontdesk kiosk`` command in its own process
(tests/ui/camera_zone_driver.py) on a branch file whose camera is a real clip
from ../shared/footage, and proves that the zone reaches the running counter
and the file (nothing else in the file changes) while no picture is written
anywhere. The page's presenter is tested here without a window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import load_config
from config.loader import DEFAULT_CONFIG_PATH
from config.schema import CameraConfig
from kiosk.ui.camera_zone import CameraZonePage
from tests.conftest import REPO, SHARED
from vision.models import model_dir
from vision.watch import QueueWatcher
from vision.zone import Zone

CLIP = SHARED / "footage" / "facing_camera" / "head-pose-face-detection-female-and-male.gif"
DRIVER = Path(__file__).with_name("camera_zone_driver.py")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".ppm"}
CAMERA_OFF = 'enabled = false               # when false nothing opens a camera\nsource = "0"  '


def branch_file(folder: Path, source: str) -> tuple[Path, str]:
    """The example branch with its camera switched on and pointed at ``source``."""
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    assert CAMERA_OFF in text, "the example's [camera] lines changed: update this test"
    text = text.replace(
        CAMERA_OFF, f'enabled = true                # when false nothing opens a camera\nsource = "{source}"  '
    )
    path = folder / "branch.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


def files_under(*roots: Path) -> dict[str, tuple[int, int]]:
    seen = {}
    for root in roots:
        for p in root.rglob("*"):
            if p.is_file():
                st = p.stat()
                seen[str(p)] = (st.st_size, st.st_mtime_ns)
    return seen


@pytest.mark.gui
@pytest.mark.skipif(not CLIP.exists(), reason=f"footage not found at {CLIP} (../shared/footage)")
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display: run under xvfb-run (make test does)")
def test_the_page_moves_the_zone_of_the_running_counter_and_the_file_and_writes_no_picture(tmp_path):
    roots = {name: tmp_path / name for name in ("cwd", "home", "tmp", "branch")}
    for root in roots.values():
        root.mkdir()
    config, before = branch_file(roots["branch"], str(CLIP))
    db_url = f"sqlite:///{roots['branch'] / 'frontdesk.sqlite3'}"
    env = dict(
        os.environ,
        HOME=str(roots["home"]),
        TMPDIR=str(roots["tmp"]),
        SDL_AUDIODRIVER="dummy",
        PYTHONPATH=str(REPO),
        FRONTDESK_CONFIG="",
        XDG_CACHE_HOME=str(model_dir().parents[1]),
    )  # the camera's model, where set-up put it
    listed = files_under(*roots.values())
    proc = subprocess.run(
        [sys.executable, str(DRIVER), str(config), db_url],
        cwd=roots["cwd"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    shown = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "failure" not in shown, shown

    # the manager's screen of the kiosk offers the page; it shows the clip's own frames and the count
    assert shown["button"] == {"text": "Камерын бүс", "opacity": 1, "disabled": False}
    assert shown["texture"] == [480, 270]
    assert shown["live"].startswith("Камер: дараалалд ")
    # the first corner went where the finger let go of it, and the running counter counts in that zone
    x, y = shown["corners"][0]
    assert abs(x - 0.3) < 0.02 and abs(y - 0.6) < 0.02
    assert shown["corners"][1:] == [[0.95, 0.35], [0.95, 1.0], [0.05, 1.0]]
    assert shown["counting_zone"] == shown["corners"]
    assert shown["message"] == "Хадгалсан: тоолуур одоо шинэ бүсийг ашиглаж байна."
    # the file: the zone line and nothing else
    after = config.read_text(encoding="utf-8")
    old_line = "zone = [[0.05, 0.35], [0.95, 0.35], [0.95, 1.0], [0.05, 1.0]]"
    new_line = "zone = [" + ", ".join(f"[{cx!r}, {cy!r}]" for cx, cy in shown["corners"]) + "]"
    assert before.count(old_line) == 1 and after == before.replace(old_line, new_line)
    assert load_config(config).camera.zone == [tuple(c) for c in shown["corners"]]
    # while the page was open only the branch file was written (through its temporary twin)
    assert shown["writes"] == [str(config), str(config.with_name(".branch.toml.zone-tmp"))]
    # leaving the page stops the preview and drops the picture
    assert shown["previewing_open"] and not shown["previewing_after"] and not shown["texture_after"]
    assert shown["idle_closed"]  # and so does leaving it alone
    # no picture anywhere: not where it ran, not in its home or temp, not beside the config
    now = files_under(*roots.values())
    new_or_changed = [p for p in now if listed.get(p) != now[p]]
    kivy_icons = roots["home"] / ".kivy" / "icon"  # Kivy copies its own window icons there
    images = [
        p for p in new_or_changed if Path(p).suffix.lower() in IMAGE_SUFFIXES and kivy_icons not in Path(p).parents
    ]
    assert images == []
    assert list(roots["cwd"].iterdir()) == [] and list(roots["tmp"].iterdir()) == []
    # and the page fits in every staff language at this size
    assert shown["problems"] == []


def watcher(zone=((0.05, 0.35), (0.95, 0.35), (0.95, 1.0), (0.05, 1.0))) -> QueueWatcher:
    """A real watcher that is never run here (its camera does not exist): the page only
    needs its zone, its last observation and set_zone."""
    return QueueWatcher(CameraConfig(enabled=True, source="97", zone=list(zone)), lambda obs: None)


def test_save_applies_the_zone_and_writes_the_file(tmp_path, tr):
    config, before = branch_file(tmp_path, "0")
    w = watcher()
    page = CameraZonePage(w, config, tr, "en")
    page.open()
    assert page.editor.press(0.95, 0.35)
    page.editor.drag(0.8, 0.3)
    page.editor.release()
    page.save()
    assert w.zone == Zone(((0.05, 0.35), (0.8, 0.3), (0.95, 1.0), (0.05, 1.0)))
    assert page.message == "Saved: the counter uses the new zone now." and not page.failed
    assert load_config(config).camera.zone == [(0.05, 0.35), (0.8, 0.3), (0.95, 1.0), (0.05, 1.0)]
    assert config.read_text(encoding="utf-8").replace("[0.8, 0.3]", "[0.95, 0.35]") == before
    page.lang = "ru"  # the message follows the language of the staff screens
    assert page.message == "Сохранено: счётчик уже использует новую зону."
    page.editor.press(0.05, 1.0)
    page.editor.drag(0.1, 0.9)
    page.zone_moved()
    assert page.message == ""


def test_a_file_that_cannot_be_written_leaves_the_zone_applied_in_memory(tmp_path, tr):
    w = watcher()
    blocked = tmp_path / "branch.toml"
    blocked.mkdir()  # not a file: nothing can be written there, even by root
    page = CameraZonePage(w, blocked, tr, "en")
    page.editor.press(0.05, 0.35)
    page.editor.drag(0.2, 0.5)
    page.save()
    assert page.failed
    assert page.message == (f"Applied now, but {blocked} cannot be written: the zone is lost when the kiosk restarts.")
    assert w.zone.corners[0] == (0.2, 0.5)
    assert list(tmp_path.iterdir()) == [blocked] and list(blocked.iterdir()) == []


def test_the_example_settings_are_never_written(tmp_path, tr):
    before = DEFAULT_CONFIG_PATH.read_bytes()
    w = watcher()
    page = CameraZonePage(w, None, tr, "mn")
    page.editor.press(0.05, 0.35)
    page.editor.drag(0.2, 0.5)
    page.save()
    assert page.failed and page.message == tr.gettext(
        "mn", ("Applied now. This kiosk runs on the example settings, so the zone is lost when it restarts.")
    )
    assert w.zone.corners[0] == (0.2, 0.5)
    assert DEFAULT_CONFIG_PATH.read_bytes() == before


def test_back_forgets_a_zone_not_saved(tr):
    w = watcher()
    page = CameraZonePage(w, None, tr, "en")
    page.editor.press(0.05, 0.35)
    page.editor.drag(0.5, 0.5)
    page.open()  # what opening the page again does after a Back
    assert page.editor.corners == [(0.05, 0.35), (0.95, 0.35), (0.95, 1.0), (0.05, 1.0)]
    assert w.zone.corners[0] == (0.05, 0.35)


def test_the_kiosk_writes_only_a_branch_file_of_its_own(tmp_path, monkeypatch):
    from kiosk.cli_ui import writable_config

    config, _ = branch_file(tmp_path, "0")
    assert writable_config(str(config)) == config.resolve()
    monkeypatch.setenv("FRONTDESK_CONFIG", str(config))
    assert writable_config(None) == config.resolve()
    assert writable_config(str(DEFAULT_CONFIG_PATH)) is None
