"""The real windows: a Kivy app under Xvfb, driven by touch events through Kivy's input system.

Kivy can open its window once per process, so one app (in ``demo`` mode: kiosk,
console and manager in one window) serves every test of this module, in order.
Each test asserts on what the engine recorded and what the screen shows.
Screenshots of every screen in every language at 1280x800 and 800x480 go to
``test-artifacts/ui/`` (git-ignored); the layout check fails when any text does
not fit its box or a customer's button is smaller than 15 mm on the panel.
"""

from __future__ import annotations

import csv
import os
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.ui.layout_check import drawn_text_problem, layout_problems

pytestmark = pytest.mark.gui

ARTIFACTS = REPO / "test-artifacts" / "ui"
PINS = {("staff", "Saraa"): "2580", ("manager", "Oyuna"): "9024"}
PUBLIC_URL = "http://192.168.1.20:8080"


class ShiftedClock:
    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class Driver:
    """Runs Kivy's loop frame by frame from the test, and taps like a finger."""

    def __init__(self, app, clock, cfg, db_url):
        self.app, self.clock, self.cfg, self.db_url = app, clock, cfg, db_url

    @property
    def engine(self):
        return self.app.handle.engine

    def frames(self, n: int = 2) -> None:
        from kivy.base import EventLoop

        for _ in range(n):
            EventLoop.idle()

    def pump(self, until, timeout: float = 30.0, what: str = "") -> None:
        end = time.monotonic() + timeout
        while not until():
            if time.monotonic() > end:
                raise AssertionError(f"timed out waiting for {what or until} (screen {self.app.sm.current})")
            self.frames(1)

    def settle(self) -> None:
        sm = self.app.sm
        self.pump(lambda: not sm.transition.is_active and self.app.runner.idle(), what="a still screen")
        self.frames(3)

    def on(self, name: str) -> None:
        self.pump(lambda: self.app.sm.current == name, what=f"screen {name}")
        self.settle()

    def ids(self, name: str):
        return self.app.sm.get_screen(name).ids

    def tap(self, widget) -> None:
        from kiosk.ui.touch import tap_widget

        tap_widget(widget)
        self.frames(2)

    def by_text(self, container, text: str):
        found = [w for w in container.walk() if getattr(w, "text", None) == text]
        assert found, f"no widget says {text!r} on {self.app.sm.current}"
        return found[0]

    def resize(self, size: tuple[int, int]) -> None:
        from kivy.core.window import Window

        Window.size = size
        self.pump(lambda: tuple(Window.size) == size, what=f"window size {size}")
        self.frames(3)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.app.root.export_to_png(str(path))
        return path

    def layout_problems(self, lang: str = "en") -> list[str]:
        from kivy.core.window import Window

        screen = self.app.sm.current_screen
        return layout_problems(screen, screen.name, lang, tuple(Window.size))


@pytest.fixture(scope="module")
def gui(tmp_path_factory):
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display: run under xvfb-run (make test does)")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from kiosk.ui.lockdown import prepare_kivy

    prepare_kivy(fullscreen=False, size=(1280, 800))
    from config import load_config
    from config.schema import PrinterDevice
    from kiosk.engine import Engine
    from kiosk.store import open_store
    from kiosk.store.pins import PinStore
    from kiosk.ui.app import FrontdeskApp
    from kiosk.ui.backend import EngineHandle

    example = load_config(None)
    # the camera switched on: the greeting then carries its privacy notice (no camera is opened here)
    # and the branch serves the phone pages: the ticket screen then carries their QR code
    cfg = example.model_copy(
        update={
            "camera": example.camera.model_copy(update={"enabled": True}),
            "web": example.web.model_copy(update={"public_url": PUBLIC_URL}),
            # the app closes the day at closing time; this module runs on the wall clock, whose
            # days then close only at midnight (not while it runs across 18:00)
            "branch": example.branch.model_copy(update={"opening_hours": None}),
            # the branch has a ticket printer (the kiosk's; its driver is tested on a pseudo-terminal
            # in tests/ui/test_live_updates.py): the kiosk and the console offer "Print again"
            "devices": example.devices.model_copy(update={"printer": PrinterDevice(port="/dev/null")}),
        }
    )
    folder = tmp_path_factory.mktemp("gui")
    url = f"sqlite:///{folder / 'frontdesk.sqlite3'}"
    store = open_store(url)
    for (role, name), pin in PINS.items():
        PinStore(store).set_pin(role, name, pin)
    store.close()
    clock = ShiftedClock()
    handle = EngineHandle(lambda: Engine(cfg, open_store(url), clock=clock))
    printed: list[tuple[str, str]] = []  # (number, language) of every ticket handed to the printer

    def print_ticket(issued, view, lang):
        printed.append((view.number, lang))

    app = FrontdeskApp(
        cfg,
        handle,
        mode="demo",
        counter=1,
        lockdown=True,
        export_dir=folder / "exports",
        print_ticket=print_ticket,
        db_url=url,  # the change feed, as the real windows have it
    )
    app._run_prepare()
    driver = Driver(app, clock, cfg, url)
    driver.printed = printed
    driver.on("greeting")
    yield driver
    app.runner.stop()
    app.stop()


