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

# What the standard reads of a branch's config (config.schema.BranchConfig has it all): the
# core knows the shape it needs, not the config package.


class ServiceTargets(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def target_wait_s(self) -> int: ...
    @property
    def target_service_s(self) -> int: ...


class StandardLimits(Protocol):
    @property
    def warning_fraction(self) -> float: ...
    @property
    def queue_warning_length(self) -> int: ...
    @property
    def queue_breach_length(self) -> int: ...
    @property
    def untracked_people_margin(self) -> int: ...


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
    - more people in line than tickets waiting, beyond a tolerated margin.
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

    severity = {Level.BREACH: 0, Level.WARNING: 1}
    return sorted(found, key=lambda a: (severity[a.level], -a.value / max(a.limit, 1.0)))


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
