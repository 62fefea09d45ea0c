import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from config import DEFAULT_CONFIG_PATH, load_config
from kiosk.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "branch.toml"
    p.write_text(text, encoding="utf-8")
    return p


def example_with(old: str, new: str) -> str:
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_example_is_a_realistic_four_service_branch():
    cfg = load_config(DEFAULT_CONFIG_PATH)
    assert [s.code for s in cfg.services] == ["CASH", "ACCOUNTS", "LOANS", "COMPLAINT"]
    complaint = cfg.service("COMPLAINT")
    assert complaint.apology and all(cfg.counters[n - 1].senior for n in complaint.counters)
    assert cfg.branch.default_language == "mn"
    assert "elderly" in cfg.priority.categories


@pytest.mark.parametrize(
    "old, new, key, words",
    [
        ("target_wait_s = 600\n", "target_wait_s = -5\n", "services[0].target_wait_s", "greater than 0"),
        ('timezone = "Asia/Ulaanbaatar"', 'timezone = "Mars/Olympus"', "branch.timezone", "unknown time zone"),
        ("counters = [4]", "counters = [9]", "services[3].counters", "counter 9 is not declared"),
        ('prefix = "B"', 'prefix = "A"', "services", "prefix 'A' is used by two services"),
        ("warning_fraction = 0.8", "warning_fraction = 0.8\nwarnig = 1", "standards.warnig", "Extra inputs"),
        ('en = "Cash and payments", ', "", "services[0].names", "no name in en"),
        ('prefer = ["COMPLAINT"]', 'prefer = ["CASH"]', "counters[3].prefer", "counter 4 does not serve CASH"),
    ],
)
def test_bad_config_names_file_key_and_problem(tmp_path, old, new, key, words):
    path = write(tmp_path, example_with(old, new))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.path == str(path)
    assert err.value.key == key
    assert words in err.value.problem


def test_syntax_error_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[branch\nname='x'"))
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "absent.toml")


def test_cli_exits_2_with_a_message_and_no_traceback(tmp_path):
    path = write(tmp_path, example_with("target_wait_s = 600\n", 'target_wait_s = "soon"\n'))
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "queue", "--config", str(path), "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert f"{path}: services[0].target_wait_s:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.db").exists()  # nothing was opened or created


def test_example_branch_has_opening_hours_per_weekday():
    hours = load_config(DEFAULT_CONFIG_PATH).branch.opening_hours
    assert hours is not None
    assert [hours.closing_time(d) for d in range(7)] == [time(18)] * 5 + [time(15), None]


@pytest.mark.parametrize(
    "new, key, words",
    [
        ('mon = "9-18"', "branch.opening_hours.mon", "not opening hours like"),
        ('tue = "18:00-09:00"', "branch.opening_hours.tue", "must open before it closes"),
        ('wed = "09:00-24:30"', "branch.opening_hours.wed", "a day ends at 24:00"),
        ('thu = "09:00-25:00"', "branch.opening_hours.thu", "not opening hours like"),
        ('fri = "open"', "branch.opening_hours.fri", "not opening hours like"),
        ("sat = 10", "branch.opening_hours.sat", "valid string"),
        ('sun = "closed"\nholiday = "closed"', "branch.opening_hours.holiday", "Extra inputs"),
    ],
)
def test_bad_opening_hours_name_file_and_key(tmp_path, new, key, words):
    weekday = new.split(" ")[0]
    old = {"sat": 'sat = "10:00-15:00"', "sun": 'sun = "closed"'}.get(weekday, f'{weekday} = "09:00-18:00"')
    path = write(tmp_path, example_with(old, new))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.path == str(path) and err.value.key == key
    assert words in err.value.problem


def test_a_branch_without_opening_hours_closes_its_days_at_midnight(tmp_path):
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    start = text.index("[branch.opening_hours]")
    end = text.index('sun = "closed"\n') + len('sun = "closed"\n')
    cfg = load_config(write(tmp_path, text[:start] + text[end:]))
    assert cfg.branch.opening_hours is None
