"""A branch's day in a process of its own, for the kill -9 test (tests/store/test_kill_day.py).

``python -m tests.store.day_driver work DB START``: an engine on the database DB whose clock
starts at START (POSIX seconds) and moves one second per round, issuing, calling, starting,
holding, finishing and walking tickets away for ever; after each action the engine has
acknowledged (committed), one JSON line ``{"ticket": "A001", "state": "called"}`` on stdout.

``python -m tests.store.day_driver start DB NOW``: what the kiosk and the consoles do when they
start at NOW: close what the branch's closing has closed (``Engine.close_overdue``); prints
``{"closed": n}``.
"""

from __future__ import annotations

import json
import sys

from config import load_config
from kiosk.core.model import Action
from kiosk.engine import Engine
from kiosk.store import open_store

SERVICES = ("CASH", "ACCOUNTS", "CASH", "LOANS")
LAST_S = 3000  # the clock stays within the day's opening hours (50 minutes of rounds)


def acknowledged(number: str, state: str) -> None:
    print(json.dumps({"ticket": number, "state": state}), flush=True)


def work(engine: Engine, start: float) -> None:
    now = [start]
    engine.clock = lambda: now[0]
    i = 0
    while True:
        now[0] = start + min(i, LAST_S)
        issued = engine.issue(SERVICES[i % len(SERVICES)])
        acknowledged(issued.ticket.number, "waiting")
        if i % 7 == 3:
            acknowledged(engine.act(issued.ticket.number, Action.WALK_AWAY).ticket.number, "walked_away")
        called = engine.call_next(counter=1 + i % 3, staff=f"clerk{1 + i % 3}")
        if called is not None:
            number = called.ticket.number
            acknowledged(number, "called")
            for action, state, when in (
                (Action.START, "serving", i % 2 == 0),
                (Action.HOLD, "on_hold", i % 5 == 0 and i % 4 != 2),
                (Action.FINISH, "done", i % 4 == 2),
            ):
                if when:
                    acknowledged(engine.act(number, action).ticket.number, state)
        i += 1


def main(argv: list[str]) -> None:
    mode, db, moment = argv[0], argv[1], float(argv[2])
    engine = Engine(load_config(None), open_store(db), clock=lambda: moment)
    if mode == "work":
        work(engine, moment)
    else:
        print(json.dumps({"closed": len(engine.close_overdue())}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
