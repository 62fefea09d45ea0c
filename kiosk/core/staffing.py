"""A clerk's state at their counter, and which moves between states are allowed.

A console records its clerk's day as periods, one row per state, the way a ticket's
periods are kept: signed in (at the counter, free), serving (a ticket called or in
service at the counter), on break (with a reason), back office (away from the counter
on other work), signed out. Serving follows the counter's tickets; the others are the
clerk's taps.

>>> next_staff_state(StaffState.SIGNED_IN, StaffState.ON_BREAK, "lunch", ("lunch", "meeting"))
<StaffState.ON_BREAK: 'on_break'>
>>> next_staff_state(StaffState.SERVING, StaffState.ON_BREAK, "lunch", ("lunch",))
Traceback (most recent call last):
...
kiosk.errors.LifecycleError: cannot go on a break while serving a customer
>>> follow_tickets(StaffState.SIGNED_IN, busy=True), follow_tickets(StaffState.ON_BREAK, busy=True)
(<StaffState.SERVING: 'serving'>, None)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from kiosk.errors import LifecycleError, UsageError


class StaffState(str, Enum):
    SIGNED_IN = "signed_in"  # at the counter, free to call the next customer
    SERVING = "serving"  # a ticket called to or in service at the counter
    ON_BREAK = "on_break"
    BACK_OFFICE = "back_office"
    SIGNED_OUT = "signed_out"

    @property
    def away(self) -> bool:
        """Signed in but not at the counter: no customer is called."""
        return self in (StaffState.ON_BREAK, StaffState.BACK_OFFICE)


# where a clerk may go from each state (None: nobody has signed in at the counter yet)
_ALLOWED: dict[StaffState | None, frozenset[StaffState]] = {
    None: frozenset({StaffState.SIGNED_IN}),
    StaffState.SIGNED_OUT: frozenset({StaffState.SIGNED_IN}),
    StaffState.SIGNED_IN: frozenset(
        {StaffState.SERVING, StaffState.ON_BREAK, StaffState.BACK_OFFICE, StaffState.SIGNED_OUT}
    ),
    # a customer in front of the clerk: finish (or hand over) first, but signing out always works
    StaffState.SERVING: frozenset({StaffState.SIGNED_IN, StaffState.SIGNED_OUT}),
    StaffState.ON_BREAK: frozenset({StaffState.SIGNED_IN, StaffState.SIGNED_OUT}),
    StaffState.BACK_OFFICE: frozenset({StaffState.SIGNED_IN, StaffState.SIGNED_OUT}),
}

_GOING = {
    StaffState.SIGNED_IN: "come back to the counter",
    StaffState.SERVING: "serve",
    StaffState.ON_BREAK: "go on a break",
    StaffState.BACK_OFFICE: "go to the back office",
    StaffState.SIGNED_OUT: "sign out",
}
_BEING = {
    None: "before signing in",
    StaffState.SIGNED_OUT: "while signed out",
    StaffState.SIGNED_IN: "while at the counter",
    StaffState.SERVING: "while serving a customer",
    StaffState.ON_BREAK: "while on a break",
    StaffState.BACK_OFFICE: "while in the back office",
}


def next_staff_state(
    current: StaffState | None, wanted: StaffState, reason: str | None, reasons: Sequence[str]
) -> StaffState:
    """``wanted`` if a clerk in ``current`` may go there (a break needs one of ``reasons``).

    Raises LifecycleError for a move the model refuses, UsageError for a missing or unknown reason.
    """
    if wanted is StaffState.ON_BREAK and reason not in reasons:
        known = ", ".join(reasons)
        raise UsageError(f"a break needs a reason: one of {known}, not {reason!r}")
    if wanted is not StaffState.ON_BREAK and reason is not None:
        raise UsageError(f"only a break has a reason (not {wanted.value})")
    if current is wanted:
        return wanted  # a repeated tap: nothing to record
    if wanted not in _ALLOWED[current]:
        raise LifecycleError(f"cannot {_GOING[wanted]} {_BEING[current]}")
    return wanted


def follow_tickets(current: StaffState | None, busy: bool) -> StaffState | None:
    """The state a clerk moves to when their counter gets (``busy``) or loses its customer; None: no change.

    Only a clerk at the counter follows the tickets: a break or the back office is left by a tap.
    """
    if current is StaffState.SIGNED_IN and busy:
        return StaffState.SERVING
    if current is StaffState.SERVING and not busy:
        return StaffState.SIGNED_IN
    return None


@dataclass(frozen=True, slots=True)
class StaffPeriod:
    """One state of one counter's clerk from ``started_at`` until ``ended_at`` (None: still in it)."""

    counter: int
    staff: str
    state: StaffState
    started_at: float
    ended_at: float | None = None
    reason: str | None = None  # a break's reason code (config ``[staff] break_reasons``)
