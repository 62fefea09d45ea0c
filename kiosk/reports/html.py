"""The report as one printable HTML page (A4), charts as inline SVG, nothing fetched.

>>> from kiosk.reports.figures import figures
>>> k = figures([])
>>> page = report_html({"branch": "B", "from": None, "to": None, "timezone": "UTC", "definitions": {},
...     "targets": {}, "totals": k, "by_service": {}, "by_hour": [], "by_day": [], "by_staff": {},
...     "by_weekday_hour": [], "queue_length": [], "breaches": []})
>>> page.startswith("<!DOCTYPE html>") and "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
True
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from kiosk.reports import svg
from kiosk.reports.report import WEEKDAYS
from kiosk.reports.report_shape import Report

MAX_BREACH_ROWS = 8
MAX_STAFF_ROWS = 8

_CSS = """
@page { size: A4 portrait; margin: 9mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica", "Arial", sans-serif; color: #1f2933; margin: 0; font-size: 9pt; }
.page { width: 192mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 1mm 0; }
h2 { font-size: 10pt; margin: 3mm 0 1mm 0; border-bottom: 1px solid #d9dde3; padding-bottom: 0.5mm; }
.sub { color: #52606d; margin-bottom: 2mm; }
.tiles { display: flex; gap: 2mm; margin: 2mm 0; }
.tile { flex: 1; border: 1px solid #d9dde3; border-radius: 2mm; padding: 1.5mm 2mm; }
.tile .v { font-size: 13pt; font-weight: bold; white-space: nowrap; }
.tile .l { color: #52606d; font-size: 7.5pt; }
.tile.bad .v { color: #c23030; } .tile.ok .v { color: #2d7a46; }
.grid { display: grid; grid-template-columns: 1fr 1fr; column-gap: 5mm; }
table { border-collapse: collapse; width: 100%; font-size: 7.5pt; }
th, td { padding: 0.6mm 1.2mm; text-align: right; border-bottom: 1px solid #eef0f2; }
th:first-child, td:first-child { text-align: left; }
th { color: #52606d; font-weight: normal; }
td.bad { color: #c23030; font-weight: bold; }
.breaches td { white-space: nowrap; }
.note { color: #52606d; font-size: 7pt; }
.defs { font-size: 7pt; color: #3e4c59; columns: 2; column-gap: 5mm; }
.defs div { break-inside: avoid; }
svg { display: block; }
"""


def _n(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 3600 * 1.5:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def _tile(label: str, value: str, tone: str = "") -> str:
    return f'<div class="tile {tone}"><div class="v">{escape(value)}</div><div class="l">{escape(label)}</div></div>'


def _service_table(report: Report) -> str:
    rows = []
    for code, k in report["by_service"].items():
        target = report["targets"].get(code)
        sl = k["service_level"]
        tone = ' class="bad"' if sl is not None and sl < 0.8 else ""
        rows.append(
            f"<tr><td>{escape(code)}</td><td>{_n(k['arrived'])}</td><td>{_n(k['served'])}</td>"
            f"<td>{_pct(k['abandon_rate'])}</td><td>{_n(k.get('closed_at_end_of_day'))}</td>"
            f"<td>{_duration(k['wait_mean_s'])}</td>"
            f"<td>{_duration(k['wait_median_s'])}</td><td>{_duration(k['wait_p90_s'])}</td>"
            f"<td>{_duration(k['service_mean_s'])}</td><td>{_duration(target)}</td><td{tone}>{_pct(sl)}</td></tr>"
        )
    head = (
        "<tr><th>service</th><th>arrived</th><th>served</th><th>gave up</th><th>open at closing</th><th>wait mean</th>"
        "<th>median</th><th>p90</th><th>service</th><th>target</th><th>level</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def _staff_table(report: Report) -> str:
    staff = sorted(report["by_staff"].items(), key=lambda kv: -kv[1]["served"])
    rows = [
        f"<tr><td>{escape(name)}</td><td>{_n(k['served'])}</td><td>{_duration(k['service_mean_s'])}</td>"
        f"<td>{_duration(k['wait_mean_s'])}</td><td>{_n(k.get('rating_mean'), 1)}</td>"
        f"<td>{_duration(k.get('signed_in_s'))}</td><td>{_pct(k.get('serving_share'))}</td>"
        f"<td>{_duration(k.get('break_s'))}</td>{_idle_cell(k.get('idle_while_waiting_s'))}</tr>"
        for name, k in staff[:MAX_STAFF_ROWS]
    ]
    more = len(staff) - MAX_STAFF_ROWS
    note = f'<p class="note">and {more} more staff members (see the CSV or JSON report)</p>' if more > 0 else ""
    head = (
        "<tr><th>staff</th><th>served</th><th>service mean</th><th>their customers' wait</th><th>rating</th>"
        "<th>signed in</th><th>serving</th><th>on break</th><th>idle while customers waited</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>{note}" if rows else '<p class="note">no staff recorded</p>'


def _idle_cell(seconds: float | None) -> str:
    """Idle time while customers waited, in red from a minute on."""
    tone = ' class="bad"' if seconds is not None and seconds >= 60 else ""
    return f"<td{tone}>{_duration(seconds)}</td>"


def _breaches(report: Report) -> str:
    breaches = report["breaches"]
    if not breaches:
        return '<p class="note">No breach of the standard was logged in this period.</p>'
    kinds = {
        "wait": "waited",
        "service_time": "served for",
        "queue_length": "queue of",
        "untracked_people": "untracked",
        "idle_while_waiting": "counter idle while customers waited",
    }
    shown = sorted(breaches, key=lambda b: -(b["value"] / max(b["limit"], 1.0)))[:MAX_BREACH_ROWS]
    rows = []
    for b in sorted(shown, key=lambda b: b["raised_at"]):
        unit = "people" if b["kind"] in ("queue_length", "untracked_people") else "s"
        value = f"{b['value']:g} {unit}" if unit == "people" else _duration(b["value"])
        limit = f"{b['limit']:g} {unit}" if unit == "people" else _duration(b["limit"])
        raised = datetime.fromisoformat(b["raised_at"])
        subject = f"counter {b['subject']}" if b["kind"] == "idle_while_waiting" else b["subject"]
        rows.append(
            f"<tr><td>{WEEKDAYS[raised.weekday()]} {raised:%d.%m %H:%M}</td><td>{escape(subject)}</td>"
            f"<td>{kinds.get(b['kind'], escape(b['kind']))} {value}</td><td>{limit}</td>"
            f"<td>{_duration(b['duration_s'])}</td></tr>"
        )
    more = len(breaches) - len(shown)
    note = (
        (
            f'<p class="note">{len(breaches)} breaches in all; the {len(shown)} worst are shown'
            f" (all are in the JSON and CSV report).</p>"
        )
        if more > 0
        else ""
    )
    head = "<tr><th>raised</th><th>ticket</th><th>what</th><th>limit</th><th>lasted</th></tr>"
    return f'<table class="breaches">{head}{"".join(rows)}</table>{note}'


def _breach_log(report: Report) -> str:
    """Each breach with when it was raised, acknowledged (at which counter) and cleared."""
    log = report.get("breach_log", [])
    if not log:
        return '<p class="note">No breach of the standard was logged in this period.</p>'

    def when(text: str | None) -> str:
        return f"{datetime.fromisoformat(text):%d.%m %H:%M:%S}" if text else "not yet"

    rows = []
    for b in log[-MAX_BREACH_ROWS:]:
        by = b["acknowledged_by_counter"]
        acked = f"{when(b['acknowledged_at'])} (counter {by})" if by is not None else "not acknowledged"
        late = _duration(b["to_acknowledge_s"]) if b["to_acknowledge_s"] is not None else ""
        rows.append(
            f"<tr><td>{escape(b['subject'])}</td><td>{escape(b['kind'].replace('_', ' '))}</td>"
            f"<td>{when(b['raised_at'])}</td><td>{acked}</td><td>{late}</td><td>{when(b['cleared_at'])}</td></tr>"
        )
    acknowledged = sum(1 for b in log if b["acknowledged_at"] is not None)
    note = f'<p class="note">{len(log)} breaches, {acknowledged} acknowledged'
    note += (
        f"; the latest {MAX_BREACH_ROWS} are shown (all are in the JSON report).</p>"
        if len(log) > MAX_BREACH_ROWS
        else ".</p>"
    )
    head = (
        "<tr><th>ticket or service</th><th>standard</th><th>raised</th><th>acknowledged</th>"
        "<th>after</th><th>cleared</th></tr>"
    )
    return f'<table class="breaches">{head}{"".join(rows)}</table>{note}'


def report_html(report: Report) -> str:
    """The whole page; print it from any browser (A4 portrait, one page)."""
    t = report["totals"]
    period = f"{report['from']} to {report['to']}" if report["from"] else "no visits recorded yet"
    sl = t["service_level"]
    tiles = "".join(
        [
            _tile("customers", _n(t["arrived"])),
            _tile("served", _n(t["served"])),
            _tile("service level (wait within target)", _pct(sl), "" if sl is None else ("ok" if sl >= 0.8 else "bad")),
            _tile("median wait", _duration(t["wait_median_s"])),
            _tile("9 in 10 waited at most", _duration(t["wait_p90_s"])),
            _tile("gave up waiting", _pct(t["abandon_rate"]), "bad" if (t["abandon_rate"] or 0) > 0.1 else ""),
            _tile("rating (1-5)", _n(t.get("rating_mean"), 1)) if "rating_mean" in t else "",
            # tickets the branch's closing closed: a clerk's open ticket, or customers sent home
            _tile("closed at end of day", _n(t["closed_at_end_of_day"]), "bad")
            if t.get("closed_at_end_of_day")
            else "",
        ]
    )
    targets = {v for v in report["targets"].values() if v is not None}
    one_target = targets.pop() if len(targets) == 1 else None
    hours = report["by_hour"]
    by_hour = {k["hour"]: k for k in hours}
    span = range(min(by_hour), max(by_hour) + 1) if by_hour else range(0)  # quiet hours stay visible as gaps
    wait_chart = svg.bar_chart(
        [
            (
                str(h),
                by_hour[h]["wait_mean_s"] if h in by_hour else None,
                by_hour[h]["wait_p90_s"] if h in by_hour else None,
            )
            for h in span
        ],
        "s",
        one_target,
    )
    cells = {(k["weekday"], k["hour"]): k["wait_mean_s"] for k in report["by_weekday_hour"]}
    days = [d for d in WEEKDAYS if any(k["weekday"] == d for k in report["by_weekday_hour"])]
    heat_hours = list(span)
    longest = max((v for v in cells.values() if v is not None), default=0.0)
    heat_unit, heat_scale = ("minutes", 60.0) if longest >= 300 else ("seconds", 1.0)
    heat = svg.heat_map(cells, days, heat_hours, scale=heat_scale) if days else '<p class="note">no visits</p>'
    levels = svg.level_bars([(code, k["service_level"]) for code, k in report["by_service"].items()])
    camera = report["queue_length"]
    camera_block = (
        f"<h2>People in line over the day (camera, mean per quarter hour; band: most seen)</h2>"
        f"{svg.line_chart([(p['time'], p['people_mean'], p['people_max']) for p in camera], width=720, height=110)}"
        if camera
        else ""
    )
    target_note = (
        "dashed line: the target wait; red bars: mean wait over it" if one_target else "one target per service"
    )
    definitions = "".join(
        f"<div><b>{escape(k.replace('_', ' '))}:</b> {escape(v)}</div>" for k, v in report["definitions"].items()
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Speed of service: {escape(report["branch"])}</title>
<style>{_CSS}</style></head>
<body><div class="page">
<h1>Speed of service: {escape(report["branch"])}</h1>
<div class="sub">{escape(period)} · times in {escape(report["timezone"])}</div>
<div class="tiles">{tiles}</div>
<div class="grid">
<div><h2>Waiting by hour of arrival (bar: mean; tick: 9 in 10 waited less)</h2>{wait_chart}
<p class="note">{target_note}</p></div>
<div><h2>Mean wait in {heat_unit}, weekday × hour</h2>{heat}</div>
</div>
<div class="grid">
<div><h2>Service level per service</h2>{levels}</div>
<div><h2>Breaches of the standard</h2>{_breaches(report)}</div>
</div>
{camera_block}
<h2>By service</h2>{_service_table(report)}
<h2>Who served (most customers first)</h2>{_staff_table(report)}
<h2>Breaches: raised, acknowledged, cleared</h2>{_breach_log(report)}
<h2>Definitions</h2><div class="defs">{definitions}</div>
</div></body></html>
"""
