"""The report's figures, checked against computations written independently in this test."""

import csv
import json
import statistics
from collections import defaultdict
from datetime import date

import pytest

from kiosk.core.model import Action, QueueObservation
from kiosk.reports import build_report, import_csv
from kiosk.reports.html import report_html
from kiosk.reports.render import report_csv
from tests.reports.conftest import serve_visit

FIGURES = (
    "arrived",
    "served",
    "abandoned",
    "no_show",
    "wait_mean_s",
    "wait_median_s",
    "wait_p90_s",
    "service_mean_s",
    "service_level",
    "abandon_rate",
)


def secs(hms: str) -> int:
    h, m, s = hms.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def bank_visits_by_hand(path):
    """The README's mapping done again with plain seconds-of-day arithmetic, bad rows left out."""
    visits = []
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["outcome"] == "PHANTOM":
                continue
            queued = r["q_start"] != "0:00:00"
            if r["outcome"] == "HANG" and not queued:
                continue
            arrive = secs(r["q_start"]) if queued else secs(r["vru_exit"])
            leave_queue = secs(r["q_exit"]) if queued else arrive
            if leave_queue < arrive:
                continue
            day = f"19{r['date'][:2]}-{r['date'][2:4]}-{r['date'][4:]}"
            v = {
                "day": day,
                "hour": arrive // 3600,
                "service": r["type"],
                "staff": None,
                "wait": None,
                "service_s": None,
            }
            s0, s1 = secs(r["ser_start"]), secs(r["ser_exit"])
            if r["outcome"] == "HANG":
                if s0 or s1:
                    continue
                v["outcome"] = "abandoned"
            else:
                if not (s0 or s1) or s1 <= s0 or leave_queue - s0 > 5 or s1 <= max(s0, leave_queue):
                    continue
                v.update(
                    outcome="served",
                    wait=leave_queue - arrive,
                    service_s=s1 - max(s0, leave_queue),
                    staff=None if r["server"] == "NO_SERVER" else r["server"],
                )
            visits.append(v)
    return visits


def figures_by_hand(visits, target):
    waits = [v["wait"] for v in visits if v["outcome"] == "served"]
    services = [v["service_s"] for v in visits if v["outcome"] == "served"]
    n = len(visits)
    return {
        "arrived": n,
        "served": len(waits),
        "abandoned": sum(v["outcome"] == "abandoned" for v in visits),
        "no_show": 0,
        "wait_mean_s": round(statistics.fmean(waits), 1) if waits else None,
        "wait_median_s": round(statistics.median(waits), 1) if waits else None,
        "wait_p90_s": round(statistics.quantiles(waits, n=10, method="inclusive")[8], 1) if len(waits) > 1 else None,
        "service_mean_s": round(statistics.fmean(services), 1) if services else None,
        "service_level": round(sum(w <= target for w in waits) / len(waits), 3) if waits else None,
        "abandon_rate": round(sum(v["outcome"] == "abandoned" for v in visits) / n, 3),
    }


@pytest.fixture(scope="module")
def bank_report(bank_csv, tmp_path_factory):
    from config import load_config
    from kiosk.store import open_store

    cfg = load_config(None)
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('report') / 'bank.sqlite3'}")
    with open(bank_csv, encoding="utf-8", newline="") as f:
        import_csv(store, cfg, f)
    yield store, cfg, build_report(store, cfg, None, None, target_wait_s=60)
    store.close()


@pytest.mark.slow
def test_the_real_two_weeks_match_an_independent_computation(bank_report, bank_tsv):
    _, _, report = bank_report
    visits = bank_visits_by_hand(bank_tsv)
    assert {k: report["totals"][k] for k in FIGURES} == figures_by_hand(visits, 60)
    groups = {"by_service": "service", "by_staff": "staff"}
    for key, field in groups.items():
        split = defaultdict(list)
        for v in visits:
            if v[field]:
                split[v[field]].append(v)
        assert set(report[key]) == set(split)
        for name, group in split.items():
            assert {k: report[key][name][k] for k in FIGURES} == figures_by_hand(group, 60), (key, name)
    for key, field in (("by_hour", "hour"), ("by_day", "day")):
        split = defaultdict(list)
        for v in visits:
            split[v[field]].append(v)
        assert [k[field] for k in report[key]] == sorted(split)
        for k in report[key]:
            assert {f: k[f] for f in FIGURES} == figures_by_hand(split[k[field]], 60), (key, k[field])


