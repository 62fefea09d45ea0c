"""The hall board's list of calls: the day's latest calls and recalls, newest first.

It is read at every change the board hears of, so it reads the day's tickets alone: on SQLite
(whose plan is cheap to read) from the ticket's day index, never walking back through the
calls of every earlier day that the log holds.
"""

from kiosk.core.model import Action, State
from kiosk.store import open_store
from tests.store.schema_support import recorded_reads, sqlite_plan


def _called_and_recalled(store, day: str, at: float, counter: int) -> str:
    with store.writing(day) as w:
        live = w.find_live(w.issue("A", "CASH", False, "en", at).number)
        called = w.move(live, State.CALLED, Action.CALL, at + 10.0, counter=counter)
        w.move(called, State.CALLED, Action.RECALL, at + 70.0, counter=counter)
    return live.ticket.number


def test_the_days_calls_newest_first_and_no_other_days(db_url):
    store = open_store(db_url)
    _called_and_recalled(store, "2026-11-23", 1000.0, counter=1)  # yesterday's: not on today's board
    first = _called_and_recalled(store, "2026-11-24", 90_000.0, counter=2)
    second = _called_and_recalled(store, "2026-11-24", 90_030.0, counter=3)
    calls = store.calls("2026-11-24", 3)
    store.close()
    assert [(c.number, c.counter, c.action) for c in calls] == [
        (second, 3, Action.RECALL),
        (first, 2, Action.RECALL),
        (second, 3, Action.CALL),
    ]
    assert [c.at for c in calls] == [90_100.0, 90_070.0, 90_040.0]


def test_the_boards_read_starts_from_the_days_tickets(tmp_path, monkeypatch):
    path = tmp_path / "frontdesk.sqlite3"
    store = open_store(f"sqlite:///{path}")
    _called_and_recalled(store, "2026-11-24", 90_000.0, counter=1)
    reads = recorded_reads(store, monkeypatch)
    store.calls("2026-11-24", 10)
    store.close()
    [(sql, params)] = reads
    plan = sqlite_plan(path, sql, params)
    assert plan[0].startswith("SEARCH t USING") and "(day=?)" in plan[0], plan
    assert not any("period_action_started" in step for step in plan), plan
