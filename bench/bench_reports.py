"""Reports benchmark: import, report and replay of the real two weeks, and a report over a
generated year of a busy branch, each beside a plain-Python pass over the same CSV that
computes the same totals (so the ratio is visible). Prints figures; asserts nothing.

    .venv/bin/python bench/bench_reports.py [--tsv PATH] [--year-tickets N]

Goals (issue 6), on SQLite: import of the two weeks <= 2 s, the report over it <= 1 s,
the replay <= 5 s, a report over a year of 300,000 tickets <= 5 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from config import load_config
from kiosk.reports import build_report, import_csv
from kiosk.reports.bank import convert
from kiosk.reports.logformat import HEADER
from kiosk.reports.replay import load_log_rows, replay
from kiosk.store import open_store

REPO = Path(__file__).resolve().parents[1]
BANK_TSV = REPO.parent / "shared" / "queue-logs" / "anonymous_bank_1999_02_01-14.tsv"


def plain_totals(text: str) -> dict:
    """The report's totals and per-service/hour/day figures, straight from the CSV in plain Python."""
    groups: dict[tuple, dict] = defaultdict(lambda: {"n": 0, "abandoned": 0, "waits": [], "services": []})
    for r in csv.DictReader(io.StringIO(text)):
        arrived = datetime.fromisoformat(r["arrived_at"])
        for key in (("all",), ("service", r["service"]), ("hour", arrived.hour), ("day", arrived.date())):
            g = groups[key]
            g["n"] += 1
            if r["outcome"] == "served":
                g["waits"].append((datetime.fromisoformat(r["called_at"]) - arrived).total_seconds())
                g["services"].append(
                    (
                        datetime.fromisoformat(r["service_ended_at"]) - datetime.fromisoformat(r["service_started_at"])
                    ).total_seconds()
                )
            elif r["outcome"] == "abandoned":
                g["abandoned"] += 1
    return {
        key: {
            "arrived": g["n"],
            "served": len(g["waits"]),
            "wait_mean_s": statistics.fmean(g["waits"]) if g["waits"] else None,
            "wait_median_s": statistics.median(g["waits"]) if g["waits"] else None,
            "wait_p90_s": statistics.quantiles(g["waits"], n=10, method="inclusive")[8]
            if len(g["waits"]) > 1
            else None,
            "service_mean_s": statistics.fmean(g["services"]) if g["services"] else None,
            "abandon_rate": g["abandoned"] / g["n"],
        }
        for key, g in groups.items()
    }


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def bank_csv_text(tsv: Path) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    with open(tsv, encoding="utf-8", newline="") as f:
        for c in convert(f):
            if c.row is not None:
                writer.writerow(c.row.cells())
    return out.getvalue()


