"""The hall board in a real Chromium: a clerk's call from another process reaches the open board.

Every test waits for what a person would see (generous timeouts, no timing asserted):
the call on the board once, with its words, its flash and its sound; recalls; calls
queued one after another. The board while the database or the server is away is in
``test_board_reconnect.py`` (a file of its own, so that the two run on two workers).
"""

from __future__ import annotations

from tests.web.board_support import current_calls, open_board, recent_calls, sounds
from tests.web.conftest import frontdesk_here, wait_for


def test_a_call_from_another_process_reaches_the_open_board(any_db, web_server, browser):
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "hy", db=any_db)
    server = web_server(any_db)
    driver = open_board(browser, server)
    assert current_calls(driver) == []
    frontdesk_here("call", "--counter", "1", db=any_db)
    wait_for(lambda: current_calls(driver), "the call on the board")
    # the call's own words are in the customer's language (Armenian: Պատուհան, counter)
    assert current_calls(driver) == ["A001→Պատուհան 1"]
    assert driver.execute_script("return document.querySelector('#current li').classList.contains('flash')")
    played = wait_for(lambda: [s for s in sounds(driver) if s["event"] == "ended"], "the call's sound to end")
    assert [(s["ticket"], s["language"]) for s in played] == [("A001", "hy")]
    board = server.board()
    assert [(c["ticket"], c["counter"], c["service"], c["language"]) for c in board["called"]] == [
        ("A001", 1, "CASH", "hy")
    ]
    assert board["waiting"]["CASH"] == 0
    # the server served that one sound, once: the chime, then Armenian (Mongolian, the default, has no voice here)
    assert [line.split("ticket=")[1].split(" ready")[0] for line in server.log_lines("sound served")] == [
        "A001 spoken=hy silent=mn"
    ]


def test_recall_shows_and_sounds_again(sqlite_db, web_server, browser):
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "ru", db=sqlite_db)
    server = web_server(sqlite_db)
    driver = open_board(browser, server)
    frontdesk_here("call", "--counter", "2", db=sqlite_db)
    wait_for(lambda: len([s for s in sounds(driver) if s["event"] == "ended"]) == 1, "the first call's sound")
    frontdesk_here("recall", "A001", db=sqlite_db)
    wait_for(lambda: len([s for s in sounds(driver) if s["event"] == "ended"]) == 2, "the recall's sound")
    assert current_calls(driver) == ["A001→Окно 2"]
    assert driver.execute_script("return document.querySelector('#current li').classList.contains('recall')")
    assert recent_calls(driver) == ["A001Окно 2"]  # the first call, now among the earlier ones
    ids = [s["id"] for s in sounds(driver) if s["event"] == "ended"]
    assert len(set(ids)) == 2  # a recall is a call of its own
    served = [line.split("ticket=")[1].split(" ready")[0] for line in server.log_lines("sound served")]
    assert served == ["A001 spoken=ru silent=mn"] * 2


def test_a_call_is_spoken_in_the_ticket_language_then_the_default(sqlite_db, web_server, browser, tmp_path):
    from config.loader import DEFAULT_CONFIG_PATH

    branch = tmp_path / "branch.toml"
    branch.write_text(
        DEFAULT_CONFIG_PATH.read_text(encoding="utf-8").replace('default_language = "mn"', 'default_language = "en"'),
        encoding="utf-8",
    )
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "hy", db=sqlite_db)
    frontdesk_here("ticket", "new", "--service", "CASH", "--lang", "en", db=sqlite_db)
    server = web_server(sqlite_db, config=branch)
    driver = open_board(browser, server)
    frontdesk_here("call", "--counter", "1", db=sqlite_db)
    frontdesk_here("call", "--counter", "2", db=sqlite_db)
    wait_for(lambda: len([s for s in sounds(driver) if s["event"] == "ended"]) == 2, "both sounds played")
    served = [line.split("ticket=")[1].split(" ready")[0] for line in server.log_lines("sound served")]
    # Armenian, then the branch's English; an English ticket once
    assert served == ["A001 spoken=hy,en silent=-", "A002 spoken=en silent=-"]


def test_calls_in_a_row_are_queued_and_played_one_at_a_time(sqlite_db, web_server, browser):
    for lang in ("mn", "hy", "en", "ru"):
        frontdesk_here("ticket", "new", "--service", "CASH", "--lang", lang, db=sqlite_db)
    server = web_server(sqlite_db)
    driver = open_board(browser, server)
    for counter in (1, 2, 3):
        frontdesk_here("call", "--counter", str(counter), db=sqlite_db)
    events = wait_for(
        lambda: (lambda s: s if len([e for e in s if e["event"] == "ended"]) == 3 else None)(sounds(driver)),
        "three sounds played",
    )
    # each sound plays to its end before the next begins, in the order of the calls
    assert [(e["ticket"], e["event"]) for e in events] == [
        ("A001", "playing"),
        ("A001", "ended"),
        ("A002", "playing"),
        ("A002", "ended"),
        ("A003", "playing"),
        ("A003", "ended"),
    ]
    assert [e["language"] for e in events if e["event"] == "ended"] == ["mn", "hy", "en"]
    # what each sound says (the server's record): the chime, the ticket's language, then the
    # default (mn) — which has no voice without a recorded pack, so it is named silent
    served = [line.split("ticket=")[1].split(" ready")[0] for line in server.log_lines("sound served")]
    assert served == ["A001 spoken=- silent=mn", "A002 spoken=hy silent=mn", "A003 spoken=en silent=mn"]
    assert sorted(current_calls(driver)) == ["A001→Цонх 1", "A002→Պատուհան 2", "A003→Counter 3"]