def to_kiosk(d: Driver) -> None:
    d.app.area = "kiosk"
    d.app.flow._to_greeting()
    d.on("greeting")


def live_numbers(d: Driver) -> list[str]:
    return [t.ticket.number for t in d.engine.snapshot().tickets]


def test_presence_wakes_the_greeting(gui):
    d = gui
    greeting = d.ids("greeting").greeting
    asleep = greeting.text
    assert asleep == d.app.tr("Welcome!", "mn")
    threading.Thread(target=lambda: d.engine.notify_presence(_presence())).start()  # the sensor's thread
    d.pump(lambda: greeting.text != asleep, what="the greeting to wake")
    assert greeting.text == "Сайн байна уу! Таныг уулзахдаа баяртай байна."
    assert d.ids("greeting").notice.text == d.app.tr(
        "The camera only counts how many people are in line. It keeps no pictures.", "mn"
    )


def _presence():
    from kiosk.core.model import Presence

    return Presence(at=time.time(), source="sensor")


@pytest.mark.parametrize(
    "lang,service,number",
    [("mn", "CASH", "A001"), ("hy", "COMPLAINT", "D001"), ("en", "LOANS", "C001"), ("ru", "ACCOUNTS", "B001")],
)
def test_check_in_by_touch_in_each_language(gui, lang, service, number):
    from kiosk.i18n import LANGUAGE_NAMES

    d = gui
    to_kiosk(d)
    d.tap(d.by_text(d.ids("greeting").languages, LANGUAGE_NAMES[lang]))
    d.on("service")
    assert d.ids("service").back.text == d.app.tr("Back", lang)
    d.tap(d.by_text(d.ids("service").services, d.cfg.service(service).names[lang]))
    d.on("ticket")
    ids = d.ids("ticket")
    assert ids.number.text == number
    assert ids.service.text == d.cfg.service(service).names[lang]
    assert ids.ahead.text == d.app.tr("You are next in line.", lang)  # first of its service today
    assert ids.wait.text and ids.farewell.text == d.app.tr(
        "Thank you! Please take a seat; we will call your number.", lang
    )
    ticket = d.engine.store.find_ticket(d.engine.day_of(d.clock()), number)
    assert (ticket.language, ticket.priority) == (lang, False)
    if service == "COMPLAINT":
        assert ids.heading.text == d.app.tr(
            "We are sorry something went wrong. A senior officer will listen and put it right.", lang
        )
    # the QR code on the screen, read back from the screenshot, names this ticket's phone page
    url = decode_qr(d.shot(f"ticket-qr-{lang}"))
    assert url.startswith(PUBLIC_URL + "/t/")
    found = d.engine.store.ticket_by_token(url.removeprefix(PUBLIC_URL + "/t/"), d.engine.day_of(d.clock()))
    assert found is not None and found.ticket.number == number
    d.tap(ids.done)
    d.on("greeting")


def decode_qr(png: Path) -> str:
    import cv2

    image = cv2.imread(str(png))
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert text, f"no QR code read on {png}"
    return text


