import pytest

from kiosk.core.lifecycle import TRANSITIONS, allowed_actions, next_state
from kiosk.core.model import Action, State
from kiosk.errors import LifecycleError


@pytest.mark.parametrize(
    "state, action, expected",
    [
        (State.WAITING, Action.CALL, State.CALLED),
        (State.CALLED, Action.START, State.SERVING),
        (State.SERVING, Action.FINISH, State.DONE),
        (State.CALLED, Action.NO_SHOW, State.NO_SHOW),
        (State.NO_SHOW, Action.RECALL, State.CALLED),
        (State.SERVING, Action.HOLD, State.ON_HOLD),
        (State.ON_HOLD, Action.START, State.SERVING),
        (State.SERVING, Action.TRANSFER, State.WAITING),
        (State.WAITING, Action.WALK_AWAY, State.WALKED_AWAY),
    ],
)
def test_allowed_transitions(state, action, expected):
    assert next_state(state, action) is expected


@pytest.mark.parametrize(
    "state, action, words",
    [
        (State.WAITING, Action.FINISH, "cannot finish a ticket that is waiting"),
        (State.DONE, Action.CALL, "cannot call a ticket that was already served"),
        (State.WALKED_AWAY, Action.START, "walked away"),
        (State.CALLED, Action.WALK_AWAY, "has been called"),
    ],
)
def test_refused_transitions_say_why(state, action, words):
    with pytest.raises(LifecycleError, match=words):
        next_state(state, action)


def test_terminal_states_allow_nothing_but_a_late_no_show_recall():
    for state in State:
        if state.terminal:
            expected = [Action.RECALL] if state is State.NO_SHOW else []
            assert allowed_actions(state) == expected


def test_every_target_state_is_a_state_and_issue_is_never_a_transition():
    assert Action.ISSUE not in TRANSITIONS
    with pytest.raises(LifecycleError):
        next_state(State.WAITING, Action.ISSUE)
