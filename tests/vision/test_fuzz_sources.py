"""Bad camera sources fuzzed with hypothesis: `vision count|dwell|watch` answer each with one line
that names the source and exit 2, never a traceback, and `watch` changes nothing recorded.

Malformed input is exit 2: random and truncated bytes, a file that opens but yields no frame or
ends mid-clip, an empty file, a folder without images, a missing path, a URL that cannot be one
(unknown scheme, no host, ``http://[::1``, spaces, NULs, huge strings), a name that is not UTF-8,
a bad ``--zone``. A well-formed address of a camera that is not there is exit 5 (plug it in).
The clips are made here with cv2.VideoWriter (no footage is copied). The commands run in this
process (``kiosk.cli.main``): an exception that is not a FrontdeskError fails the test as the
traceback a user would see, and a crash in OpenCV would take the test run with it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sqlite3
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.errors import FrontdeskError, shown
from tests.cli_run import assert_one_line, run
from tests.vision.conftest import need_model
from vision.capture import open_source  # first: it quiets FFmpeg before the clips are written

SETTINGS = settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
FRAMES = 8  # 0.8 s at 10 fps: two looks of the detector where a cut clip still decodes
MKV_CLUSTER = b"\x1f\x43\xb6\x75"  # Matroska's Cluster element: the frames begin here


def make_clip(path: Path, frames: int = FRAMES) -> bytes:
    """A small MJPEG clip through FFmpeg (gradients: a few kB a frame)."""
    writer = cv2.VideoWriter(str(path), cv2.CAP_FFMPEG, cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    assert writer.isOpened()
    ramp = np.tile(np.arange(64, dtype=np.uint8) * 4, (48, 1))
    for i in range(frames):
        writer.write(np.dstack([ramp, np.roll(ramp, 8 * i, axis=1), ramp[::-1]]))
    writer.release()
    return path.read_bytes()


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("clips")
    return {suffix: make_clip(folder / f"clip{suffix}") for suffix in (".avi", ".mkv")}


def mangled_clip(clip: bytes) -> st.SearchStrategy[bytes]:
    """The clip made bad as files are: random bytes, cut anywhere, bytes overwritten, text, empty."""

    def overwrite(at: int, junk: bytes) -> bytes:
        return clip[:at] + junk + clip[at + len(junk) :]

    return st.one_of(
        st.binary(max_size=400),
        st.integers(0, len(clip) - 1).map(lambda n: clip[:n]),  # truncated: at most a part decodes
        st.tuples(st.integers(0, len(clip)), st.binary(min_size=1, max_size=64)).map(lambda t: overwrite(*t)),
        st.just("Vidéo\r\nde la caméra\r\n".encode("latin-1")),
        st.just("clip\r\n".encode("utf-16")),  # UTF-16 with its BOM
        st.just(b"A" * 200_000 + b"\n"),  # a huge line
        st.just(b""),
    )


@SETTINGS
@given(data=st.data(), command=st.sampled_from(["count", "dwell"]), suffix=st.sampled_from([".avi", ".mkv", ".mp4"]))
def test_a_bad_file_is_one_line_naming_it_and_exit_2(tmp_path, clips, data, command, suffix):
    clip = clips[".mkv" if suffix == ".mkv" else ".avi"]
    path = tmp_path / f"in{suffix}"
    path.write_bytes(data.draw(mangled_clip(clip)))
    with contextlib.suppress(FrontdeskError), open_source(str(path)):
        need_model()  # a part of it decodes: the detector looks at it
    code, _, err = run("vision", command, str(path), "--jsonl")
    if code == 0:  # overwritten bytes the decoder skipped, every frame there
        assert err == ""
        return
    assert_one_line(code, err, str(path))


def test_a_clip_cut_mid_way_prints_its_frames_then_one_line(tmp_path, clips):
    need_model()
    path = tmp_path / "cut.mkv"
    path.write_bytes(clips[".mkv"][: len(clips[".mkv"]) * 2 // 3])
    code, out, err = run("vision", "count", str(path), "--jsonl")
    assert_one_line(code, err, f"{path}: the file ends after frame")
    assert f"of the {FRAMES} it declares" in err
    assert 0 < len(out.splitlines()) < FRAMES  # the frames before the cut are counted


def test_a_file_that_opens_but_holds_no_frame(tmp_path, clips):
    mkv = clips[".mkv"]
    path = tmp_path / "headers-only.mkv"
    path.write_bytes(mkv[: mkv.index(MKV_CLUSTER) + len(MKV_CLUSTER)])  # its header, no frame
    assert cv2.VideoCapture(str(path), cv2.CAP_FFMPEG).isOpened()  # it does open
    code, out, err = run("vision", "count", str(path), "--jsonl")
    assert_one_line(code, err, f"{path}: no frame in it can be decoded")
    assert out == ""


@pytest.mark.parametrize("kind", ["empty file", "empty folder", "folder of junk", "missing", "not UTF-8"])
def test_paths_that_hold_no_video(tmp_path, kind):
    path = tmp_path / "source"
    if kind == "empty file":
        path.write_bytes(b"")
    elif kind == "empty folder":
        path.mkdir()
    elif kind == "folder of junk":
        path.mkdir()
        (path / "0001.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
        path = path / "0001.png"  # the message names the image
    elif kind == "not UTF-8":  # cv2.VideoCapture and cv2.imread crash the process on such a name
        path = Path(os.fsdecode(bytes(tmp_path) + b"/vid\xe9o.mp4"))
        path.write_bytes(b"")
    source = str(path.parent if kind == "folder of junk" else path)
    code, _, err = run("vision", "count", source)
    assert_one_line(code, err, shown(str(path)))


# text that can name no camera, stream or file
BAD_ADDRESSES = st.one_of(
    st.sampled_from(["rtsp://", "rtsp://:554/x", "http://[::1", "http://[::1]:99999/", "rtsp://cam:port/"]),
    st.sampled_from(["ftp", "file", "rtp", "concat", "x"]).map(lambda scheme: f"{scheme}://cam/stream"),
    st.text(st.characters(codec="utf-8"), max_size=20).map(lambda junk: f"rtsp://cam\x00{junk}"),
    st.text(st.characters(codec="utf-8", categories=["Cc"]), min_size=1, max_size=5).map(lambda c: f"clip{c}.mp4"),
    st.text(st.characters(codec="utf-8", exclude_characters="/:"), min_size=1, max_size=8).map(
        lambda host: f"rtsp://{host} {host}/"
    ),
    st.integers(100, 10**30).map(str),  # OpenCV reads 100 and up as a backend's number
    st.just("rtsp://" + "a" * 5000),
    st.just("x" * 300 + ".mp4"),
)


@SETTINGS
@given(address=BAD_ADDRESSES, command=st.sampled_from(["count", "dwell"]))
def test_an_address_that_names_no_source_is_one_line_and_exit_2(address, command):
    code, out, err = run("vision", command, address)
    assert_one_line(code, err, shown(address.strip())[:40])
    assert out == ""


@SETTINGS
@given(zone=st.one_of(st.text(max_size=60), st.lists(st.floats(), max_size=9).map(lambda v: ",".join(map(str, v)))))
def test_any_zone_is_taken_or_refused_in_one_line(tmp_path, zone):
    missing = str(tmp_path / "missing.mp4")  # a zone that is taken goes on to the source, which is missing
    code, out, err = run("vision", "count", missing, "--zone", zone)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and ("zone" in err or f"{missing}: no such file" in err), err


@pytest.mark.parametrize("address", ["rtsp://127.0.0.1:9/stream", "http://127.0.0.1:9/video.mjpg", "97"])
def test_a_well_formed_camera_that_is_not_there_is_exit_5(address):
    code, out, err = run("vision", "count", address)
    assert_one_line(code, err, "is unavailable", exit_code=5)
    assert out == ""


# -- watch: the engine's log is left as it is ----------------------------------------------------


@pytest.fixture
def watched_db(tmp_path) -> Path:
    """A branch database that already holds a ticket."""
    db = tmp_path / "branch.sqlite3"
    assert run("ticket", "new", "--service", "CASH", "--db", str(db))[0] == 0
    gc.collect()  # the engine commands leave their store to the process's exit to close (here: now)
    assert not Path(f"{db}-wal").exists()
    assert len(recorded(db)["ticket"]) == 1
    return db


def recorded(db: Path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("ticket", "period", "queue_observation")
        }


@pytest.mark.parametrize("kind", ["garbage", "empty", "headers only", "missing", "bad URL", "not UTF-8"])
def test_watch_of_a_bad_source_is_one_line_exit_2_and_the_log_is_untouched(tmp_path, clips, watched_db, kind):
    path = tmp_path / "in.mkv"
    mkv = clips[".mkv"]
    data = {"garbage": b"\x00\xff" * 300, "empty": b"", "headers only": mkv[: mkv.index(MKV_CLUSTER) + 4]}
    if kind in data:
        path.write_bytes(data[kind])
    source = {"missing": str(tmp_path / "gone.mp4"), "bad URL": "rtsp://[::1/x", "not UTF-8": "cam\udcff.mp4"}
    source = source.get(kind, str(path))
    before = watched_db.read_bytes()
    code, out, err = run("vision", "watch", "--source", source, "--db", str(watched_db))
    assert_one_line(code, err, shown(source))
    assert out == ""
    assert watched_db.read_bytes() == before
    assert not Path(f"{watched_db}-wal").exists()


def test_watch_of_a_clip_cut_mid_way_keeps_what_was_recorded(tmp_path, clips, watched_db):
    need_model()
    path = tmp_path / "cut.mkv"
    path.write_bytes(clips[".mkv"][: len(clips[".mkv"]) * 2 // 3])
    before = recorded(watched_db)
    code, out, err = run("vision", "watch", "--source", str(path), "--db", str(watched_db))
    assert code == 2 and "Traceback" not in err
    assert err.splitlines()[-1].startswith(f"frontdesk: {path}: the file ends after frame"), err
    after = recorded(watched_db)
    assert after["ticket"] == before["ticket"] and after["period"] == before["period"]
    assert after["queue_observation"][: len(before["queue_observation"])] == before["queue_observation"]
    assert len(after["queue_observation"]) == len(before["queue_observation"]) + len(out.splitlines())


class NobodyFinder:
    def find(self, image_bgr, t, region):
        return []


def test_on_the_kiosks_camera_thread_a_bad_source_is_reported_not_raised(tmp_path, monkeypatch):
    from config.schema import CameraConfig
    from vision.pipeline import QueueCounter
    from vision.watch import QueueWatcher

    raised, statuses = [], []
    monkeypatch.setattr(threading, "excepthook", raised.append)  # what would print a traceback
    gone = tmp_path / "gone.mp4"
    watcher = QueueWatcher(
        CameraConfig(enabled=True, source=str(gone)),
        lambda obs: None,
        on_status=statuses.append,
        counter_factory=lambda zone: QueueCounter(zone, finder=NobodyFinder()),
    )
    thread = watcher.start()
    thread.join(timeout=60)
    assert not thread.is_alive() and raised == []
    assert statuses == [f"camera stopped: {gone}: no such file, folder or camera"]