def test_special_care_toggle_by_touch(gui):
    d = gui
    to_kiosk(d)
    d.tap(d.by_text(d.ids("greeting").languages, "English"))
    d.on("service")
    d.tap(d.ids("service").priority)
    assert d.ids("service").priority.active
    d.tap(d.by_text(d.ids("service").services, "Cash and payments"))
    d.on("ticket")
    number = d.ids("ticket").number.text
    assert d.engine.store.find_ticket(d.engine.day_of(d.clock()), number).priority
    assert d.ids("ticket").note.text == "Special care: you will be called sooner."


def test_rapid_taps_and_taps_during_screen_change_issue_one_ticket(gui):
    from kiosk.ui.touch import tap_widget

    d = gui
    to_kiosk(d)
    d.tap(d.by_text(d.ids("greeting").languages, "Русский"))
    d.on("service")
    before = len(live_numbers(d))
    button = d.by_text(d.ids("service").services, "Наличные и платежи")
    for _ in range(6):  # a customer hammering the button: no frame in between
        tap_widget(button)
    d.frames(1)
    for _ in range(4):  # and more taps while the ticket screen fades in
        tap_widget(button)
        d.frames(1)
    d.on("ticket")
    assert len(live_numbers(d)) == before + 1
    d.tap(d.ids("ticket").done)
    d.on("greeting")


def test_served_customer_rates_the_visit_by_touch(gui):
    from kiosk.core.model import Action

    d = gui
    to_kiosk(d)
    e = d.engine
    called = e.call_next(1, "Saraa")
    e.act(called.ticket.number, Action.START)
    e.act(called.ticket.number, Action.FINISH)  # the kiosk hears it and asks
    d.on("feedback")
    lang = called.ticket.language  # asked in the customer's own language
    assert d.ids("feedback").subtitle.text == d.app.tr("Ticket %(number)s. Your answer is anonymous.", lang) % {
        "number": called.ticket.number
    }
    good = [col.children[-1] for col in reversed(d.ids("feedback").faces.children)][3]  # 4th face
    d.tap(good)
    d.pump(
        lambda: d.ids("feedback").title.text == d.app.tr("Thank you! Your answer helps us serve you better.", lang),
        what="the thanks",
    )
    d.settle()
    rows = e.store.all(
        "SELECT rating FROM feedback JOIN ticket ON ticket.id = feedback.ticket_id WHERE ticket.number = ?",
        (called.ticket.number,),
    )
    assert rows == [(4,)]


def enter_pin(d: Driver, name: str | None, pin: str) -> None:
    ids = d.ids("pin")
    if name is not None:
        d.pump(lambda: any(getattr(w, "text", None) == name for w in ids.names.children), what=f"name {name}")
        d.tap(d.by_text(ids.names, name))
    for digit in pin:
        d.tap(d.by_text(ids.keypad, digit))
    assert ids.dots.text == "●" * len(pin)
    d.tap(ids.ok)
    d.settle()


def test_staff_sign_in_call_and_alert_banner(gui):
    d = gui
    app = d.app
    # its own customers, not the ones the kiosk tests left: one to call, one who then
    # waits past the standard and raises the banner
    for _ in range(2):
        d.engine.issue("CASH", language="mn")
    app.area = "staff"
    app.open_pin("staff")
    d.on("pin")
    enter_pin(d, "Saraa", "1111")
    assert d.ids("pin").message.text == "ПИН код буруу байна. Дахин оролдоно уу."  # staff screens: branch language
    app.set_staff_language("ru")  # the message on show is worded again, not left in Mongolian
    d.frames(2)
    assert d.ids("pin").message.text == "Неверный PIN. Попробуйте ещё раз."
    app.set_staff_language("mn")
    d.frames(2)
    assert d.ids("pin").message.text == "ПИН код буруу байна. Дахин оролдоно уу."
    assert app.sm.current == "pin"
    enter_pin(d, None, PINS[("staff", "Saraa")])
    d.on("staff")
    ids = d.ids("staff")
    d.pump(lambda: app.console.snapshot is not None, what="the queue")
    call = d.by_text(ids.actions, "Дараах")
    d.tap(call)
    d.pump(lambda: ids.current_number.text != "", what="a called ticket")
    called = ids.current_number.text
    live = {t.ticket.number: t for t in d.engine.snapshot().tickets}
    assert (live[called].state.value, live[called].period.counter, live[called].period.staff) == ("called", 1, "Saraa")
    from device.link import DeviceStatus, LinkState

    app.devices = lambda: [
        DeviceStatus("printer", "/dev/ttyUSB0", LinkState.CONNECTED),
        DeviceStatus("sensor", "/dev/ttyUSB1", LinkState.RECONNECTING),
    ]
    d.pump(lambda: ids.devices.text != "", what="the device status line")
    assert ids.devices.text == "принтер: холбогдсон  ·  хөдөлгөөн мэдрэгч: дахин холбогдож байна"
    rings = app.chime.rings
    d.clock.offset += 20 * 60  # the others wait past their standard
    d.pump(lambda: ids.banner_text.text != "", what="the alert banner")
    assert app.chime.rings > rings
    assert ids.banner.opacity == 1
    d.settle()
    d.tap(ids.acknowledge)
    d.pump(lambda: ids.banner_text.text == "", what="the banner to go")


