"""Replay a queue log through the engine, as if live, and score its wait estimates.

Every visit of the log becomes the engine calls a branch would have made, at the
moments the log says, on a scratch database: ``issue`` at arrival (the engine
estimates the wait there, from what it knows at that moment only), ``call`` at
the call, ``start``, ``finish``, ``walk-away``, ``no-show``. History accumulates
as it goes, so the estimator learns only from the past. Then every served ticket's
estimate is set beside its actual wait, and beside the classic estimate
(people ahead x mean recent service time / staff serving) made at the same moment.

The replay branch is the configured one (time zone, priority rule, targets of the
services it knows) with the log's services and one counter per staff member.

    rows, bad, not_tickets = load_log_rows(open("log.csv"), "log.csv", skip_bad=False)
    result = replay(rows, load_config(None))
    result.summary["estimate"]["mae_s"], result.summary["classic"]["mae_s"]
"""

from __future__ import annotations

import heapq
import string
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from math import fsum
from typing import TextIO, TypedDict
from zoneinfo import ZoneInfo

from config.schema import BranchConfig
from kiosk.core.model import Action
from kiosk.engine import Engine
from kiosk.errors import UsageError
from kiosk.reports import bank
from kiosk.reports.logformat import BadRow, LogRow
from kiosk.reports.logio import LocalToPosix, bad_rows_message, checked_rows, read_log
from kiosk.store import estimate_log, open_store

SCRATCH_DB = "sqlite:///:memory:"
DEFAULT_TARGET_WAIT_S = 600  # for services of the log the branch does not offer
DEFAULT_TARGET_SERVICE_S = 600


@dataclass(frozen=True)
class Prediction:
    ticket: str
    predicted_wait_s: float
    low_s: float
    high_s: float
    actual_wait_s: float
    classic_s: float
    classic_low_s: float
    classic_high_s: float

    def as_json(self) -> dict[str, str | float]:
        return {
            "ticket": self.ticket,
            "predicted_wait_s": round(self.predicted_wait_s, 1),
            "low_s": round(self.low_s, 1),
            "high_s": round(self.high_s, 1),
            "actual_wait_s": round(self.actual_wait_s, 1),
        }


class Score(TypedDict):
    """How close one estimator came; None where no ticket was scored."""

    mae_s: float | None
    inside_range: float | None
    mean_range_width_s: float | None


class Summary(TypedDict):
    """The replay's last JSON line: the scores of both estimators over the served tickets."""

    summary: bool
    served_tickets: int
    actual_wait_mean_s: float | None
    actual_wait_median_s: float | None
    estimate: Score
    classic: Score
    mae_below_classic: float | None


@dataclass
class ReplayResult:
    predictions: list[Prediction]
    summary: Summary


def load_log_rows(
    source: TextIO, name: str, skip_bad: bool
) -> tuple[list[LogRow], list[tuple[int, str]], Counter[str]]:
    """The visits of a CSV log or an Anonymous Bank TSV; (rows, bad rows, contacts that are not tickets).

    Bad rows refuse the log (UsageError listing them) unless ``skip_bad``.
    """
    first = source.readline()
    source.seek(0)
    rows: list[LogRow] = []
    bad: list[tuple[int, str]] = []
    not_tickets: Counter[str] = Counter()
    numbered: Iterable[tuple[int, LogRow | BadRow]]
    if bank.is_bank_log(first):
        converted: list[tuple[int, LogRow | BadRow]] = []
        try:
            for c in bank.convert(source):
                if c.not_ticket is not None:
                    not_tickets[c.not_ticket] += 1
                else:
                    converted.append((c.line, c.row if c.row is not None else BadRow(c.bad)))
        except BadRow as err:
            raise UsageError(f"{name}: {err}") from None
        numbered = converted
    else:
        numbered = read_log(source)
    for line, row in checked_rows(numbered):
        if isinstance(row, LogRow) and _last_time(row).date() != row.arrived_at.date():
            row = BadRow("the visit runs past midnight; the engine closes a day's queue at midnight")
        if isinstance(row, LogRow):
            rows.append(row)
        else:
            bad.append((line, str(row)))
    if bad and not skip_bad:
        raise UsageError(bad_rows_message(name, bad, "nothing replayed; fix them or use --skip-bad"))
    if not rows:  # a branch needs at least one service, and an empty replay would prove nothing
        raise UsageError(f"{name}: no visit to replay (the file holds no ticket rows that can be used)")
    return rows, bad, not_tickets


