"""`frontdesk vision watch` feeds the engine: its counts land in the log other processes read."""

import sqlite3

import pytest

from kiosk.cli import main
from tests.conftest import SHARED
from tests.vision.conftest import need_model

CLIP = SHARED / "footage" / "facing_camera" / "face-demographics-walking.gif"


@pytest.mark.skipif(not CLIP.exists(), reason=f"footage not found at {CLIP} (../shared/footage)")
def test_watch_logs_each_observation_through_the_engine(tmp_path, capsys):
    db = tmp_path / "watch.sqlite3"
    need_model()
    assert main(["vision", "watch", "--source", str(CLIP), "--db", str(db)]) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT people, walkaways FROM queue_observation ORDER BY at").fetchall()
    assert len(rows) == len(printed) >= 2
    assert max(people for people, _ in rows) >= 1  # two people walk towards the camera
