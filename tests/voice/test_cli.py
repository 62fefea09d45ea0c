"""`frontdesk voice say` and `frontdesk voice check`: what they write, what they say, their exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit

from config.loader import DEFAULT_CONFIG_PATH
from kiosk.cli import main
from kiosk.voice.announcer import Announcer
from kiosk.voice.phrasing import phrase_keys
from tests.voice.conftest import branch, make_pack, needs_espeak


@pytest.fixture(autouse=True)
def cache_in_tmp(monkeypatch, shared_cache):
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache / "xdg"))


def config_file(tmp_path: Path, default: str = "mn", **voice: object) -> Path:
    doc = tomlkit.parse(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    doc["branch"]["default_language"] = default  # type: ignore[index]
    for key, value in voice.items():
        doc["voice"][key] = value  # type: ignore[index]
    path = tmp_path / "branch.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["voice", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
@needs_espeak
def test_say_writes_exactly_what_the_board_plays(tmp_path, capsys, shared_cache):
    cfg = config_file(tmp_path, default="ru")
    out = tmp_path / "call.wav"
    code, said, err = run(
        capsys, "say", "--lang", "hy", "--ticket", "A007", "--counter", "3", "--out", str(out), "--config", str(cfg)
    )
    assert code == 0, err
    board = Announcer(branch("ru"), cache_dir=shared_cache / "xdg" / "frontdesk" / "voice").render("A007", 3, "hy")
    assert out.read_bytes() == board.wav
    assert said.startswith(f"{out}: ") and "chime + hy + ru" in said


@needs_espeak
def test_say_names_the_silent_default_language(tmp_path, capsys):
    out = tmp_path / "call.wav"
    code, said, err = run(
        capsys,
        "say",
        "--lang",
        "en",
        "--ticket",
        "B012",
        "--counter",
        "2",
        "--out",
        str(out),
        "--config",
        str(config_file(tmp_path, default="mn")),
    )
    assert code == 0 and err == ""
    assert "chime + en; no voice for mn: espeak-ng has no mn voice" in said


def test_say_refuses_a_language_with_no_voice_and_no_pack(tmp_path, capsys):
    out = tmp_path / "call.wav"
    code, said, err = run(
        capsys,
        "say",
        "--lang",
        "mn",
        "--ticket",
        "A007",
        "--counter",
        "3",
        "--out",
        str(out),
        "--config",
        str(config_file(tmp_path)),
    )
    assert code == 2 and not out.exists()
    assert err.count("\n") == 1 and err.startswith("frontdesk: no voice for mn:") and "docs/voice.md" in err


def test_say_speaks_mongolian_from_a_pack(tmp_path, capsys):
    make_pack(tmp_path / "mn", "mn")
    out = tmp_path / "call.wav"
    code, said, err = run(
        capsys,
        "say",
        "--lang",
        "mn",
        "--ticket",
        "A007",
        "--counter",
        "3",
        "--out",
        str(out),
        "--config",
        str(config_file(tmp_path, packs={"mn": str(tmp_path / "mn")})),
    )
    assert code == 0, err
    assert "chime + mn" in said and out.read_bytes()[:4] == b"RIFF"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "en", "--ticket", "7", "--counter", "3"], "bad ticket number '7'"),
        (["--lang", "en", "--ticket", "A007", "--counter", "0"], "counter 0 is outside"),
        (["--lang", "de", "--ticket", "A007", "--counter", "3"], "'de' is not one of"),
    ],
)
def test_say_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    cfg = config_file(tmp_path, default="en", enabled=False)  # no espeak-ng needed to refuse
    code, _, err = run(capsys, "say", *args, "--out", str(tmp_path / "x.wav"), "--config", str(cfg))
    assert code == 2 and message in err
    assert not (tmp_path / "x.wav").exists()


def test_say_into_a_missing_folder_is_one_line_and_exit_2(tmp_path, capsys):
    cfg = config_file(tmp_path, default="en", enabled=False)
    code, _, err = run(
        capsys,
        "say",
        "--lang",
        "en",
        "--ticket",
        "A007",
        "--counter",
        "3",
        "--out",
        str(tmp_path / "nowhere" / "x.wav"),
        "--config",
        str(cfg),
    )
    assert err.strip() == f"frontdesk: cannot write {tmp_path / 'nowhere' / 'x.wav'}: No such file or directory"
    assert code == 2


def test_say_with_voice_off_writes_the_chime_and_says_so(tmp_path, capsys):
    cfg = config_file(tmp_path, default="en", enabled=False)
    code, said, _ = run(
        capsys,
        "say",
        "--lang",
        "mn",
        "--ticket",
        "A007",
        "--counter",
        "3",
        "--out",
        str(tmp_path / "x.wav"),
        "--config",
        str(cfg),
    )
    assert code == 0 and "chime; voice is off" in said


def test_check_names_each_bad_clip_on_its_own_line_and_exits_2(tmp_path, capsys):
    folder = tmp_path / "mn"
    make_pack(folder, "mn")
    (folder / "num_7.wav").unlink()
    (folder / "hundred.wav").write_bytes(b"RIFF\x00\x00")
    code, out, err = run(capsys, "check", str(folder))
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0] == f"{folder / 'num_7.wav'}: missing"
    assert lines[1].startswith(f"{folder / 'hundred.wav'}: unreadable: not a readable WAV file")
    assert err.strip() == f"frontdesk: {folder}: 2 of {len(phrase_keys('mn'))} mn clips missing or unusable"


def test_check_of_a_complete_pack_is_one_line_and_exit_0(tmp_path, capsys):
    make_pack(tmp_path / "pack", "ru")
    code, out, err = run(capsys, "check", str(tmp_path / "pack"), "--lang", "ru")
    assert code == 0 and err == ""
    total = len(phrase_keys("ru"))
    assert out.splitlines() == [f"{tmp_path / 'pack'}: complete ru voice pack, {total} clips (phrase list v1)"]


@pytest.mark.parametrize("name", ["pack", "missing"])
def test_check_without_a_language_or_a_folder_is_exit_2(tmp_path, capsys, name):
    (tmp_path / "pack").mkdir()
    code, _, err = run(capsys, "check", str(tmp_path / name) if name == "pack" else str(tmp_path / "mn"))
    assert code == 2 and err.count("\n") == 1
    assert ("--lang" in err) if name == "pack" else ("no such folder" in err)


def test_phrases_prints_the_recording_script(capsys):
    code, out, _ = run(capsys, "phrases", "--lang", "mn")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(phrase_keys("mn"))
    assert "num_3_attr.wav\tгурван" in lines and "ordinal_front.wav\tдүгээр" in lines