def replay_config(cfg: BranchConfig, rows: list[LogRow]) -> tuple[BranchConfig, dict[str | None, int]]:
    """The configured branch with the log's services and one counter per staff member."""
    staff = sorted({r.staff for r in rows if r.staff})
    counter_of: dict[str | None, int] = {name: i + 1 for i, name in enumerate(staff)}
    counter_of[None] = len(staff) + 1  # calls the log does not attribute to anyone
    counters = [{"number": n, "name": name or "unknown"} for name, n in counter_of.items()]
    numbers = list(counter_of.values())
    known = {s.code: s for s in cfg.services}
    codes = sorted({r.service for r in rows})
    taken = {known[c].prefix for c in codes if c in known}
    free_letters = [p for p in string.ascii_uppercase if p not in taken]
    services = []
    for code in codes:
        svc = known.get(code)
        if svc is None and not free_letters:
            raise UsageError(f"the log has more than {len(string.ascii_uppercase)} services; cannot number them")
        services.append(
            {
                "code": code,
                "prefix": svc.prefix if svc else free_letters.pop(0),
                "names": {lang: (svc.names.get(lang, code) if svc else code) for lang in cfg.branch.languages},
                "target_wait_s": svc.target_wait_s if svc else DEFAULT_TARGET_WAIT_S,
                "target_service_s": svc.target_service_s if svc else DEFAULT_TARGET_SERVICE_S,
                "counters": numbers,
            }
        )
    data = cfg.model_dump()
    data.update(services=services, counters=counters, devices={}, camera={"enabled": False})
    return BranchConfig.model_validate(data), counter_of


# Within one instant: a counter is freed and a walk-away leaves before a new arrival is
# estimated; a ticket's own steps always follow one another (see _steps).
_RANK = {"finish": 0, "walk_away": 1, "no_show": 1, "close_day": 1, "issue": 2, "call": 3, "start": 4}


_ACTION_OF_STEP = {
    "start": Action.START,
    "finish": Action.FINISH,
    "walk_away": Action.WALK_AWAY,
    "no_show": Action.NO_SHOW,
    "close_day": Action.CLOSE_DAY,
}


def _last_time(row: LogRow) -> datetime:
    return row.service_ended_at or row.left_at or row.called_at or row.arrived_at


def _recorded(at: datetime | None) -> datetime:
    """A time the row's outcome implies; ``checked_rows`` refuses a row that lacks one."""
    assert at is not None, "a checked row holds every time its outcome needs"
    return at


def _steps(row: LogRow, at: LocalToPosix) -> list[tuple[float, str]]:
    if row.outcome == "served":
        return [
            (at(row.arrived_at), "issue"),
            (at(_recorded(row.called_at)), "call"),
            (at(_recorded(row.service_started_at)), "start"),
            (at(_recorded(row.service_ended_at)), "finish"),
        ]
    if row.outcome == "abandoned":
        return [(at(row.arrived_at), "issue"), (at(_recorded(row.left_at)), "walk_away")]
    if row.outcome == "closed_at_end_of_day":  # as far as it got, then the branch's closing
        steps = [(at(row.arrived_at), "issue")]
        steps += [(at(t), kind) for t, kind in ((row.called_at, "call"), (row.service_started_at, "start")) if t]
        return [*steps, (at(_recorded(row.left_at)), "close_day")]
    called = at(_recorded(row.called_at))
    return [(at(row.arrived_at), "issue"), (called, "call"), (called, "no_show")]


def _in_time_order(chains: list[list[tuple[float, str]]]) -> Iterator[tuple[float, int, str]]:
    """Every step of every visit as (time, visit, kind), ordered by (time, rank, visit, step).

    A visit's next step joins the queue only once its step before is taken, so a visit's own
    steps never reorder (a start and a finish in the same second). Arrivals are sorted once;
    the heap holds only the next step of the visits under way, a few dozen, not every visit.
    """
    arrivals = sorted((steps[0][0], _RANK[steps[0][1]], i, 0) for i, steps in enumerate(chains))
    under_way: list[tuple[float, int, int, int]] = []
    k = 0
    while k < len(arrivals) or under_way:
        if under_way and (k == len(arrivals) or under_way[0] < arrivals[k]):
            at, _, i, step = heapq.heappop(under_way)
        else:
            at, _, i, step = arrivals[k]
            k += 1
        yield at, i, chains[i][step][1]
        if step + 1 < len(chains[i]):
            nxt_at, nxt_kind = chains[i][step + 1]
            heapq.heappush(under_way, (nxt_at, _RANK[nxt_kind], i, step + 1))