def action_button(d: Driver, name: str):
    return next(b for b in d.ids("staff").actions.children if getattr(b, "action_name", None) == name)


def test_staff_break_with_its_reason_by_touch(gui):
    d = gui
    app = d.app
    d.on("staff")
    ids = d.ids("staff")
    if app.console.current is not None:  # the customer the sign-in test called never came
        d.tap(action_button(d, "no_show"))
        d.pump(lambda: app.console.current is None, what="a free counter")
        d.settle()
    assert ids.banner.height == 0 and not d.layout_problems("mn")  # an acknowledged banner leaves no gap
    d.tap(action_button(d, "break"))
    d.pump(lambda: any(getattr(w, "choice", None) == "lunch" for w in ids.actions.children), what="the reasons")
    d.settle()
    assert [w.text for w in reversed(ids.actions.children)] == [
        "Үдийн хоол",
        "Богино завсарлага",
        "Хурал",
        "Дотоод ажил",
        "Болих",
    ]
    shot = d.shot("staff-break-reasons-mn")
    assert shot.stat().st_size > 10_000 and not d.layout_problems("mn")
    d.tap(d.by_text(ids.actions, "Үдийн хоол"))
    d.pump(lambda: app.console.on_break, what="the break recorded")
    d.settle()
    clerk = d.engine.staff_state(1)
    assert (clerk.staff, clerk.state.value, clerk.reason) == ("Saraa", "on_break", "lunch")
    assert ids.staff_state.text.startswith("Завсарлага: Үдийн хоол")
    assert action_button(d, "call_next").disabled and action_button(d, "break").text == "Завсарлагаанаас буцлаа"
    d.shot("staff-on-break-mn")
    d.tap(action_button(d, "break"))  # back from the break
    d.pump(lambda: not app.console.away, what="back at the counter")
    assert d.engine.staff_state(1).state.value in ("signed_in", "serving")


def test_the_consoles_queue_lists_eight_tickets_then_how_many_more_and_follows_the_queue(gui):
    from kiosk.core.model import Action
    from kiosk.ui.widgets import FitLabel

    d = gui
    app = d.app
    d.on("staff")
    console, grid = app.console, d.ids("staff").queue
    while (waiting := len(console.rows)) < 11:
        d.engine.issue("LOANS", language="en")
        d.pump(lambda n=waiting: len(console.rows) > n, what="the new ticket on the console")
    d.settle()
    lines = list(reversed(grid.children))
    assert len(lines) == 9
    assert [line.text.split()[0] for line in lines[:8]] == [row.number for row in console.rows[:8]]
    assert lines[8].text == console.t("… and %(n)d more") % {"n": len(console.rows) - 8}
    assert lines[8].color == FitLabel().color  # a plain label's colour, readable on the console
    assert not d.layout_problems("mn")
    d.shot("staff-queue-and-more-mn")
    # the queue shrinks (every waiting ticket but two walks away): the same lines, rewritten
    for row in console.rows[2:]:
        d.engine.act(row.number, Action.WALK_AWAY)
    d.pump(lambda: len(console.rows) == 2, what="the queue of two")
    d.settle()
    assert list(reversed(grid.children)) == lines
    assert [line.text.split()[0] for line in lines[:2]] == [row.number for row in console.rows]
    assert [line.text for line in lines[2:]] == [""] * 7
    d.shot("staff-queue-of-two-mn")


