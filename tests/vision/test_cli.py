"""The command-line contract: exact JSON keys, frame order, source times, bad input."""

import json

import pytest

from kiosk.cli import main
from tests.vision.conftest import WALKING_GIF, need_counting


def run_cli(capsys, *args):
    code = main(["vision", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def gif():
    return str(need_counting(WALKING_GIF))


def test_count_jsonl_contract(capsys, gif):
    code, out, _ = run_cli(capsys, "count", gif, "--jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["frame"] for r in rows] == list(range(35))
    assert all(set(r) == {"frame", "t", "count", "raw"} for r in rows)
    assert all(isinstance(r["count"], int) and isinstance(r["raw"], int) for r in rows)
    fps = 1 / rows[1]["t"]
    assert 11 < fps < 13  # the GIF's own rate
    assert max(r["count"] for r in rows) >= 1


def test_zone_with_nobody_in_it_counts_nobody(capsys, gif):
    # a thin strip at the top of the frame: the people's feet are never there
    code, out, _ = run_cli(capsys, "count", gif, "--zone", "0,0,1,0,1,0.05,0,0.05", "--jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 35 and all(r["count"] == 0 and r["raw"] == 0 for r in rows)


def test_dwell_jsonl_contract(capsys, gif):
    code, out, _ = run_cli(capsys, "dwell", gif, "--jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows, "two people are in view: at least one visit"
    seen_open = False
    for r in rows:
        assert set(r) in (
            {"track", "enter_s", "exit_s", "duration_s"},
            {"track", "enter_s", "exit_s", "duration_s", "open"},
        )
        assert abs(r["duration_s"] - (r["exit_s"] - r["enter_s"])) < 2e-3
        assert 0 <= r["enter_s"] <= r["exit_s"] <= 35 / 12.0
        if r.get("open"):
            seen_open = True
        else:
            assert not seen_open, "still-open visits are printed last"
    assert seen_open


def test_human_readable_output(capsys, gif):
    code, out, _ = run_cli(capsys, "dwell", gif)
    assert code == 0 and "in the zone" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["count", "/nonexistent/clip.mp4"], "no such file"),
        (["dwell", "/nonexistent/clip.mp4", "--jsonl"], "no such file"),
        (["count", "{gif}", "--zone", "0,0,1"], "odd number"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(capsys, gif, args, message):
    code, out, err = run_cli(capsys, *[a.format(gif=gif) for a in args])
    assert code == 2
    assert message in err and "Traceback" not in err
    assert out == ""


def test_undecodable_file(capsys, tmp_path):
    bogus = tmp_path / "notavideo.mp4"
    bogus.write_bytes(b"this is not a video")
    code, _, err = run_cli(capsys, "count", str(bogus))
    assert code == 2 and "cannot decode" in err
