"""The counter console, the PIN pad and the manager's view, without a window, on a real engine."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.core.model import Level, QueueObservation, State
from kiosk.store.pins import LOCK_S, MAX_TRIES, PinStore
from kiosk.ui.manager_view import ManagerView
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.staff_console import StaffConsole


@pytest.fixture
def engine(handle):
    handle.call(lambda e: None)
    return handle.engine


def console_for(cfg, tr, run, clock, counter=1, lang="en") -> StaffConsole:
    c = StaffConsole(cfg, counter, tr, lang, run, clock=clock)
    c.sign_in("Saraa")
    c.refresh()
    return c


def test_call_start_finish_are_recorded_with_counter_and_staff(cfg, tr, run, engine, ui_clock):
    engine.issue("CASH", language="mn")
    console = console_for(cfg, tr, run, ui_clock)
    assert console.enabled()["call_next"] and not console.enabled()["finish"]
    console.press("finish")  # not allowed yet: nothing happens
    console.press("call_next")
    assert console.current.ticket.number == "A001" and console.current.state is State.CALLED
    assert console.enabled()["recall"] and not console.enabled()["call_next"]
    console.press("start")
    ui_clock.advance(90)
    console.press("finish")
    assert console.current is None
    tickets, periods = engine.store.day_history(engine.day_of(ui_clock()))
    assert [(p.state, p.counter, p.staff) for p in periods][1:] == [
        (State.CALLED, 1, "Saraa"),
        (State.SERVING, 1, "Saraa"),
        (State.DONE, 1, "Saraa"),
    ]


def test_nobody_waiting_is_said_plainly(cfg, tr, run, engine, ui_clock):
    engine.issue("LOANS")  # counter 1 does not serve loans
    console = console_for(cfg, tr, run, ui_clock)
    console.press("call_next")
    assert console.message == "Nobody is waiting for this counter."
    assert [(r.number, r.for_this_counter) for r in console.rows] == [("C001", False)]


def test_waits_are_coloured_against_the_standard_and_alerts_need_acknowledging(cfg, tr, run, engine, ui_clock):
    engine.issue("CASH")  # target wait 600 s, warning from 480 s
    rings = []
    console = console_for(cfg, tr, run, ui_clock)
    console.press("break")
    console.take_break("lunch")  # away on a break: the counter's idle time is not an alert, only the wait
    console.on_alerts_raised(rings.append)
    assert console.rows[0].level is Level.WITHIN and not console.unacknowledged
    ui_clock.advance(500)
    console.refresh()
    assert console.rows[0].level is Level.WARNING
    assert console.unacknowledged and len(rings) == 1
    assert console.banner() == "A001 has waited 8 min (standard 10 min)"
    console.acknowledge()
    assert not console.unacknowledged
    ui_clock.advance(200)
    console.refresh()  # warning -> breach is a new alert: it rings again
    assert console.rows[0].level is Level.BREACH and console.alert_level is Level.BREACH
    assert console.unacknowledged and len(rings) == 2


def test_transfer_hold_and_break(cfg, tr, run, engine, ui_clock):
    engine.issue("CASH")
    console = console_for(cfg, tr, run, ui_clock)
    console.press("call_next")
    console.press("hold")
    assert console.current.state is State.ON_HOLD
    console.press("transfer")
    assert console.choosing_transfer and ("CASH", "Cash and payments") not in console.transfer_choices()
    console.transfer_to("ACCOUNTS")
    assert console.current is None
    assert [(r.number, r.service) for r in console.rows] == [("A001", "Accounts and cards")]
    console.press("break")
    assert console.choosing_break and not console.on_break
    console.take_break("meeting")
    assert console.on_break and not console.enabled()["call_next"]
    console.press("break")
    assert not console.on_break


def test_another_counter_taking_the_ticket_first_is_explained(cfg, tr, run, engine, ui_clock):
    engine.issue("CASH")
    console = console_for(cfg, tr, run, ui_clock)
    console.press("call_next")
    engine.act("A001", engine_action("NO_SHOW"))  # marked elsewhere meanwhile
    console.press("start")
    assert console.message.startswith("That was not possible")
    assert console.current is None


def engine_action(name):
    from kiosk.core.model import Action

    return Action[name]


def test_camera_count_is_shown_when_vision_is_on(cfg, tr, run, engine, ui_clock):
    console = console_for(cfg, tr, run, ui_clock, lang="ru")
    assert console.camera_lines() == []
    engine.observe(QueueObservation(at=ui_clock(), people=6, longest_wait_s=540.0, mean_recent_wait_s=300.0))
    console.refresh()
    assert console.camera_lines() == [
        "Камера: в очереди 6 человек",
        "Недавнее ожидание: около 5 мин",
        "Дольше всех в очереди: 9 мин",
    ]


def pad_for(engine, tr, role="staff", lang="en"):
    pins = PinStore(engine.store, clock=engine.clock)

    def check(role, name, pin, answer):
        answer(pins.verify(role, name, pin))

    return pins, PinPad(role, pins.names(role), tr, lang, check)


def test_pin_pad_signs_in_and_a_wrong_pin_reveals_nothing(engine, tr):
    pins, _ = pad_for(engine, tr)
    pins.set_pin("staff", "Saraa", "2580")
    pins.set_pin("staff", "Bat", "1357")
    _, pad = pad_for(engine, tr)
    pad.key("1")  # no name chosen yet: ignored
    assert pad.digits == ""
    pad.choose("Bat")
    for d in "9999":
        pad.key(d)
    assert pad.dots() == "●●●●"
    pad.enter()
    wrong_known = pad.message
    pad.names.append("Nobody")  # a name that has no PIN at all
    pad.choose("Nobody")
    for d in "9999":
        pad.key(d)
    pad.enter()
    assert pad.message == wrong_known == "Wrong PIN. Please try again."
    pad.choose("Saraa")
    for d in "2580":
        pad.key(d)
    pad.enter()
    assert pad.signed_in == "Saraa" and pad.digits == ""


def test_five_wrong_tries_lock_the_name_durably(engine, tr, db_file, ui_clock):
    from kiosk.store import open_store

    pins, pad = pad_for(engine, tr, lang="ru")
    pins.set_pin("manager", "Oyuna", "9024")
    for _ in range(MAX_TRIES):
        assert not pins.verify("manager", "Oyuna", "1111").ok
    again = PinStore(open_store(db_file), clock=ui_clock)  # another console, or after a restart
    check = again.verify("manager", "Oyuna", "9024")
    assert not check.ok and check.locked_for_s > 0
    ui_clock.advance(LOCK_S + 1)
    assert again.verify("manager", "Oyuna", "9024").ok
    again.store.close()


def test_locked_message_in_russian(engine, tr):
    pins, _ = pad_for(engine, tr)
    pins.set_pin("manager", "Oyuna", "9024")
    _, pad = pad_for(engine, tr, role="manager", lang="ru")
    for _ in range(MAX_TRIES):
        for d in "0000":
            pad.key(d)
        pad.enter()
    assert pad.message == "Слишком много неверных попыток. Повторите через 5 минут."
    assert pad.signed_in is None


def test_pin_hash_is_a_salted_kdf_not_the_pin(engine):
    pins = PinStore(engine.store)
    pins.set_pin("staff", "A", "2580")
    pins.set_pin("staff", "B", "2580")
    rows = engine.store.all("SELECT kdf, salt, pin_hash FROM staff_pin ORDER BY name")
    assert all(r[0].startswith("scrypt$") for r in rows)
    assert rows[0][2] != rows[1][2]  # same PIN, different salt, different hash
    assert all("2580" not in r[2] for r in rows)


def test_manager_view_words_the_report_of_the_day(cfg, tr, engine, ui_clock):
    reports = pytest.importorskip("kiosk.reports")
    for code in ("CASH", "CASH", "LOANS"):
        engine.issue(code)
    engine.call_next(1, "Saraa")
    engine.act("A001", engine_action("START"))
    ui_clock.advance(300)
    engine.act("A001", engine_action("FINISH"))
    engine.rate("A001", 5)
    ui_clock.advance(1300)
    engine.tick()  # A002 and C001 have now waited past their standard
    today = date.fromisoformat(engine.day_of(ui_clock()))
    view = ManagerView(cfg, tr, "en")
    view.show(reports.build_report(engine.store, cfg, today, today))
    tiles = {t.label: t.value for t in view.tiles}
    assert tiles["Arrived"] == "3" and tiles["Served"] == "1"
    assert tiles["Average service time"] == "5 min"
    assert tiles["Customer rating"] == "5.0 / 5"
    assert any("A002 has waited" in line for line in view.breaches)
    assert view.hours and view.hours[0].arrived == 3


def test_manager_view_words_what_is_on_show_again_when_the_language_changes(cfg, tr, engine, ui_clock):
    reports = pytest.importorskip("kiosk.reports")
    for code in ("CASH", "LOANS"):
        engine.issue(code)
    ui_clock.advance(1300)
    engine.tick()  # both have now waited past their standard: breaches to word
    today = date.fromisoformat(engine.day_of(ui_clock()))
    report = reports.build_report(engine.store, cfg, today, today)
    view = ManagerView(cfg, tr, "en")
    redraws = []
    view.subscribe(lambda: redraws.append(view.lang))
    view.show(report)
    view.exported(2, "/tmp/day.csv")
    english = list(view.tiles)
    view.set_language("ru")
    as_if_read_in_russian = ManagerView(cfg, tr, "ru")
    as_if_read_in_russian.show(report)
    as_if_read_in_russian.exported(2, "/tmp/day.csv")
    assert view.tiles == as_if_read_in_russian.tiles and view.tiles != english
    assert [t.value for t in view.tiles] == [t.value for t in english]
    assert view.breaches == as_if_read_in_russian.breaches and len(view.breaches) == 2
    assert view.message == as_if_read_in_russian.message == "Сохранено 2 визита в файл /tmp/day.csv"
    assert view.hours == as_if_read_in_russian.hours and view.day == as_if_read_in_russian.day
    assert redraws[-1] == "ru"  # the screen was told to redraw in the new language
    view.failed()
    view.set_language("mn")
    assert view.message == tr.gettext("mn", "The figures cannot be read now. Please try again.")
    assert view.tiles[0].label == tr.gettext("mn", "Arrived")  # the last figures stay, in Mongolian


def test_manager_view_changes_language_before_any_figures(cfg, tr):
    view = ManagerView(cfg, tr, "en")
    view.set_language("hy")
    assert (
        view.tiles == []
        and view.message == ""
        and view.no_breaches_text() == tr.gettext("hy", "No breaches of the standard today.")
    )


def test_pin_check_without_a_database_does_not_say_wrong_pin(tr):
    pad = PinPad("staff", ["Saraa"], tr, "en", lambda role, name, pin, answer: pad.unavailable())
    for d in "2580":
        pad.key(d)
    pad.enter()
    assert pad.message == "The PIN cannot be checked now: the database cannot be reached."
    assert not pad.checking and pad.signed_in is None


def test_camera_count_from_another_process_reaches_the_console(cfg, tr, run, engine, db_file, ui_clock):
    from kiosk.engine import Engine
    from kiosk.store import open_store

    camera_side = Engine(cfg, open_store(db_file), clock=ui_clock)  # the vision process
    camera_side.observe(QueueObservation(at=ui_clock(), people=4))
    console = console_for(cfg, tr, run, ui_clock)
    assert console.camera_lines() == ["Camera: 4 people in line"]
    ui_clock.advance(30)  # an old count is not shown as if it were now
    console.refresh()
    assert console.camera_lines() == []
    camera_side.store.close()


def test_pin_pad_words_its_message_again_when_the_language_changes(engine, tr):
    pins, _ = pad_for(engine, tr)
    pins.set_pin("manager", "Oyuna", "9024")
    _, pad = pad_for(engine, tr, role="manager", lang="en")
    redraws = []
    pad.subscribe(lambda: redraws.append(pad.lang))
    for d in "0000":
        pad.key(d)
    pad.enter()
    assert pad.message == "Wrong PIN. Please try again."
    pad.set_language("ru")
    assert pad.message == tr.gettext("ru", "Wrong PIN. Please try again.") != "Wrong PIN. Please try again."
    assert redraws[-1] == "ru"  # the screen was told to redraw in the new language
    for _ in range(MAX_TRIES - 1):
        for d in "0000":
            pad.key(d)
        pad.enter()
    assert pad.message == "Слишком много неверных попыток. Повторите через 5 минут."
    pad.set_language("en")  # the same count, in the other language's plural form
    assert pad.message == "Too many wrong tries. Try again in 5 minutes."
    pad.set_language("mn")
    assert pad.message == tr.ngettext(
        "mn", "Too many wrong tries. Try again in %(n)d minute.", "Too many wrong tries. Try again in %(n)d minutes.", 5
    ) % {"n": 5}
    pad.unavailable()
    pad.set_language("hy")
    assert pad.message == tr.gettext("hy", "The PIN cannot be checked now: the database cannot be reached.")
    pad.key("1")  # typing again clears the message, in any language
    pad.set_language("ru")
    assert pad.message == ""


@pytest.mark.parametrize(
    "lang, said",
    [
        (
            "en",
            {
                1: "Saved 1 visit to /tmp/day.csv",
                2: "Saved 2 visits to /tmp/day.csv",
                5: "Saved 5 visits to /tmp/day.csv",
                21: "Saved 21 visits to /tmp/day.csv",
            },
        ),
        (
            "ru",
            {
                1: "Сохранён 1 визит в файл /tmp/day.csv",
                2: "Сохранено 2 визита в файл /tmp/day.csv",
                5: "Сохранено 5 визитов в файл /tmp/day.csv",
                21: "Сохранён 21 визит в файл /tmp/day.csv",
            },
        ),
    ],
)
def test_export_message_counts_visits_in_the_language_s_plural_forms(cfg, tr, lang, said):
    view = ManagerView(cfg, tr, "mn")
    for rows, expected in said.items():
        view.exported(rows, "/tmp/day.csv")
        view.set_language(lang)  # worded again with the same count
        assert view.message == expected
        view.set_language("mn")


# a count in each plural form: en "1 person / 2, 5, 21 people"; ru 1 and 21 / 2 / 5
PEOPLE_IN_LINE = {
    "en": {
        1: "Camera: 1 person in line",
        2: "Camera: 2 people in line",
        5: "Camera: 5 people in line",
        21: "Camera: 21 people in line",
    },
    "ru": {
        1: "Камера: в очереди 1 человек",
        2: "Камера: в очереди 2 человека",
        5: "Камера: в очереди 5 человек",
        21: "Камера: в очереди 21 человек",
    },
}


@pytest.mark.parametrize("lang", PEOPLE_IN_LINE)
def test_camera_count_uses_the_language_s_plural_forms(cfg, tr, run, engine, ui_clock, lang):
    console = console_for(cfg, tr, run, ui_clock, lang=lang)
    for people, said in PEOPLE_IN_LINE[lang].items():
        ui_clock.advance(1)
        engine.observe(QueueObservation(at=ui_clock(), people=people))
        console.refresh()
        assert console.camera_lines() == [said]


ALERTS = {
    "en": {
        "queue_length": {
            1: "1 person waiting (limit 12)",
            2: "2 people waiting (limit 12)",
            5: "5 people waiting (limit 12)",
            21: "21 people waiting (limit 12)",
        },
        "untracked_people": {
            1: "The camera sees 1 more person in line than tickets",
            2: "The camera sees 2 more people in line than tickets",
            5: "The camera sees 5 more people in line than tickets",
            21: "The camera sees 21 more people in line than tickets",
        },
    },
    "ru": {
        "queue_length": {
            1: "Ожидает 1 человек (предел 12)",
            2: "Ожидают 2 человека (предел 12)",
            5: "Ожидают 5 человек (предел 12)",
            21: "Ожидает 21 человек (предел 12)",
        },
        "untracked_people": {
            1: "Камера видит в очереди на 1 человека больше, чем талонов",
            2: "Камера видит в очереди на 2 человека больше, чем талонов",
            5: "Камера видит в очереди на 5 человек больше, чем талонов",
            21: "Камера видит в очереди на 21 человека больше, чем талонов",
        },
    },
}


@pytest.mark.parametrize("lang", ALERTS)
@pytest.mark.parametrize("kind", ["queue_length", "untracked_people"])
def test_counted_alerts_use_the_language_s_plural_forms(cfg, tr, run, lang, kind):
    from kiosk.core.model import Alert

    console = StaffConsole(cfg, 1, tr, lang, run)
    for people, said in ALERTS[lang][kind].items():
        assert console.alert_text(Alert(kind, "branch", Level.BREACH, float(people), 12.0)) == said


def test_camera_alerts_on_the_console_count_in_russian(cfg, tr, run, engine, ui_clock):
    engine.observe(QueueObservation(at=ui_clock(), people=21))  # nobody took a ticket
    console = console_for(cfg, tr, run, ui_clock, lang="ru")
    assert [a.text for a in console.alerts] == [
        "Ожидает 21 человек (предел 12)",
        "Камера видит в очереди на 21 человека больше, чем талонов",
    ]


def test_console_words_its_message_again_when_the_language_changes(cfg, tr, run, engine, ui_clock):
    console = console_for(cfg, tr, run, ui_clock)
    redraws = []
    console.subscribe(lambda: redraws.append(console.lang))
    console.press("call_next")  # nobody is waiting
    assert console.message == "Nobody is waiting for this counter."
    console.set_language("ru")
    assert console.message == "К этому окну никто не ждёт."
    assert redraws[-1] == "ru"  # the screen was told to redraw in the new language
    console.press("break")
    console.take_break("short_break")
    assert console.message == "Перерыв: клиенты не вызываются."
    console.set_language("hy")
    assert console.message == tr.gettext("hy", "On a break: no customers are called.")
    console.press("break")  # back from the break: no message, in any language
    console.set_language("en")
    assert console.message == ""
    engine.issue("CASH")
    console.refresh()
    console.press("call_next")
    engine.act("A001", engine_action("NO_SHOW"))  # marked elsewhere meanwhile
    console.press("start")
    console.set_language("mn")
    assert console.message == tr.gettext("mn", "That was not possible: the ticket has changed. Here is the queue now.")


def test_console_words_the_database_loss_again_when_the_language_changes(cfg, tr, tmp_path):
    from kiosk.engine import Engine
    from kiosk.store import open_store
    from kiosk.ui.backend import EngineHandle, InlineRunner

    missing = f"sqlite:///{tmp_path / 'no-such-folder' / 'frontdesk.sqlite3'}"  # cannot be opened
    handle = EngineHandle(lambda: Engine(cfg, open_store(missing)))
    console = StaffConsole(cfg, 1, tr, "en", InlineRunner(handle))
    console.sign_in("Saraa")
    console.refresh()
    assert console.out_of_service and console.message == "The database cannot be reached. Retrying…"
    console.set_language("ru")
    assert console.message == "База данных недоступна. Повторяем попытку…"
