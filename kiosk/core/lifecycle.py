"""The ticket lifecycle: which action may move a ticket from which state.

>>> from kiosk.core.model import State, Action
>>> next_state(State.WAITING, Action.CALL)
<State.CALLED: 'called'>
>>> next_state(State.WAITING, Action.FINISH)
Traceback (most recent call last):
...
kiosk.errors.LifecycleError: cannot finish a ticket that is waiting
"""

from __future__ import annotations

from kiosk.core.model import Action, State
from kiosk.errors import LifecycleError

_W, _C, _S, _H = State.WAITING, State.CALLED, State.SERVING, State.ON_HOLD

# action -> {from state: to state}. Everything not listed is refused.
TRANSITIONS: dict[Action, dict[State, State]] = {
    Action.CALL: {_W: _C},
    # called again: the customer did not come yet, or a no-show who turned up late
    Action.RECALL: {_C: _C, State.NO_SHOW: _C},
    Action.START: {_C: _S, _H: _S},
    Action.HOLD: {_S: _H, _C: _H},
    Action.FINISH: {_S: State.DONE},
    Action.NO_SHOW: {_C: State.NO_SHOW},
    Action.WALK_AWAY: {_W: State.WALKED_AWAY, _H: State.WALKED_AWAY},
    # to another service or counter: back to waiting, history kept
    Action.TRANSFER: {_W: _W, _C: _W, _S: _W, _H: _W},
    # the branch closed with the ticket still open: its own outcome, never served or walked away
    Action.CLOSE_DAY: {
        _W: State.CLOSED_AT_END_OF_DAY,
        _C: State.CLOSED_AT_END_OF_DAY,
        _S: State.CLOSED_AT_END_OF_DAY,
        _H: State.CLOSED_AT_END_OF_DAY,
    },
}

_VERB = {
    Action.CALL: "call",
    Action.RECALL: "recall",
    Action.START: "start serving",
    Action.HOLD: "put on hold",
    Action.FINISH: "finish",
    Action.NO_SHOW: "mark as a no-show",
    Action.WALK_AWAY: "mark as walked away",
    Action.TRANSFER: "transfer",
    Action.CLOSE_DAY: "close at the end of the day",
}

_DESCRIBED = {
    State.WAITING: "is waiting",
    State.CALLED: "has been called",
    State.SERVING: "is being served",
    State.ON_HOLD: "is on hold",
    State.DONE: "was already served",
    State.NO_SHOW: "was a no-show",
    State.WALKED_AWAY: "walked away",
    State.CLOSED_AT_END_OF_DAY: "was closed at the end of its day",
}


def next_state(current: State, action: Action) -> State:
    """The state ``action`` leads to from ``current``; LifecycleError if not allowed."""
    if action is Action.ISSUE:
        raise LifecycleError("a ticket is issued once; it cannot be issued again")
    target = TRANSITIONS[action].get(current)
    if target is None:
        raise LifecycleError(f"cannot {_VERB[action]} a ticket that {_DESCRIBED[current]}")
    return target


def allowed_actions(current: State) -> list[Action]:
    """The actions a clerk may take on a ticket in ``current`` (drives the staff buttons)."""
    return [a for a, table in TRANSITIONS.items() if current in table]
