"""The engine's command line, run as staff scripts run it: a real process, a real file."""

import json
import os
import subprocess
import sys

import pytest


def fd(tmp_path, *args, env_db=True):
    env = dict(os.environ)
    env["FRONTDESK_DB"] = str(tmp_path / "cli.sqlite3")
    env.pop("FRONTDESK_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args], capture_output=True, text=True, env=env)


@pytest.mark.slow
def test_a_visit_from_the_command_line(tmp_path):
    out = fd(tmp_path, "ticket", "new", "--service", "cash", "--json")
    assert out.returncode == 0, out.stderr
    ticket = json.loads(out.stdout)
    assert ticket["ticket"] == "A001" and ticket["ahead"] == 0
    assert ticket["wait_low_s"] <= ticket["wait_s"] <= ticket["wait_high_s"]

    called = json.loads(fd(tmp_path, "call", "--counter", "1", "--staff", "Bold", "--json").stdout)
    assert (called["ticket"], called["state"], called["counter"]) == ("A001", "called", 1)
    assert fd(tmp_path, "start", "A001").stdout.strip() == "A001: serving"
    assert fd(tmp_path, "finish", "A001").stdout.strip() == "A001: done"
    assert fd(tmp_path, "rate", "A001", "4").stdout.strip() == "thank you"

    queue = json.loads(fd(tmp_path, "queue", "--json").stdout)
    assert queue["waiting"] == [] and queue["at_counters"] == [] and queue["alerts"] == []


@pytest.mark.slow
def test_bad_transitions_and_inputs_exit_non_zero_with_a_message(tmp_path):
    fd(tmp_path, "ticket", "new", "--service", "CASH")
    cases = [
        (("finish", "A001"), 3, "cannot finish a ticket that is waiting"),
        (("call", "--counter", "1", "--ticket", "B007"), 2, "no ticket B007 today"),
        # a particular number only at a counter that serves it, as at the console
        (("call", "--counter", "4", "--ticket", "A001"), 3, "is for CASH, which counter 4 does not serve"),
        (("ticket", "new", "--service", "PIZZA"), 2, "unknown service 'PIZZA'"),
        (("transfer", "A001"), 2, "needs a service or a counter"),
        (("rate", "A001", "9"), 2, "a rating is 1 to 5"),
    ]
    for args, code, words in cases:
        proc = fd(tmp_path, *args)
        assert proc.returncode == code, (args, proc.stderr)
        assert words in proc.stderr and "Traceback" not in proc.stderr
    queue = json.loads(fd(tmp_path, "queue", "--json").stdout)
    assert [t["ticket"] for t in queue["waiting"]] == ["A001"]  # nothing changed


def test_call_with_nobody_waiting_exits_1(tmp_path):
    proc = fd(tmp_path, "call", "--counter", "4")
    assert proc.returncode == 1 and "nobody is waiting for counter 4" in proc.stdout


def test_a_bad_option_value_is_a_usage_error_not_a_traceback(tmp_path):
    proc = fd(tmp_path, "call", "--counter", "one")
    assert proc.returncode == 2
    assert proc.stderr.startswith("frontdesk call: invalid value for '--counter'") and proc.stderr.count("\n") == 1
