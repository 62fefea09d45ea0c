"""`frontdesk log …`, `frontdesk report` and `frontdesk replay` as a person runs them: real processes."""

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest

from tests.reports.test_replay import as_csv, simulated_day


def fd(tmp_path, *args):
    env = dict(os.environ)
    env["FRONTDESK_DB"] = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env.pop("FRONTDESK_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args], capture_output=True, text=True, env=env)


@pytest.mark.slow
def test_import_export_and_report_from_the_command_line(tmp_path):
    log = tmp_path / "day.csv"
    log.write_text(as_csv(simulated_day(5, datetime(2026, 11, 24, 9), n=40)), encoding="utf-8")
    done = fd(tmp_path, "log", "import", str(log))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "imported 40 visits; 0 were already there; skipped 0 bad rows"
    again = fd(tmp_path, "log", "import", str(log))
    assert "imported 0 visits; 40 were already there" in again.stdout

    out = tmp_path / "out.csv"
    exported = fd(tmp_path, "log", "export", "--from", "2026-11-24", "--to", "2026-11-24", "--out", str(out))
    assert exported.returncode == 0 and exported.stderr.strip() == "exported 40 visits"
    assert out.read_text(encoding="utf-8") == log.read_text(encoding="utf-8")

    report = json.loads(fd(tmp_path, "report", "--target-wait", "120").stdout)
    assert set(report) >= {"definitions", "totals", "by_service", "by_hour", "by_day", "by_staff", "breaches"}
    assert report["totals"]["arrived"] == 40 and report["definitions"]["target_wait"] == "120 s for every service"
    page = tmp_path / "report.html"
    assert fd(tmp_path, "report", "--format", "html", "--out", str(page)).returncode == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    table = fd(tmp_path, "report", "--format", "csv").stdout.splitlines()
    assert table[0].startswith("table,group,arrived") and table[1].startswith("totals,all,40,")


@pytest.mark.slow
def test_bad_input_exits_non_zero_with_a_message(tmp_path):
    log = tmp_path / "bad.csv"
    log.write_text(
        as_csv(simulated_day(6, datetime(2026, 11, 24, 9), n=3)) + "X,CASH,normal,2026-11-24T10:00:00,,,,,lost,\n",
        encoding="utf-8",
    )
    refused = fd(tmp_path, "log", "import", str(log))
    assert refused.returncode == 2
    assert (
        "bad.csv: 1 bad row, nothing imported" in refused.stderr and "line 5: unknown outcome 'lost'" in refused.stderr
    )
    skipped = fd(tmp_path, "log", "import", str(log), "--skip-bad")
    assert skipped.returncode == 0 and "line 5: unknown outcome 'lost'" in skipped.stderr
    assert "imported 3 visits" in skipped.stdout
    cases = [
        (("report", "--from", "yesterday"), "--from 'yesterday' is not a date"),
        (("report", "--from", "2026-11-24", "--to", "2026-11-01"), "--to 2026-11-01 is before --from 2026-11-24"),
        (("report", "--format", "pdf"), "--format 'pdf': use json, csv or html"),
        (("log", "import", str(tmp_path / "none.csv")), "cannot read"),
    ]
    for args, message in cases:
        run = fd(tmp_path, *args)
        assert run.returncode == 2 and message in run.stderr, (args, run.stderr)
        assert "Traceback" not in run.stderr


def test_replay_prints_each_served_ticket_then_the_summary(tmp_path):
    log = tmp_path / "day.csv"
    rows = simulated_day(7, datetime(2026, 11, 24, 9), n=60)
    log.write_text(as_csv(rows), encoding="utf-8")
    run = fd(tmp_path, "replay", str(log), "--jsonl")
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    tickets, summary = lines[:-1], lines[-1]
    assert len(tickets) == sum(r.outcome == "served" for r in rows) == summary["served_tickets"]
    assert set(tickets[0]) == {"ticket", "predicted_wait_s", "low_s", "high_s", "actual_wait_s"}
    assert set(summary["estimate"]) == set(summary["classic"]) == {"mae_s", "inside_range", "mean_range_width_s"}
    text = fd(tmp_path, "replay", str(log)).stdout
    assert "mean absolute error" in text and "error below classic" in text


@pytest.mark.slow
def test_convert_the_bank_log_names_what_it_leaves_out(tmp_path, bank_tsv):
    refused = fd(tmp_path, "log", "convert", str(bank_tsv), "--out", str(tmp_path / "bank.csv"))
    assert refused.returncode == 2 and "bad rows, nothing written" in refused.stderr
    assert not (tmp_path / "bank.csv").exists()
    done = fd(
        tmp_path,
        "log",
        "convert",
        str(bank_tsv),
        "--skip-bad",
        "--out",
        str(tmp_path / "bank.csv"),
        "--rejects",
        str(tmp_path / "rejects.csv"),
    )
    assert done.returncode == 0, done.stderr
    assert "not tickets: 143 rows, PHANTOM" in done.stderr and "skipped:" in done.stderr
    converted = (tmp_path / "bank.csv").read_text(encoding="utf-8").splitlines()
    rejects = (tmp_path / "rejects.csv").read_text(encoding="utf-8").splitlines()
    with open(bank_tsv, encoding="utf-8") as f:
        source_rows = sum(1 for _ in f) - 1
    assert (len(converted) - 1) + (len(rejects) - 1) == source_rows
    customer_ids = set()
    with open(bank_tsv, encoding="utf-8") as f:
        next(f)
        for line in f:
            cid = line.split("\t")[2]
            if cid != "0":
                customer_ids.add(cid)
    pieces = {piece for line in converted for cell in line.split(",") for piece in cell.split("-")}
    assert len(customer_ids) > 1000 and not pieces & customer_ids  # customer ids never leave


def test_replay_skips_bad_rows_by_default_and_refuses_them_when_strict(tmp_path):
    log = tmp_path / "day.csv"
    log.write_text(
        as_csv(simulated_day(4, datetime(2026, 11, 24, 9), n=5)) + "X,CASH,normal,2026-11-24T10:00:00,,,,,served,\n",
        encoding="utf-8",
    )
    run = fd(tmp_path, "replay", str(log), "--jsonl")
    assert run.returncode == 0, run.stderr
    assert "line 7: skipped: a served row needs" in run.stderr
    strict = fd(tmp_path, "replay", str(log), "--strict")
    assert strict.returncode == 2 and "line 7" in strict.stderr
