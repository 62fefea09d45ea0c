"""Typed values that cross the core's seams.

Times are POSIX seconds (floats, UTC); adapters convert at the edges. A ticket's
history is a list of :class:`Period` rows, one per state it was in, the way the
Service BC customer-flow system records it: a re-queue or a hold is just more
periods, never a special column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from kiosk.core.staffing import StaffPeriod


class State(str, Enum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    ON_HOLD = "on_hold"
    DONE = "done"
    NO_SHOW = "no_show"
    WALKED_AWAY = "walked_away"
    CLOSED_AT_END_OF_DAY = "closed_at_end_of_day"  # still open when the branch closed (kiosk.core.closing)

    @property
    def terminal(self) -> bool:
        return self in _TERMINAL


# a set, not a tuple of members: asked for every period a transition closes or opens
_TERMINAL = frozenset({State.DONE, State.NO_SHOW, State.WALKED_AWAY, State.CLOSED_AT_END_OF_DAY})


class Action(str, Enum):
    """What opened a period: the verb a clerk, the kiosk or the camera used."""

    ISSUE = "issue"
    CALL = "call"
    RECALL = "recall"
    START = "start"
    HOLD = "hold"
    FINISH = "finish"
    NO_SHOW = "no_show"
    WALK_AWAY = "walk_away"
    TRANSFER = "transfer"
    CLOSE_DAY = "close_day"  # the branch's closing, not a clerk's tap


class Level(str, Enum):
    """Where a measure stands against the speed-of-service standard."""

    WITHIN = "within"
    WARNING = "warning"
    BREACH = "breach"


@dataclass(frozen=True, slots=True)
class Period:
    """One state of one ticket, from ``started_at`` until ``ended_at`` (None: still in it)."""

    ticket_id: int
    seq: int
    state: State
    action: Action
    started_at: float
    ended_at: float | None
    service: str
    counter: int | None = None
    staff: str | None = None


@dataclass(frozen=True, slots=True)
class Ticket:
    """A visit as issued: the number shown to the customer never changes."""

    id: int
    day: str  # branch-local ISO date the number belongs to
    number: str  # "A001"
    prefix: str
    seq: int
    priority: bool
    issued_at: float
    language: str | None = None


@dataclass(frozen=True, slots=True)
class LiveTicket:
    """A ticket that is not finished, as the live queue sees it."""

    ticket: Ticket
    period: Period  # the open period: its state, service, counter and since when

    @property
    def state(self) -> State:
        return self.period.state

    @property
    def service(self) -> str:
        return self.period.service

    @property
    def since(self) -> float:
        return self.period.started_at


@dataclass(frozen=True, slots=True)
class QueueObservation:
    """What the camera publishes about once a second: counts and anonymous durations only."""

    at: float
    people: int
    longest_wait_s: float | None = None
    mean_recent_wait_s: float | None = None
    walkaways: int = 0


@dataclass(frozen=True, slots=True)
class Presence:
    """Someone walked up to the kiosk (presence sensor or camera)."""

    at: float
    source: str  # "sensor" | "camera"


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    """An honest estimate: a point and a range, in seconds."""

    point_s: float
    low_s: float
    high_s: float


@dataclass(frozen=True, slots=True)
class Alert:
    """A standard about to be broken, or broken. ``key`` identifies it across ticks."""

    kind: str  # "wait" | "service_time" | "queue_length" | "untracked_people" | "idle_while_waiting"
    subject: str  # a ticket number, a service code, a counter number or "branch"
    level: Level
    value: float  # the measure (seconds or people)
    limit: float  # the target it is measured against

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.subject)


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """The live queue at one moment: every unfinished ticket of the day."""

    at: float
    day: str
    tickets: tuple[LiveTicket, ...] = field(default_factory=tuple)
    observation: QueueObservation | None = None
    staff: tuple[StaffPeriod, ...] = ()  # each counter's clerk's state, signed-out counters left out

    def in_state(self, *states: State) -> list[LiveTicket]:
        return [t for t in self.tickets if t.state in states]
