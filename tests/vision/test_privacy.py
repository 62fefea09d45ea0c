"""Frames stay in memory: running the counter creates and writes no file; vision off opens no camera."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from config.schema import CameraConfig
from tests.vision.conftest import WALKING_GIF, need, need_model
from vision import watch as watch_module
from vision.capture import open_source
from vision.pipeline import QueueCounter
from vision.watch import QueueWatcher

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_recording: list | None = None


def _audit(event, args):
    if _recording is None or event != "open":
        return
    path, mode, flags = (list(args) + [None, None, None])[:3]
    writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
        isinstance(flags, int) and flags & WRITE_FLAGS
    )
    if writes:
        _recording.append((path, mode, flags))


sys.addaudithook(_audit)  # audit hooks cannot be removed: it records only while a test asks


def listing(*roots):
    """Every file under the roots with its size and modification time."""
    seen = {}
    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                p = Path(dirpath) / name
                try:
                    st = p.stat()
                except OSError:
                    continue
                seen[str(p)] = (st.st_size, st.st_mtime_ns)
    return seen


def test_counting_footage_writes_no_file(tmp_path, monkeypatch):
    global _recording
    gif = need(WALKING_GIF)
    model = need_model()  # made at set-up in the user cache directory: the one file the counter reads
    # A private working directory, home and temp directory, so that anything the
    # counter (or native code under it) might write lands where we look.
    roots = []
    for name, var in (("cwd", None), ("home", "HOME"), ("tmp", "TMPDIR")):
        (tmp_path / name).mkdir()
        roots.append(str(tmp_path / name))
        if var:
            monkeypatch.setenv(var, str(tmp_path / name))
    # the model stays where set-up put it, found the usual way (the cache directory) under the private home
    monkeypatch.setenv("XDG_CACHE_HOME", str(model.parents[2]))
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    # Warm up outside the recording: first imports may write bytecode caches.
    with open_source(str(gif)) as src:
        counter = QueueCounter()
        for _ in zip(range(3), counter.run(src)):
            pass
    before = listing(*roots)
    _recording = []
    try:
        counter = QueueCounter()
        with open_source(str(gif)) as src:
            results = list(counter.run(src))
        counter.finish()
        counter.observation(at=0.0, t=results[-1].t)
        writes = list(_recording)
    finally:
        _recording = None
    after = listing(*roots)
    assert len(results) == 35 and any(r.detected for r in results)
    assert writes == [], f"the counter opened files for writing: {writes}"
    created = sorted(set(after) - set(before))
    changed = sorted(p for p in set(after) & set(before) if after[p] != before[p])
    assert created == [] and changed == [], f"files appeared or changed: {created + changed}"


COUNT_IN_A_FRESH_PROCESS = """
import sys
from vision.capture import open_source
from vision.pipeline import QueueCounter
counter = QueueCounter()
with open_source(sys.argv[1]) as src:
    results = list(counter.run(src))
counter.finish()
print(max(r.count for r in results))
"""


@pytest.mark.slow
def test_a_fresh_process_counting_writes_nothing_not_even_the_runtime(tmp_path):
    """The detector's runtime is imported for the first time here, as in the kiosk: nothing
    appears in home, temp, the cache directory or the working directory (onnxruntime 1.32
    would write telemetry files at import unless told not to)."""
    gif = need(WALKING_GIF)
    model = need_model()
    roots = {name: tmp_path / name for name in ("cwd", "home", "tmp", "cache")}
    for root in roots.values():
        root.mkdir()
    (roots["cache"] / "frontdesk").mkdir()
    (roots["cache"] / "frontdesk" / "models").symlink_to(model.parent)  # the model set-up made, read in place
    env = dict(
        os.environ,
        HOME=str(roots["home"]),
        TMPDIR=str(roots["tmp"]),
        XDG_CACHE_HOME=str(roots["cache"]),
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("ORT_DISABLE_TELEMETRY", None)  # the product must switch it off itself
    before = listing(*map(str, roots.values()))
    proc = subprocess.run(
        [sys.executable, "-c", COUNT_IN_A_FRESH_PROCESS, str(gif)],
        cwd=roots["cwd"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(proc.stdout.strip()) >= 1  # it did count
    after = listing(*map(str, roots.values()))
    assert sorted(set(after) - set(before)) == [] and after == before


def test_results_carry_counts_and_times_only(tmp_path):
    gif = need(WALKING_GIF)
    need_model()
    counter = QueueCounter()
    with open_source(str(gif)) as src:
        results = list(counter.run(src))
    closed, still_open = counter.finish()
    allowed = {int, float, bool, list, type(None)}
    for r in results:
        assert {type(v) for v in (r.frame, r.t, r.count, r.raw, r.detected)} <= allowed
    for visit in closed + still_open:
        # a visit knows its number, times, last floor point, whether it reached the desk and whether
        # its person may be looked for again (not after walking out of view)
        fields = {"id", "enter_s", "exit_s", "last_at", "radius", "reached_desk", "active", "rejoinable"}
        assert set(visit.__slots__) == fields
    obs = counter.observation(at=1.0, t=results[-1].t)
    assert isinstance(obs.people, int)


def test_vision_off_opens_no_camera(monkeypatch):
    opened = []
    monkeypatch.setattr(watch_module, "open_source", lambda spec: opened.append(spec))
    statuses, observations = [], []
    QueueWatcher(CameraConfig(enabled=False, source="0"), observations.append, on_status=statuses.append).run()
    QueueWatcher(
        CameraConfig(enabled=False), observations.append, source="rtsp://192.0.2.1/s", on_status=statuses.append
    ).run()
    assert opened == [] and observations == []
    assert "switched off" in statuses[0]


def test_watch_refuses_when_vision_is_off(capsys, tmp_path):
    from kiosk.cli import main

    example = Path(__file__).resolve().parents[2] / "config" / "branch.example.toml"
    assert "enabled = false" in example.read_text()
    code = main(["vision", "watch", "--config", str(example)])
    _, err = capsys.readouterr()
    assert code == 2 and "switched off" in err
    code = main(["vision", "watch", "--config", str(example), "--source", "rtsp://192.0.2.1/stream"])
    _, err = capsys.readouterr()
    assert code == 2 and "switched off" in err


def test_the_audit_sees_a_write(tmp_path):
    """The check above can fail: a write made while recording is caught."""
    global _recording
    _recording = []
    try:
        (tmp_path / "x.txt").write_text("a write")
        fd = os.open(tmp_path / "y.bin", os.O_CREAT | os.O_WRONLY)
        os.close(fd)
        caught = list(_recording)
    finally:
        _recording = None
    assert len(caught) == 2
