"""Helpers of the manager's tests: a manager PIN in the database, a signed-in HTTP client."""

from __future__ import annotations

import re

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
