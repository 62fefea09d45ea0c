"""Helpers of the manager's tests: a manager PIN in the database, a signed-in HTTP client."""

from __future__ import annotations

import re
import time

import httpx

from tests.web.conftest import WebServer

NAME, PIN = "Oyun", "2580"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def set_manager_pin(db: str, name: str = NAME, pin: str = PIN) -> None:
    """As ``frontdesk pin set --role manager`` does it (set-up; the web is what is tested)."""
    from kiosk.store import open_store
    from kiosk.store.pins import PinStore

    store = open_store(db)
    try:
        PinStore(store).set_pin("manager", name, pin)
    finally:
        store.close()


def csrf_of(page: str) -> str:
    found = CSRF.search(page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def client(server: WebServer) -> httpx.Client:
    """A client that keeps cookies and does not follow redirects (the tests read each answer)."""
    return httpx.Client(base_url=server.base, follow_redirects=False, timeout=30)


def sign_in_form(c: httpx.Client) -> str:
    """Open the sign-in page in English (the session's CSRF token starts there); the token."""
    answer = c.get("/manager/sign-in?lang=en")
    assert answer.status_code == 200
    return csrf_of(answer.text)


def try_pin(c: httpx.Client, name: str, pin: str, token: str | None = None) -> httpx.Response:
    token = token if token is not None else sign_in_form(c)
    return c.post("/manager/sign-in", data={"name": name, "pin": pin, "csrf": token})


def signed_in(server: WebServer, name: str = NAME, pin: str = PIN) -> httpx.Client:
    c = client(server)
    answer = try_pin(c, name, pin)
    assert answer.status_code == 303, answer.text
    return c


def lock_row(db: str, name: str = NAME) -> tuple[int, float | None]:
    """(failures, locked_until) of a manager's PIN, read in the database."""
    from kiosk.store import open_store

    store = open_store(db)
    try:
        with store.transaction(lock=False):
            row = store.one("SELECT failures, locked_until FROM staff_pin WHERE role = 'manager' AND name = ?", (name,))
    finally:
        store.close()
    return row[0], row[1]


def served_day(db: str) -> None:
    """Today so far at a branch: two hours of visits served with waits of minutes, one walk-away,
    people still waiting (set up in this process with a clock moved by hand; what is tested is the pages)."""
    import random
    from datetime import datetime
    from datetime import time as clock_time
    from zoneinfo import ZoneInfo

    from config import load_config
    from kiosk.core.model import Action
    from kiosk.engine import Engine
    from kiosk.store import open_store

    cfg = load_config(None)
    real_now = time.time()
    midnight = datetime.combine(datetime.now(ZoneInfo(cfg.branch.timezone)).date(), clock_time(0))
    start = max(real_now - 2 * 3600, midnight.replace(tzinfo=ZoneInfo(cfg.branch.timezone)).timestamp() + 60)
    now = [start]
    engine = Engine(cfg, open_store(db), clock=lambda: now[0])
    rng = random.Random(14)
    services = ["CASH"] * 5 + ["ACCOUNTS"] * 3 + ["LOANS"] * 2
    issued = []
    step = (real_now - start) / 30
    for i in range(24):
        now[0] = start + i * step
        issued.append(engine.issue(rng.choice(services), language=("mn", "hy", "en", "ru")[i % 4]).ticket.number)
    for i, number in enumerate(issued[:16]):
        now[0] = start + (i + 2) * step + rng.uniform(0, step)
        if i == 5:
            engine.act(number, Action.WALK_AWAY)
            continue
        engine.call(number, counter=1 + i % 4, staff=("Bold", "Saraa", "Tuya", "Ganaa")[i % 4])
        now[0] += 20
        engine.act(number, Action.START)
        now[0] += rng.uniform(60, 300)
        engine.act(number, Action.FINISH)
    engine.store.close()