def test_a_date_range_keeps_only_its_days(bank_report):
    store, cfg, whole = bank_report
    week = build_report(store, cfg, date(1999, 2, 8), date(1999, 2, 14), target_wait_s=60)
    assert [d["day"] for d in week["by_day"]] == [f"1999-02-{d:02d}" for d in range(8, 15)]
    assert week["totals"]["arrived"] == sum(d["arrived"] for d in whole["by_day"] if d["day"] >= "1999-02-08")


def test_a_branch_day_with_ratings_no_shows_breaches_and_the_camera(engine, clock, store, cfg):
    waits = []
    for service, wait, service_s, rating in [("CASH", 60, 100, 5), ("CASH", 700, 200, 2), ("LOANS", 1300, 600, None)]:
        serve_visit(engine, clock, service, wait, service_s, rating)
        waits.append(wait)
    gone = engine.issue("CASH")
    engine.tick()
    clock.advance(650)  # past CASH's 600 s target: a breach is logged
    engine.tick()
    engine.act(gone.ticket.number, Action.WALK_AWAY)
    engine.tick()
    absent = engine.issue("ACCOUNTS")
    engine.call(absent.ticket.number, counter=2, staff="Saraa")
    engine.act(absent.ticket.number, Action.NO_SHOW)
    for k in range(4):
        engine.observe(QueueObservation(at=clock.now + k, people=2 + k))

    report = build_report(store, cfg, None, None)
    t = report["totals"]
    assert (t["arrived"], t["served"], t["abandoned"], t["no_show"]) == (5, 3, 1, 1)
    assert t["wait_mean_s"] == round(sum(waits) / 3, 1) and t["wait_median_s"] == 700.0
    assert t["wait_p90_s"] == 1180.0  # 700 + 0.8 * (1300 - 700)
    assert t["service_mean_s"] == 300.0
    # each service's own target: CASH 600 s (60 in, 700 out), LOANS 1200 s (1300 out)
    assert t["service_level"] == round(1 / 3, 3)
    assert report["by_service"]["CASH"]["service_level"] == 0.5
    assert t["abandon_rate"] == 0.2 and t["no_show_rate"] == 0.2
    assert t["rating_mean"] == 3.5 and "rating_mean" not in report["by_service"]["LOANS"]
    assert report["by_staff"]["Bold"]["served"] == 3 and report["by_staff"]["Saraa"]["no_show"] == 1
    assert all(b["level"] == "breach" for b in report["breaches"])
    assert {"kind": "wait", "subject": gone.ticket.number} in [
        {"kind": b["kind"], "subject": b["subject"]} for b in report["breaches"]
    ]
    [quarter] = report["queue_length"]
    assert (quarter["people_max"], quarter["people_mean"], quarter["observations"]) == (5, 3.5, 4)
    json.dumps(report)  # JSON-ready all through
    assert report_csv(report).splitlines()[1].startswith("totals,all,5,3,1,1,")
    one = build_report(store, cfg, None, None, target_wait_s=800)
    assert one["totals"]["service_level"] == round(2 / 3, 3) and one["targets"]["LOANS"] == 800


def test_the_html_page_is_self_contained_and_shows_every_part(bank_report):
    store, cfg, report = bank_report
    page = report_html(report)
    lowered = page.lower()
    for forbidden in ("<script", "<link", "<img", "@import", "url("):
        assert forbidden not in lowered
    assert lowered.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0
    assert page.count("<svg") == 3  # waits by hour, weekday x hour, service level (no camera in this log)
    for part in ("Waiting by hour", "weekday × hour", "Service level per service", "Breaches", "Definitions"):
        assert part in page
    assert f"{report['totals']['arrived']:,}" in page
