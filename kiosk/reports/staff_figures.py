"""The report's per-staff figures from the clerks' recorded states (kiosk.core.staffing).

For each staff member over the report's range: time signed in, serving, on a break (and
per reason), in the back office, the share of signed-in time spent serving, and the time
idle while customers waited (signed in, not serving and not on a break, while at least one
ticket waited for a service their counter serves, or was transferred to their counter).
A period still open (a console that is on, or one that stopped without signing out) is
counted until ``cap(started_at)``: now, or the end of its own day if that came first.

>>> from kiosk.core.staffing import StaffPeriod, StaffState as S
>>> from kiosk.store.staff_log import WaitSpan
>>> day = [StaffPeriod(1, "Saraa", S.SIGNED_IN, 0.0, 100.0), StaffPeriod(1, "Saraa", S.SERVING, 100.0, 400.0),
...        StaffPeriod(1, "Saraa", S.ON_BREAK, 400.0, 1000.0, "lunch")]
>>> k = staff_state_figures(day, [WaitSpan(40.0, 100.0, "CASH", None)], lambda c: frozenset({"CASH"}),
...                         0.0, 2000.0, lambda at: 2000.0)["Saraa"]
>>> k["signed_in_s"], k["serving_share"], k["break_s"], k["idle_while_waiting_s"], k["break_by_reason"]
(1000.0, 0.3, 600.0, 60.0, {'lunch': 600.0})
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable

from kiosk.core.staffing import StaffPeriod, StaffState
from kiosk.core.standards import IDLE_STATES
from kiosk.reports.report_shape import StaffStates
from kiosk.store.staff_log import WaitSpan

DEFINITIONS = {
    "signed_in": "a clerk's time from signing in at a console to signing out, breaks included",
    "serving_share": "share of signed-in time with a customer called to or served at the clerk's counter",
    "time_on_break": "time on a break (any reason; per reason in break_by_reason)",
    "idle_while_waiting": (
        "time signed in, not serving and not on a break (at the counter or in the back office) while at"
        " least one ticket waited for a service the clerk's counter serves"
    ),
}
KEYS = ("signed_in_s", "serving_s", "break_s", "back_office_s", "serving_share", "idle_while_waiting_s")


def no_states() -> StaffStates:
    """The state figures of a name with no recorded states (an imported log): unknown, not zero."""
    return StaffStates(
        signed_in_s=None,
        serving_s=None,
        break_s=None,
        back_office_s=None,
        serving_share=None,
        idle_while_waiting_s=None,
        break_by_reason={},
    )


Span = tuple[float, float]


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Overlapping spans joined into disjoint ones, in order."""
    out: list[list[float]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        elif end > start:
            out.append([start, end])
    return [(a, b) for a, b in out]


def _overlap(start: float, end: float, merged: list[Span], starts: list[float]) -> float:
    """Seconds of [start, end) covered by the disjoint ``merged`` spans (``starts``: their starts)."""
    total = 0.0
    i = max(bisect_right(starts, start) - 1, 0)
    while i < len(merged) and merged[i][0] < end:
        a, b = merged[i]
        total += max(0.0, min(b, end) - max(a, start))
        i += 1
    return total


def staff_state_figures(
    periods: list[StaffPeriod],
    waits: list[WaitSpan],
    services_of: Callable[[int], frozenset[str]],
    since: float,
    until: float,
    cap: Callable[[float], float],
) -> dict[str, StaffStates]:
    """Per staff name, the state figures over [since, until) (see the module's definitions)."""
    waiting_for: dict[int, tuple[list[Span], list[float]]] = {}

    def waiting(counter: int) -> tuple[list[Span], list[float]]:
        if counter not in waiting_for:
            served = services_of(counter)
            merged = _merged(
                (w.started_at, w.ended_at if w.ended_at is not None else cap(w.started_at))
                for w in waits
                if (w.counter == counter if w.counter is not None else w.service in served)
            )
            waiting_for[counter] = (merged, [a for a, _ in merged])
        return waiting_for[counter]

    seconds: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(KEYS, 0.0))
    reasons: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for p in periods:
        if p.state is StaffState.SIGNED_OUT:
            continue
        mine = seconds[p.staff]  # listed even when signed in for no time within the range
        start = max(p.started_at, since)
        end = min(p.ended_at if p.ended_at is not None else cap(p.started_at), until)
        if end <= start:
            continue
        mine["signed_in_s"] += end - start
        if p.state is StaffState.SERVING:
            mine["serving_s"] += end - start
        elif p.state is StaffState.ON_BREAK:
            mine["break_s"] += end - start
            reasons[p.staff][p.reason or "unknown"] += end - start
        elif p.state is StaffState.BACK_OFFICE:
            mine["back_office_s"] += end - start
        if p.state in IDLE_STATES:
            mine["idle_while_waiting_s"] += _overlap(start, end, *waiting(p.counter))
    return {name: _rounded(k, reasons.get(name, {})) for name, k in seconds.items()}


def _rounded(k: dict[str, float], reasons: dict[str, float]) -> StaffStates:
    signed = k["signed_in_s"]
    return StaffStates(
        signed_in_s=round(k["signed_in_s"], 1),
        serving_s=round(k["serving_s"], 1),
        break_s=round(k["break_s"], 1),
        back_office_s=round(k["back_office_s"], 1),
        serving_share=round(k["serving_s"] / signed, 3) if signed > 0 else None,
        idle_while_waiting_s=round(k["idle_while_waiting_s"], 1),
        break_by_reason={r: round(s, 1) for r, s in sorted(reasons.items())},
    )
