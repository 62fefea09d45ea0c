"""The speed-of-service standard as a pure function of the live queue and the clock.

>>> from config import load_config
>>> from kiosk.core.model import QueueSnapshot
>>> alerts_in_force(QueueSnapshot(at=0.0, day="2026-11-24"), load_config(None))
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.core.model import Alert, Level, QueueSnapshot, State
from kiosk.core.queue import eligible
from kiosk.core.staffing import StaffState

# What the standard reads of a branch's config (config.schema.BranchConfig has it all): the
# core knows the shape it needs, not the config package.


class ServiceTargets(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def target_wait_s(self) -> int: ...
    @property
    def target_service_s(self) -> int: ...
    @property
    def counters(self) -> Sequence[int]: ...


class StandardLimits(Protocol):
    @property
    def warning_fraction(self) -> float: ...
    @property
    def queue_warning_length(self) -> int: ...
    @property
    def queue_breach_length(self) -> int: ...
    @property
    def untracked_people_margin(self) -> int: ...
    @property
    def idle_while_waiting_s(self) -> int: ...


class BranchStandard(Protocol):
    @property
    def standards(self) -> StandardLimits: ...
    @property
    def services(self) -> Sequence[ServiceTargets]: ...


def level_of(value: float, limit: float, warning_fraction: float) -> Level:
    """WITHIN below the warning line, WARNING from it, BREACH from the limit on."""
    if value >= limit:
        return Level.BREACH
    if value >= warning_fraction * limit:
        return Level.WARNING
    return Level.WITHIN


def alerts_in_force(snapshot: QueueSnapshot, cfg: BranchStandard) -> list[Alert]:
    """Every alert that holds at ``snapshot.at``, most severe first.

    - a ticket waiting past the warning/breach share of its service's target wait;
    - a ticket being served past its service's target service time;
    - more people waiting than the branch's queue thresholds (the camera's count
      when it sees more than the tickets say);
    - more people in line than tickets waiting, beyond a tolerated margin;
    - a counter whose clerk is signed in, not serving and not on a break, while someone
      waits for a service it serves (:func:`idle_while_waiting`).
    """
    std = cfg.standards
    targets = {s.code: s for s in cfg.services}
    now = snapshot.at
    found: list[Alert] = []

    def add(kind: str, subject: str, value: float, limit: float, warning_fraction: float) -> None:
        level = level_of(value, limit, warning_fraction)
        if level is not Level.WITHIN:
            found.append(Alert(kind, subject, level, round(value, 1), float(limit)))

    for live in snapshot.tickets:
        svc = targets.get(live.service)
        if svc is None:
            continue
        if live.state is State.WAITING:
            add("wait", live.ticket.number, now - live.since, svc.target_wait_s, std.warning_fraction)
        elif live.state is State.SERVING:
            add("service_time", live.ticket.number, now - live.since, svc.target_service_s, std.warning_fraction)

    waiting = len(snapshot.in_state(State.WAITING))
    obs = snapshot.observation
    people = max(waiting, obs.people) if obs else waiting
    warn_share = std.queue_warning_length / std.queue_breach_length
    add("queue_length", "branch", people, std.queue_breach_length, warn_share)

    if obs is not None and obs.people - waiting > std.untracked_people_margin:
        found.append(
            Alert("untracked_people", "branch", Level.WARNING, obs.people - waiting, std.untracked_people_margin)
        )

    for counter, idle_s in idle_while_waiting(snapshot, cfg.services).items():
        add("idle_while_waiting", str(counter), idle_s, std.idle_while_waiting_s, std.warning_fraction)

    severity = {Level.BREACH: 0, Level.WARNING: 1}
    return sorted(found, key=lambda a: (severity[a.level], -a.value / max(a.limit, 1.0)))


# a clerk in these states could be calling the next customer (a break is the one sanctioned absence)
IDLE_STATES = (StaffState.SIGNED_IN, StaffState.BACK_OFFICE)


def idle_while_waiting(snapshot: QueueSnapshot, services: Sequence[ServiceTargets]) -> dict[int, float]:
    """Per counter whose clerk is idle (signed in or in the back office) while someone waits for
    it: how long both have been so, from the later of the two starts, the oldest waiting ticket's.

    >>> from kiosk.core.model import LiveTicket, Period, Ticket, Action
    >>> from kiosk.core.staffing import StaffPeriod
    >>> from types import SimpleNamespace as S
    >>> waiting = LiveTicket(Ticket(1, "d", "A001", "A", 1, False, 100.0),
    ...                      Period(1, 0, State.WAITING, Action.ISSUE, 100.0, None, "CASH"))
    >>> snap = QueueSnapshot(at=400.0, day="d", tickets=(waiting,),
    ...                      staff=(StaffPeriod(1, "Saraa", StaffState.SIGNED_IN, 250.0),))
    >>> idle_while_waiting(snap, [S(code="CASH", counters=[1, 2])])
    {1: 150.0}
    """
    found: dict[int, float] = {}
    for clerk in snapshot.staff:
        if clerk.state not in IDLE_STATES:
            continue
        served = frozenset(s.code for s in services if clerk.counter in s.counters)
        waiting = [t.since for t in snapshot.tickets if eligible(t, clerk.counter, served)]
        if waiting:
            found[clerk.counter] = snapshot.at - max(clerk.started_at, min(waiting))
    return found


@dataclass(frozen=True)
class AlertChanges:
    raised: list[Alert]
    cleared: list[Alert]


def diff_alerts(before: list[Alert], after: list[Alert]) -> AlertChanges:
    """What was raised and cleared between two evaluations.

    An alert that moves from warning to breach is cleared at its old level and
    raised at the new one, so the log shows when each level started.
    """
    old = {(a.key, a.level): a for a in before}
    new = {(a.key, a.level): a for a in after}
    return AlertChanges(
        raised=[a for k, a in new.items() if k not in old],
        cleared=[a for k, a in old.items() if k not in new],
    )


def overall_level(alerts: list[Alert]) -> Level:
    """The level the staff light shows: the worst alert in force."""
    levels = {a.level for a in alerts}
    if Level.BREACH in levels:
        return Level.BREACH
    return Level.WARNING if Level.WARNING in levels else Level.WITHIN