def test_manager_sees_the_day_and_exports_it(gui):
    pytest.importorskip("kiosk.reports")
    d = gui
    app = d.app
    d.tap(d.ids("staff").manager)
    d.on("pin")
    enter_pin(d, "Oyuna", PINS[("manager", "Oyuna")])
    d.on("manager")
    d.pump(lambda: bool(app.manager_view.tiles), what="the figures")
    d.settle()
    tiles = d.ids("manager").tiles
    arrived = tiles.children[-1].children[-1].text  # first tile: value above label
    assert int(arrived) == d.engine.store.one("SELECT COUNT(*) FROM ticket")[0]
    d.tap(d.ids("manager").export)
    d.pump(lambda: bool(app.exported), what="the export")
    with app.exported[-1].open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["ticket", "service"] and len(rows) >= 2
    # the staff language changes while the figures are on show: they are worded again, not read again
    was = app.staff_lang
    app.set_staff_language("en" if was != "en" else "ru")
    d.frames(3)
    now = app.staff_lang
    first = tiles.children[-1]
    assert first.children[-1].text == arrived and first.children[0].text == app.tr("Arrived", now)
    visits = len(rows) - 1
    assert d.ids("manager").message.text == app.tr_.ngettext(
        now, "Saved %(n)d visit to %(path)s", "Saved %(n)d visits to %(path)s", visits
    ) % {"n": visits, "path": str(app.exported[-1])}
    d.shot(f"manager-after-language-change-{was}-to-{now}")
    app.set_staff_language(was)
    d.tap(d.ids("manager").back)
    d.on("staff")


def test_escape_and_close_ask_for_a_manager_pin(gui):
    from kivy.core.window import Window

    d = gui
    to_kiosk(d)
    Window.dispatch("on_keyboard", 27, 0, None, [])
    d.on("pin")
    assert d.app.pin_role == "manager"
    assert Window.dispatch("on_request_close") is True  # refused
    d.tap(d.ids("pin").cancel)
    d.on("greeting")


def test_database_loss_shows_out_of_service_and_recovers(gui):
    d = gui
    to_kiosk(d)
    d.tap(d.by_text(d.ids("greeting").languages, "English"))
    d.on("service")
    d.engine.store._conn.close()  # the database goes away under the running kiosk
    # either the customer's tap or the kiosk's own 2-second check finds out first
    d.tap(d.by_text(d.ids("service").services, "Cash and payments"))
    d.on("out_of_service")
    lines = [w.text for w in d.ids("out_of_service").lines.children]
    assert d.app.tr("Sorry, this kiosk is not working right now. Please ask at the desk.", "hy") in lines
    flow = d.app.flow
    real = flow.clock
    flow.clock = lambda: real() + 60  # skip the retry pause
    d.on("greeting")
    flow.clock = real
    assert d.engine is not None and live_numbers(d)


def free_counter_one(d: Driver) -> None:
    """Whoever earlier tests left at counter 1 is seen off, so that it may call again."""
    from kiosk.core.lifecycle import allowed_actions
    from kiosk.core.model import Action

    for t in d.engine.snapshot().tickets:
        if t.period.counter == 1 and t.state.value in ("called", "serving", "on_hold"):
            way_out = next(
                a for a in (Action.FINISH, Action.NO_SHOW, Action.WALK_AWAY) if a in allowed_actions(t.state)
            )
            d.engine.act(t.ticket.number, way_out)


