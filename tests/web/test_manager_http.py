"""The manager's contract over HTTP, on a real ``frontdesk web`` (SQLite and PostgreSQL): the
sign-in's status codes, the cookie's flags, the lock counted in the database, CSRF refusals, the
session's end on the server, and that the server writes nothing but the PIN lock."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from kiosk.errors import StoreError
from kiosk.store import open_store
from kiosk.store.pin_lock import open_pin_lock_store
from kiosk.store.pins import LOCK_S, PinStore
from kiosk.web.manager import MAX_FORM_BYTES
from tests.web.conftest import frontdesk_here
from tests.web.manager_support import NAME, PIN, client, csrf_of, lock_row, set_manager_pin, signed_in, try_pin

GUARDED = [
    "/manager",
    "/manager/events",
    "/manager/report",
    "/manager/report?period=week&date=2026-12-02",
    "/manager/report.csv?period=day&date=2026-12-02",
    "/manager/report.json?period=day&date=2026-12-02",
    "/manager/visits.csv?period=month&date=2026-12-02",
]


def test_every_manager_page_without_a_session_is_sent_to_sign_in(sqlite_db, web_server):
    server = web_server(sqlite_db)
    for path in GUARDED:
        answer = httpx.get(server.base + path, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, "/manager/sign-in"), path
        assert "set-cookie" not in answer.headers  # nothing is made for a visitor who is sent away
    for path in ("/manager/report", "/manager/sign-out"):
        answer = httpx.post(server.base + path, data={"period": "day", "date": "2026-12-02"}, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, "/manager/sign-in"), path


def test_sign_in_gives_a_strict_http_only_expiring_cookie_and_a_303(any_db, web_server):
    set_manager_pin(any_db)
    server = web_server(any_db)
    c = client(server)
    answer = try_pin(c, NAME, PIN)
    assert (answer.status_code, answer.headers["location"]) == (303, "/manager")
    cookie = answer.headers["set-cookie"]
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in flags
    assert flags["samesite"].lower() == "samesite=strict"
    assert flags["max-age"] == "Max-Age=3600"  # [web] manager_session_min = 60
    assert flags["path"] == "path=/manager"
    today = c.get("/manager")
    assert today.status_code == 200
    assert f"Signed in: {NAME}" in today.text or NAME in today.text
    assert today.headers["cache-control"] == "no-store"


def test_a_wrong_pin_and_an_unknown_name_get_the_same_401(any_db, web_server):
    set_manager_pin(any_db)
    server = web_server(any_db)
    c = client(server)
    token = csrf_of(c.get("/manager/sign-in?lang=en").text)
    wrong_pin = try_pin(c, NAME, "1111", token)
    wrong_name = try_pin(c, "Nobody", PIN, token)
    assert wrong_pin.status_code == wrong_name.status_code == 401
    assert wrong_pin.text == wrong_name.text
    assert "Wrong name or PIN. Please try again." in wrong_pin.text
    assert "set-cookie" not in wrong_pin.headers  # no session was made
    assert c.get("/manager").status_code == 303


def test_five_wrong_tries_lock_the_name_for_five_minutes_even_with_the_right_pin(any_db, web_server):
    set_manager_pin(any_db)
    server = web_server(any_db)
    c = client(server)
    for n in range(1, 6):
        assert try_pin(c, NAME, "0000").status_code == 401, f"wrong try {n}"
    failures, locked_until = lock_row(any_db)
    assert locked_until is not None and locked_until - time.time() > LOCK_S - 120  # counted in the database
    refused = try_pin(c, NAME, PIN)
    assert refused.status_code == 429
    assert "Too many wrong tries. Try again in 5 minutes." in refused.text
    assert "retry-after" in refused.headers
    # the consoles read the same lock, and a restarted web server still holds it
    console = open_store(any_db)
    assert PinStore(console).verify("manager", NAME, PIN).while_locked
    server.stop()
    server.start()
    assert try_pin(client(server), NAME, PIN).status_code == 429
    # five minutes later (the lock's end moved into the past, as time would) the right PIN signs in
    with console.transaction(lock=True):
        console.run("UPDATE staff_pin SET locked_until = ? WHERE name = ?", (time.time() - 1, NAME))
    console.close()
    assert try_pin(client(server), NAME, PIN).status_code == 303
    assert lock_row(any_db) == (0, None)


def test_a_lock_made_at_a_console_is_kept_by_the_web(sqlite_db, web_server):
    set_manager_pin(sqlite_db)
    console = open_store(sqlite_db)
    pins = PinStore(console)
    for _ in range(5):
        pins.verify("manager", NAME, "9999")
    console.close()
    server = web_server(sqlite_db)
    assert try_pin(client(server), NAME, PIN).status_code == 429


def test_forms_without_the_sessions_csrf_token_are_refused(sqlite_db, web_server):
    set_manager_pin(sqlite_db)
    server = web_server(sqlite_db)
    # sign-in: no token, or another session's token; neither counts a try
    assert try_pin(client(server), NAME, "0000", token="").status_code == 403
    other = csrf_of(client(server).get("/manager/sign-in").text)
    assert try_pin(client(server), NAME, PIN, token=other).status_code == 403
    bare = httpx.post(server.base + "/manager/sign-in", data={"name": NAME, "pin": PIN}, follow_redirects=False)
    assert bare.status_code == 403
    assert lock_row(sqlite_db) == (0, None)
    # signed in: the period form and sign-out without the token are refused, and change nothing
    c = signed_in(server)
    token = csrf_of(c.get("/manager").text)
    assert c.post("/manager/report", data={"period": "week", "date": "2026-12-02"}).status_code == 403
    assert c.post("/manager/sign-out", data={"csrf": "forged"}).status_code == 403
    assert c.get("/manager").status_code == 200  # still signed in
    picked = c.post("/manager/report", data={"period": "week", "date": "2026-12-02", "csrf": token})
    assert (picked.status_code, picked.headers["location"]) == (303, "/manager/report?period=week&date=2026-11-30")
    # every form on the pages carries the token
    for path in ("/manager", "/manager/report?period=day&date=2026-12-02"):
        page = c.get(path).text
        forms = re.findall(r"<form\b.*?</form>", page, re.S)
        assert forms and all('method="post"' in f and f'name="csrf" value="{token}"' in f for f in forms), path


def test_a_form_too_long_to_read_gets_a_413_that_says_so_in_the_pages_language(sqlite_db, web_server):
    set_manager_pin(sqlite_db)
    server = web_server(sqlite_db)
    padding = "x" * (2 * MAX_FORM_BYTES)
    c = client(server)
    token = csrf_of(c.get("/manager/sign-in?lang=ru").text)
    answer = c.post("/manager/sign-in", data={"name": NAME, "pin": PIN, "csrf": token, "note": padding})
    assert answer.status_code == 413
    assert "Извините, эта форма слишком длинная" in answer.text and 'name="pin"' in answer.text  # the sign-in again
    assert lock_row(sqlite_db) == (0, None)  # no try counted
    c = signed_in(server)
    token = csrf_of(c.get("/manager?lang=en").text)
    for path in ("/manager/report", "/manager/sign-out"):
        answer = c.post(path, data={"period": "week", "date": "2026-12-02", "csrf": token, "note": padding})
        assert answer.status_code == 413 and "this form is too long" in answer.text, path
    assert c.get("/manager").status_code == 200  # still signed in


def test_sign_out_ends_the_session_on_the_server(sqlite_db, web_server):
    set_manager_pin(sqlite_db)
    server = web_server(sqlite_db)
    c = signed_in(server)
    stolen = dict(c.cookies)
    token = csrf_of(c.get("/manager").text)
    out = c.post("/manager/sign-out", data={"csrf": token})
    assert (out.status_code, out.headers["location"]) == (303, "/manager/sign-in")
    assert c.get("/manager").status_code == 303
    # the cookie as it was before signing out, replayed: refused all the same
    replay = httpx.get(server.base + "/manager", cookies=stolen, follow_redirects=False)
    assert replay.status_code == 303


def test_the_session_ends_on_the_server_at_its_end(sqlite_db):
    """The server's own clock ends the session (whatever the browser does with the cookie's Max-Age)."""
    from starlette.testclient import TestClient

    from config import load_config
    from kiosk.web.app import create_app

    set_manager_pin(sqlite_db)
    now = [time.time()]
    app = create_app(load_config(None), sqlite_db, clock=lambda: now[0])
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as c:
        token = csrf_of(c.get("/manager/sign-in").text)
        assert c.post("/manager/sign-in", data={"name": NAME, "pin": PIN, "csrf": token}).status_code == 303
        now[0] += 59 * 60
        assert c.get("/manager").status_code == 200
        now[0] += 61  # the hour of [web] manager_session_min is over
        assert c.get("/manager").status_code == 303
        assert c.get("/manager/report.csv?period=day&date=2026-12-02").status_code == 303


def test_a_tampered_cookie_is_no_session(sqlite_db, web_server):
    set_manager_pin(sqlite_db)
    server = web_server(sqlite_db)
    c = signed_in(server)
    value = c.cookies["frontdesk_manager"]
    data, stamp, signature = value.rsplit(".", 2)
    forged = ("A" if signature[0] != "A" else "B") + signature[1:]
    answer = httpx.get(
        server.base + "/manager", cookies={"frontdesk_manager": f"{data}.{stamp}.{forged}"}, follow_redirects=False
    )
    assert answer.status_code == 303


def test_public_pages_stay_open_and_never_see_the_session(sqlite_db, web_server):
    set_manager_pin(sqlite_db)
    server = web_server(sqlite_db)
    c = signed_in(server)
    for path in ("/board", "/board.json"):
        answer = httpx.get(server.base + path, follow_redirects=False)
        assert answer.status_code == 200
        assert "set-cookie" not in answer.headers
    # the cookie's path keeps it to /manager: the browser never sends it to the public pages
    cookie = next(iter(c.cookies.jar))
    assert cookie.path == "/manager"


def test_the_server_writes_nothing_but_the_pin_lock(any_db, web_server):
    set_manager_pin(any_db)
    ticket = frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=any_db)
    frontdesk_here("call", "--counter", "1", db=any_db)

    def everything() -> dict[str, list]:
        store = open_store(any_db)
        try:
            with store.transaction(lock=False):
                tables = ["meta", "ticket", "period", "alert_log", "feedback", "queue_observation", "status_token"]
                seen = {t: sorted(map(tuple, store.all(f"SELECT * FROM {t}"))) for t in tables}
                seen["staff_pin"] = store.all("SELECT role, name, kdf, salt, pin_hash, set_at FROM staff_pin")
        finally:
            store.close()
        return seen

    before = everything()
    server = web_server(any_db)
    for _ in range(5):
        try_pin(client(server), NAME, "0000")
    try_pin(client(server), NAME, PIN)  # locked: 429
    assert lock_row(any_db)[1] is not None
    console = open_store(any_db)
    with console.transaction(lock=True):
        console.run("UPDATE staff_pin SET failures = 0, locked_until = NULL")
    console.close()
    c = signed_in(server)
    for path in GUARDED[:1] + GUARDED[2:]:
        assert c.get(path).status_code == 200, path
    httpx.get(server.base + ticket["status_path"])
    assert everything() == before


def test_the_pin_lock_connection_refuses_every_other_write(any_db):
    set_manager_pin(any_db)
    store = open_pin_lock_store(any_db)
    try:
        for sql, params in [
            ("DELETE FROM ticket", ()),
            ("INSERT INTO meta (key, value) VALUES (?, ?)", ("x", "y")),
            ("UPDATE staff_pin SET pin_hash = ? WHERE role = ? AND name = ?", ("00", "manager", NAME)),
            ("UPDATE staff_pin SET failures = 0", ()),  # every row: not the lock's statement
        ]:
            with pytest.raises(StoreError, match="writes only the PIN lock"):
                with store.transaction(lock=True):
                    store.run(sql, params)
        assert PinStore(store).verify("manager", NAME, PIN).ok
    finally:
        store.close()


def test_sqlite_itself_refuses_other_writes_on_that_connection(sqlite_db):
    """Below the statement check, SQLite's authorizer: a write it does not allow never runs."""
    import sqlite3

    from kiosk.store.pin_lock import authorize_lock_only
    from kiosk.store.sql import sqlite_path

    set_manager_pin(sqlite_db)
    raw = sqlite3.connect(sqlite_path(sqlite_db), isolation_level=None)
    raw.set_authorizer(authorize_lock_only)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        raw.execute("UPDATE staff_pin SET pin_hash = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        raw.execute("DELETE FROM staff_pin")
    assert raw.execute("UPDATE staff_pin SET failures = 1 WHERE name = ?", (NAME,)).rowcount == 1
    raw.close()


def test_a_postgres_role_with_only_the_documented_grants_runs_the_server(web_server):
    """docs/web.md's grants for the web server's own role are enough, and PostgreSQL then refuses it any other write."""
    import psycopg

    from tests.conftest import PG_URL, pg_schema
    from tests.web.conftest import seeded

    with pg_schema() as (url, schema):
        seeded(url)
        set_manager_pin(url)
        role = f"fdweb_{schema}"
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f"CREATE ROLE {role} LOGIN")
            admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
            admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
            admin.execute(f"GRANT UPDATE (failures, locked_until) ON {schema}.staff_pin TO {role}")
        web_url = url.replace("frontdesk@", f"{role}@", 1)
        assert web_url != url
        server = web_server(web_url)
        try:
            for _ in range(5):
                assert try_pin(client(server), NAME, "0000").status_code == 401
            assert try_pin(client(server), NAME, PIN).status_code == 429
            assert lock_row(url)[1] is not None
            with psycopg.connect(url, autocommit=True) as owner:
                owner.execute("UPDATE staff_pin SET failures = 0, locked_until = NULL")
            c = signed_in(server)
            assert c.get("/manager").status_code == 200
            assert c.get("/manager/report?period=month&date=2026-12-01").status_code == 200
            assert httpx.get(server.base + "/board.json").status_code == 200
            with psycopg.connect(web_url, autocommit=True) as web:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    web.execute("UPDATE staff_pin SET pin_hash = 'x'")
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    web.execute("DELETE FROM ticket")
        finally:
            server.stop()
            with psycopg.connect(PG_URL, autocommit=True) as admin:
                admin.execute(f"DROP OWNED BY {role}")
                admin.execute(f"DROP ROLE {role}")
