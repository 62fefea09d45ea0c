"""The customer's phone page and its token: live status in the ticket's language; tokens that say nothing.

The token is random (128 bits), names one ticket for that ticket's day only, is not
derived from the number, and an unknown or expired one gets the very page any wrong
address gets.
"""

from __future__ import annotations

import base64

import httpx

from tests.web.conftest import frontdesk_here, wait_for


def test_ticket_json_gains_a_random_status_path(sqlite_db):
    first = frontdesk_here("ticket", "new", "--service", "CASH", db=sqlite_db)
    second = frontdesk_here("ticket", "new", "--service", "CASH", db=sqlite_db)
    tokens = [t["status_path"].removeprefix("/t/") for t in (first, second)]
    assert all(t["status_path"].startswith("/t/") for t in (first, second))
    assert tokens[0] != tokens[1]
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "==")) >= 16  # at least 128 random bits
        assert "001" not in token and "002" not in token and "A0" not in token


def test_phone_page_follows_the_ticket_live_in_its_language(sqlite_db, web_server, browser):
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=sqlite_db)
    mine = frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "ru", db=sqlite_db)
    server = web_server(sqlite_db)
    driver = browser(390, 844)
    driver.get(server.base + mine["status_path"])
    text = lambda id_: driver.find_element("id", id_).text  # noqa: E731
    assert text("number") == "A002"
    assert text("your-number") == "Ваш номер"
    assert text("ahead") == "Перед вами 1 клиент."
    assert text("wait").startswith("Ожидание") or text("wait") == "Вас скоро вызовут."
    frontdesk_here("call", "--counter", "1", db=sqlite_db)  # A001 is called: A002 is next
    wait_for(lambda: text("ahead") == "Ваша очередь следующая.", "the people ahead to go down")
    frontdesk_here("call", "--counter", "3", db=sqlite_db)
    wait_for(lambda: text("headline") == "Ваша очередь: окно 3", "the page to say it is my turn")
    assert not driver.find_element("id", "ahead").is_displayed()
    status = httpx.get(server.base + mine["status_path"] + ".json").json()
    assert status == {
        "ticket": "A002",
        "state": "called",
        "ahead": None,
        "wait_low_s": None,
        "wait_high_s": None,
        "counter": 3,
    }


def test_status_json_contract_while_waiting(sqlite_db, web_server):
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "hy", db=sqlite_db)
    mine = frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "hy", db=sqlite_db)
    server = web_server(sqlite_db)
    status = httpx.get(server.base + mine["status_path"] + ".json").json()
    assert set(status) == {"ticket", "state", "ahead", "wait_low_s", "wait_high_s", "counter"}
    assert (status["ticket"], status["state"], status["ahead"], status["counter"]) == ("A002", "waiting", 1, None)
    assert 0 <= status["wait_low_s"] <= status["wait_high_s"]
    page = httpx.get(server.base + mine["status_path"]).text
    assert "Ձեր համարը" in page and 'lang="hy"' in page


def test_unknown_expired_and_wrong_addresses_get_the_same_plain_page(sqlite_db, web_server):
    issued = frontdesk_here("ticket", "new", "--service", "CASH", db=sqlite_db)
    token = issued["status_path"].removeprefix("/t/")
    old = frontdesk_here("ticket", "new", "--service", "CASH", db=sqlite_db)
    expire(sqlite_db, old["ticket"])
    server = web_server(sqlite_db)
    wrong = httpx.get(server.base + "/nothing/here")
    unknown = httpx.get(server.base + "/t/" + "x" * 22)
    expired = httpx.get(server.base + old["status_path"])
    malformed = httpx.get(server.base + "/t/%3Cscript%3E")
    assert wrong.status_code == unknown.status_code == expired.status_code == malformed.status_code == 404
    assert wrong.text == unknown.text == expired.text == malformed.text
    assert "A00" not in expired.text
    assert httpx.get(server.base + old["status_path"] + ".json").status_code == 404
    assert httpx.get(server.base + old["status_path"] + "/events").status_code == 404
    assert httpx.get(server.base + issued["status_path"]).status_code == 200
    assert token not in wrong.text


def expire(db: str, number: str) -> None:
    """Make today's ticket ``number`` another day's, as if it had been issued yesterday."""
    import sqlite3

    conn = sqlite3.connect(db.removeprefix("sqlite://"))
    with conn:
        conn.execute("UPDATE ticket SET day = '2000-01-01' WHERE number = ?", (number,))
    conn.close()


def test_pages_name_nobody(sqlite_db, web_server):
    issued = frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=sqlite_db)
    frontdesk_here("call", "--counter", "1", "--staff", "Saraa", db=sqlite_db)
    server = web_server(sqlite_db)
    for path in ("/board", "/board.json", issued["status_path"], issued["status_path"] + ".json"):
        body = httpx.get(server.base + path).text
        assert "Saraa" not in body  # not even the clerk's work name


def test_phone_page_says_reconnecting_while_the_server_is_away_and_catches_up(sqlite_db, web_server, browser):
    mine = frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=sqlite_db)
    server = web_server(sqlite_db)
    driver = browser(390, 844)
    driver.get(server.base + mine["status_path"])
    status = driver.find_element("id", "status")
    assert not status.is_displayed()
    server.stop()
    wait_for(status.is_displayed, "the page to say it is reconnecting")
    assert status.text == "Reconnecting…" and driver.find_element("id", "number").text == "A001"
    frontdesk_here("call", "--counter", "2", db=sqlite_db)  # called while the server was away
    server.start()
    wait_for(lambda: driver.find_element("id", "headline").text == "It's your turn: Counter 2", "the call")
    wait_for(lambda: not status.is_displayed(), "the page to be back")