def test_a_clerk_calls_the_customers_number_and_prints_a_ticket_again_by_touch(gui):
    d = gui
    app = d.app
    d.resize((1280, 800))
    free_counter_one(d)
    shown = [d.engine.issue("CASH", language="hy").ticket.number for _ in range(3)]
    app.set_staff_language("en")
    app.console.sign_in("Saraa")
    app.area = "staff"
    app.update()
    d.on("staff")
    ids = d.ids("staff")
    d.pump(lambda: {r.number for r in app.console.rows} >= set(shown), what="the new tickets on the console")
    d.pump(lambda: app.console.enabled()["call_number"], what="Call a number enabled")
    d.settle()
    d.tap(d.by_text(ids.actions, "Call a number"))
    d.pump(lambda: any(getattr(w, "text", "") == shown[2] for w in ids.actions.children), what="the numbers")
    d.settle()
    d.shot("staff-call-a-number")
    d.tap(d.by_text(ids.actions, shown[2]))  # the customer at the counter shows the third number
    d.pump(lambda: ids.current_number.text == shown[2], what="the chosen number called")
    live = {t.ticket.number: t for t in d.engine.snapshot().tickets}
    assert (live[shown[2]].state.value, live[shown[2]].period.counter) == ("called", 1)
    assert live[shown[0]].state.value == "waiting"  # the others keep their place
    d.settle()
    d.tap(d.by_text(ids.actions, "Print again"))
    d.pump(lambda: any(getattr(w, "text", "") == shown[0] for w in ids.actions.children), what="the numbers")
    d.settle()
    d.shot("staff-print-again")
    before = len(d.printed)
    d.tap(d.by_text(ids.actions, shown[0]))  # a lost ticket: printed again by the kiosk
    d.pump(lambda: "printed again" in ids.message.text, what="the console to say so")
    # the kiosk's side of this same window hears of it through the change feed and prints it
    d.pump(lambda: len(d.printed) > before, what="the kiosk to print it again")
    assert d.printed[-1] == (shown[0], "hy")  # the same number, in the customer's language
    d.settle()
    d.shot("staff-printed-again")
    app.console.sign_out()


def test_the_customer_prints_a_jammed_ticket_again_by_touch(gui):
    d = gui
    app = d.app
    d.resize((1280, 800))
    to_kiosk(d)
    app.flow.choose_language("en")
    d.on("service")
    app.flow.choose_service("CASH")
    d.on("ticket")
    ids = d.ids("ticket")
    number = ids.number.text
    assert d.printed[-1] == (number, "en")
    d.settle()
    d.shot("ticket-print-again")
    d.tap(ids.reprint)
    d.pump(lambda: ids.note.text == "Your ticket is being printed again.", what="the note")
    assert d.printed[-2:] == [(number, "en"), (number, "en")]
    assert ids.reprint.opacity == 0  # once per ticket
    d.settle()
    d.shot("ticket-printed-again")
    assert [t.ticket.number for t in d.engine.snapshot().tickets].count(number) == 1
    to_kiosk(d)


def _extent(word: str, font_size: float, like) -> float:
    """How wide ``word`` is drawn at ``font_size`` in the font of the widget ``like``."""
    from kivy.core.text import Label as CoreLabel

    return CoreLabel(font_size=font_size, font_name=like.font_name).get_extents(word)[0]


@pytest.mark.parametrize("disabled", [True, False])
def test_layout_check_reports_a_word_that_cannot_be_whole_on_a_button(gui, disabled):
    from kivy.uix.boxlayout import BoxLayout

    from kiosk.ui.widgets import MIN_FONT, TapButton

    word = "Дараагийнхыг"  # one long word, as the console's Mongolian buttons had
    probe = TapButton(text=word)
    pad = probe.padding_x
    smallest = _extent(word, MIN_FONT, probe)

    def check(width: float) -> list[str]:
        row = BoxLayout(size=(width, 60))
        row.add_widget(TapButton(text=word, max_font=30, disabled=disabled))
        row.do_layout()
        return layout_problems(row, "staff", "mn", (800, 480))

    # half a pixel too narrow even in the smallest font: Kivy breaks the word between letters
    assert [p for p in check(smallest + 2 * pad - 0.5) if "breaks a word" in p], "a broken word went unreported"
    assert check(smallest / 2 + 2 * pad)  # far too narrow: reported too
    assert check(smallest + 2 * pad + 2) == []  # room for it in the smallest font: nothing to report


