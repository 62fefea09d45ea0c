"""The `frontdesk devices` contract, run as real processes against `frontdesk devices simulate`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from device.cli import app as devices_app

REPO = Path(__file__).resolve().parents[2]
FRONTDESK = [sys.executable, "-m", "kiosk.cli"]
REPORT_KEYS = {"state", "moving_cm", "still_cm", "detect_cm"}
GATE_KEYS = {"moving_gate_energy", "still_gate_energy"}


def frontdesk(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*FRONTDESK, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


@contextmanager
def simulator(*args: str):
    """`frontdesk devices simulate …` in the background; yields (pty path, process)."""
    proc = subprocess.Popen(
        [*FRONTDESK, "devices", "simulate", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        path = proc.stdout.readline().strip()
        assert path.startswith("/dev/pts/") and os.path.exists(path), (path, proc.stderr.read() if proc.poll() else "")
        yield path, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    return proc.returncode, err


def test_sensor_jsonl_prints_count_reports_with_exactly_the_contract_keys():
    with simulator("ld2410", "--presence", "moving") as (path, proc):
        run = frontdesk("devices", "sensor", "--port", path, "--count", "3", "--jsonl")
        assert run.returncode == 0, run.stderr
        lines = run.stdout.splitlines()
        assert len(lines) == 3
        for line in lines:
            report = json.loads(line)
            assert set(report) == REPORT_KEYS
            assert report["state"] == "moving" and report["moving_cm"] == 120 and report["detect_cm"] == 120
        code, _ = stop(proc)
        assert code == 0  # the simulator ends cleanly on Ctrl-C


def test_sensor_engineering_reports_add_the_gate_energies():
    with simulator("ld2410", "--presence", "both", "--engineering") as (path, _):
        run = frontdesk("devices", "sensor", "--port", path, "--count", "2")
        assert run.returncode == 0, run.stderr
        decoder, text, objects = json.JSONDecoder(), run.stdout.strip(), []
        while text:  # without --jsonl: one indented JSON object per report
            obj, end = decoder.raw_decode(text)
            objects.append(obj)
            text = text[end:].strip()
        assert len(objects) == 2
        for obj in objects:
            assert set(obj) == REPORT_KEYS | GATE_KEYS
            assert obj["state"] == "both"
            assert len(obj["moving_gate_energy"]) == 9 and len(obj["still_gate_energy"]) == 9


@pytest.mark.slow
def test_print_test_prints_a_ticket_in_every_language():
    with simulator("printer") as (path, proc):
        for lang in ("mn", "hy", "en", "ru"):
            run = frontdesk("devices", "print-test", "--port", path, "--lang", lang, "--baudrate", "115200")
            assert run.returncode == 0, run.stderr
            result = json.loads(run.stdout)
            assert set(result) == {"printed", "problem", "message", "status", "bytes_sent", "seconds"}
            assert result["printed"] is True and result["problem"] is None
        code, err = stop(proc)
        assert code == 0 and "ticket 4 cut" in err


def test_print_test_without_paper_fails_with_a_message_and_exit_5():
    with simulator("printer", "--paper-out") as (path, _):
        run = frontdesk("devices", "print-test", "--port", path, "--lang", "en")
        assert run.returncode == 5
        assert "out of paper" in run.stderr and "Traceback" not in run.stderr
        assert json.loads(run.stdout)["problem"] == "paper_out"


@pytest.mark.slow
@pytest.mark.parametrize("model", ["lcus", "adafruit"])
def test_light_sets_the_state_on_both_models(model):
    with simulator("light", "--model", model) as (path, proc):
        run = frontdesk("devices", "light", "--port", path, "--model", model, "--state", "warning")
        assert run.returncode == 0, run.stderr
        out = json.loads(run.stdout)
        assert out == {
            "model": model,
            "state": "warning",
            "lamps": {"red": "off", "yellow": "on", "green": "off", "buzzer": "off"},
        }
        code, err = stop(proc)
    shown = [json.loads(line.split("light: ", 1)[1]) for line in err.splitlines() if line.startswith("light: ")]
    assert shown[-1] == out["lamps"]  # what the simulated light decoded from the wire


def test_light_breach_sounds_the_buzzer_then_leaves_red_on():
    with simulator("light", "--model", "adafruit") as (path, proc):
        run = frontdesk(
            "devices", "light", "--port", path, "--model", "adafruit", "--state", "breach", "--pulse", "0.2"
        )
        assert run.returncode == 0, run.stderr
        _, err = stop(proc)
    shown = [json.loads(line.split("light: ", 1)[1]) for line in err.splitlines() if line.startswith("light: ")]
    assert any(s["buzzer"] == "on" and s["red"] == "blink" for s in shown)
    assert shown[-1] == {"red": "blink", "yellow": "off", "green": "off", "buzzer": "off"}


@pytest.mark.parametrize(
    "args",
    [
        ["sensor", "--count", "1"],
        ["print-test"],
        ["light", "--model", "lcus", "--state", "normal"],
    ],
    ids=["sensor", "print-test", "light"],
)
def test_a_missing_port_is_a_clear_error_with_exit_5(args, tmp_path):
    missing = str(tmp_path / "ttyUSB9")
    run = frontdesk("devices", args[0], "--port", missing, *args[1:])
    assert run.returncode == 5
    assert "ttyUSB9" in run.stderr and "Traceback" not in run.stderr


def test_bad_options_are_usage_errors():
    # Through the sub-app itself: option parsing is click's, exit code 2.
    runner = CliRunner()
    run = runner.invoke(devices_app, ["light", "--port", "/dev/null", "--model", "lcus", "--state", "purple"])
    assert run.exit_code == 2 and "purple" in run.output
    run = runner.invoke(devices_app, ["simulate", "toaster"])
    assert run.exit_code == 2
    run = runner.invoke(devices_app, ["print-test", "--port", "/dev/null", "--flow", "dsr"])
    assert run.exit_code == 2 and "dsr" in run.output