def busy_year_csv(tickets: int, seed: int = 1) -> str:
    """A year of a busy branch: ~1,000 tickets a working day over four services, six counters."""
    rng = random.Random(seed)
    services = [("CASH", 0.55, 240), ("ACCOUNTS", 0.25, 480), ("LOANS", 0.15, 1100), ("COMPLAINT", 0.05, 700)]
    staff = ["Bold", "Saraa", "Tuya", "Ganaa", "Anu", "Dorj"]
    per_day = max(1, tickets // 300)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    day = datetime(2025, 1, 1, 9)
    made = 0
    fmt = "%Y-%m-%dT%H:%M:%S"
    while made < tickets:
        if day.weekday() < 6:
            t = day
            for i in range(min(per_day, tickets - made)):
                t += timedelta(seconds=rng.randint(5, 60))
                code, _, mean = rng.choices(services, weights=[s[1] for s in services])[0]
                wait = timedelta(seconds=int(rng.expovariate(1 / 420)))
                ticket = f"{code[0]}{i + 1:04d}"
                priority = "priority" if rng.random() < 0.08 else "normal"
                roll = rng.random()
                if roll < 0.07:
                    writer.writerow(
                        [ticket, code, priority, t.strftime(fmt), "", "", "", (t + wait).strftime(fmt), "abandoned", ""]
                    )
                elif roll < 0.09:
                    writer.writerow(
                        [
                            ticket,
                            code,
                            priority,
                            t.strftime(fmt),
                            (t + wait).strftime(fmt),
                            "",
                            "",
                            "",
                            "no_show",
                            rng.choice(staff),
                        ]
                    )
                else:
                    start = t + wait + timedelta(seconds=20)
                    end = start + timedelta(seconds=int(rng.expovariate(1 / mean)) + 30)
                    writer.writerow(
                        [
                            ticket,
                            code,
                            priority,
                            t.strftime(fmt),
                            (t + wait).strftime(fmt),
                            start.strftime(fmt),
                            end.strftime(fmt),
                            "",
                            "served",
                            rng.choice(staff),
                        ]
                    )
                made += 1
        day += timedelta(days=1)
    return out.getvalue()


def line(name: str, seconds: float, goal: float | None, plain: float | None = None, extra: str = "") -> None:
    verdict = "" if goal is None else ("  (goal <= %.0f s: %s)" % (goal, "met" if seconds <= goal else "MISSED"))
    ratio = f"  plain Python {plain:.2f} s, ratio {seconds / plain:.1f}x" if plain else ""
    print(f"{name:<44} {seconds:7.2f} s{verdict}{ratio}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tsv", type=Path, default=BANK_TSV)
    parser.add_argument("--year-tickets", type=int, default=300_000)
    args = parser.parse_args()
    cfg = load_config(None)
    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name)

    if args.tsv.is_file():
        convert_s, text = timed(lambda: bank_csv_text(args.tsv))
        plain_s, plain = timed(lambda: plain_totals(text))
        line("convert the bank TSV to the CSV log", convert_s, None, extra=f"  {text.count(chr(10)) - 1} visits")
        store = open_store(f"sqlite:///{folder / 'bank.sqlite3'}")
        import_s, result = timed(lambda: import_csv(store, cfg, io.StringIO(text)))
        line(f"import the two weeks ({result.added} visits)", import_s, 2, plain_s)
        again_s, _ = timed(lambda: import_csv(store, cfg, io.StringIO(text)))
        line("import the same file again (adds nothing)", again_s, None)
        report_s, report = timed(lambda: build_report(store, cfg, None, None, target_wait_s=60))
        line("report over the two weeks", report_s, 1, plain_s)
        assert report["totals"]["served"] == plain[("all",)]["served"]  # the same totals, or the ratio means nothing
        store.close()
        with open(args.tsv, encoding="utf-8", newline="") as f:
            rows, _, _ = load_log_rows(f, str(args.tsv), skip_bad=True)
        cpu_start = time.process_time()
        replay_s, result = timed(lambda: replay(rows, cfg))
        replay_cpu_s = time.process_time() - cpu_start  # the machine is shared: CPU time beside the wall
        s = result.summary
        line(
            f"replay through the engine ({len(rows)} visits)", replay_s, 5, plain_s, extra=f"  CPU {replay_cpu_s:.2f} s"
        )
        print(
            f"    estimate: MAE {s['estimate']['mae_s']} s, inside {s['estimate']['inside_range']:.1%},"
            f" width {s['estimate']['mean_range_width_s']} s; classic: MAE {s['classic']['mae_s']} s,"
            f" inside {s['classic']['inside_range']:.1%}, width {s['classic']['mean_range_width_s']} s;"
            f" MAE {s['mae_below_classic']:.1%} below classic"
        )
    else:
        print(f"(no real log at {args.tsv}: the two-week figures are skipped)")

    gen_s, year = timed(lambda: busy_year_csv(args.year_tickets))
    line(f"generate a busy year ({args.year_tickets} tickets)", gen_s, None)
    plain_s, plain = timed(lambda: plain_totals(year))
    store = open_store(f"sqlite:///{folder / 'year.sqlite3'}")
    import_s, result = timed(lambda: import_csv(store, cfg, io.StringIO(year)))
    line(f"import the year ({result.added} visits)", import_s, None, plain_s)
    report_s, report = timed(lambda: build_report(store, cfg, None, None))
    line("report over the year", report_s, 5, plain_s)
    assert report["totals"]["served"] == plain[("all",)]["served"]
    store.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