def replay(rows: list[LogRow], cfg: BranchConfig, db_url: str | None = None) -> ReplayResult:
    """Run the log's visits through a real engine on a scratch database; score the estimates."""
    branch, counter_of = replay_config(cfg, rows)
    tz = ZoneInfo(branch.branch.timezone)
    store = open_store(db_url or SCRATCH_DB, scratch=True)  # a throw-away database: no waiting for the disk
    with store.transaction(lock=False):
        if store.value("SELECT COUNT(*) FROM ticket"):
            raise UsageError(f"{db_url}: a replay needs an empty database (it writes a whole log into it)")
    now = [0.0]
    engine = Engine(branch, store, clock=lambda: now[0])

    posix_of = LocalToPosix(tz)  # the offset looked up once per local hour
    chains = [_steps(row, posix_of) for row in rows]
    number_of: dict[int, str] = {}
    ticket_of_id: dict[int, int] = {}
    for at, i, kind in _in_time_order(chains):
        row = rows[i]
        now[0] = at
        if kind == "issue":
            issued = engine.issue(row.service, priority=row.priority)
            number_of[i] = issued.ticket.number
            ticket_of_id[issued.ticket.id] = i
        elif kind == "call":
            engine.call(number_of[i], counter_of[row.staff], staff=row.staff)
        else:
            engine.act(number_of[i], _ACTION_OF_STEP[kind])

    predictions = []
    for ticket_id, shown in sorted(estimate_log.shown_estimates(store).items()):
        row = rows[ticket_of_id[ticket_id]]
        if row.outcome != "served":
            continue
        assert shown.actual_wait_s is not None, "a served ticket was called"
        predictions.append(
            Prediction(
                row.ticket,
                shown.shown.point_s,
                shown.shown.low_s,
                shown.shown.high_s,
                shown.actual_wait_s,
                shown.classic.point_s,
                shown.classic.low_s,
                shown.classic.high_s,
            )
        )
    store.close()
    return ReplayResult(predictions, summarise(predictions))


def _score(pairs: list[tuple[float, float, float, float]]) -> Score:
    """MAE, share inside the range and mean range width of (point, low, high, actual)."""
    n = len(pairs)
    if not n:
        return {"mae_s": None, "inside_range": None, "mean_range_width_s": None}
    return {
        "mae_s": round(fsum(abs(p - a) for p, _, _, a in pairs) / n, 2),
        "inside_range": round(sum(lo <= a <= hi for _, lo, hi, a in pairs) / n, 4),
        "mean_range_width_s": round(fsum(hi - lo for _, lo, hi, _ in pairs) / n, 2),
    }


def summarise(predictions: list[Prediction]) -> Summary:
    est = _score([(p.predicted_wait_s, p.low_s, p.high_s, p.actual_wait_s) for p in predictions])
    classic = _score([(p.classic_s, p.classic_low_s, p.classic_high_s, p.actual_wait_s) for p in predictions])
    gain = (1 - est["mae_s"] / classic["mae_s"]) if est["mae_s"] is not None and classic["mae_s"] else None
    waits = sorted(p.actual_wait_s for p in predictions)
    return {
        "summary": True,
        "served_tickets": len(predictions),
        "actual_wait_mean_s": round(fsum(waits) / len(waits), 2) if waits else None,
        "actual_wait_median_s": waits[len(waits) // 2] if waits else None,
        "estimate": est,
        "classic": classic,
        "mae_below_classic": round(gain, 4) if gain is not None else None,
    }


def summary_text(summary: Summary) -> str:
    e, c = summary["estimate"], summary["classic"]

    def fmt(value: float | None, pct: bool = False) -> str:
        if value is None:
            return "–"
        return f"{value * 100:.1f} %" if pct else f"{value:.1f} s"

    gain = summary["mae_below_classic"]
    return "\n".join(
        [
            f"served tickets scored: {summary['served_tickets']}",
            f"{'':28}{'estimate':>12}{'classic':>12}",
            f"{'mean absolute error':28}{fmt(e['mae_s']):>12}{fmt(c['mae_s']):>12}",
            f"{'actual wait inside range':28}{fmt(e['inside_range'], True):>12}{fmt(c['inside_range'], True):>12}",
            f"{'mean range width':28}{fmt(e['mean_range_width_s']):>12}{fmt(c['mean_range_width_s']):>12}",
            f"error below classic: {fmt(gain, True)}",
        ]
    )