@pytest.mark.parametrize("disabled", [True, False])
def test_a_button_shrinks_its_font_rather_than_break_a_word(gui, disabled):
    from kiosk.ui.widgets import TapButton

    text, largest = "Дараагийн хүн", 16.4  # the console's "Call next" that broke at 800x480
    probe = TapButton(text=text)
    width = _extent("Дараагийн", largest, probe) + 2 * probe.padding_x - 0.5  # a pixel short at full size
    button = TapButton(text=text, max_font=largest, disabled=disabled, size_hint=(None, None), size=(width, 96))
    assert button.font_size < largest
    assert drawn_text_problem(button) is None
    assert button.fits()


def _screens_in(d: Driver, lang: str, size: tuple[int, int]) -> dict[str, list[str]]:
    """Put every screen up in ``lang``; return its layout problems by screen."""
    app, flow = d.app, d.app.flow
    problems: dict[str, list[str]] = {}
    tag = f"{size[0]}x{size[1]}-{lang}"

    def capture(name: str) -> None:
        d.settle()
        d.shot(f"{tag}-{name}")
        problems[name] = d.layout_problems(lang)

    to_kiosk(d)
    flow.presence()
    d.settle()
    d.app.sm.get_screen("greeting").home_lang = lang  # as a branch whose default language is this one
    capture("greeting")
    flow.choose_language(lang)
    d.on("service")
    flow.set_priority(True)
    capture("service")
    flow.choose_service("COMPLAINT")
    d.on("ticket")
    capture("ticket-complaint")
    flow.done()
    d.on("greeting")
    flow.choose_language(lang)
    flow.choose_service("LOANS")
    d.on("ticket")
    capture("ticket")
    flow.done()
    d.on("greeting")
    flow.ticket_finished(f"Z{size[1]}{lang}", lang)
    d.on("feedback")
    capture("feedback")
    flow.feedback = type(flow.feedback)(flow.feedback.number, lang, thanked=True)
    flow._changed()
    capture("feedback-thanks")
    flow.out_of_service()
    d.on("out_of_service")
    capture("out-of-service")
    flow._to_greeting()
    display = app.display
    app.area = "counter"
    display.step, display.number, display.lang = "called", "D012", lang
    display._changed()
    d.on("counter")
    capture("counter")
    display.asks = True
    display.ticket_finished(f"D{size[1]}{lang}", lang)
    d.on("counter_feedback")
    capture("counter-feedback")
    display.asks = False
    display._to_idle()
    app.set_staff_language(lang)
    app.area = "staff"
    app.open_pin("staff")
    d.on("pin")
    capture("pin")
    app.console.sign_in("Saraa")
    app.area = "staff"
    app.update()
    d.on("staff")
    d.pump(lambda: app.console.snapshot is not None)
    # the camera's count on show too, in its longest Russian form ("22 человека"), and the
    # camera alerts it raises (on the banner when they are the worst)
    from kiosk.core.model import QueueObservation

    d.engine.observe(QueueObservation(at=d.clock(), people=22))
    d.pump(lambda: d.ids("staff").camera.text != "", what="the camera's count")
    app.console.unacknowledged = bool(app.console.alerts)
    app.update()
    capture("staff")
    if app.console.enabled().get("break"):
        app.console.press("break")
        capture("staff-break")
        app.console.take_break(None)
    for choose in ("call_number", "reprint"):  # the number pickers (when the queue offers numbers)
        if app.console.enabled().get(choose):
            app.console.press(choose)
            capture(f"staff-{choose.replace('_', '-')}")
            app.console.choose_ticket(None)
    app.console.press("transfer") if app.console.enabled().get("transfer") else None
    if app.console.choosing_transfer:
        capture("staff-transfer")
        app.console.transfer_to(None)
    app.area = "manager"
    app._manager_return = "staff"
    app.refresh_manager()
    d.on("manager")
    d.pump(lambda: bool(app.manager_view.tiles) or bool(app.manager_view.message))
    capture("manager")
    app.area = "kiosk"
    to_kiosk(d)
    return problems


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)])
def test_every_screen_in_every_language_fits(gui, size):
    d = gui
    d.resize(size)
    found = []
    for lang in d.cfg.branch.languages:
        for problems in _screens_in(d, lang, size).values():
            found += [f"{size} {lang} {p}" for p in problems]
    assert not found, "\n".join(found[:20])
