"""The Kivy app: one window, a ScreenManager, the presenters, and the engine on a worker thread.

``mode`` picks what the window is for:

- ``kiosk``: the customer's kiosk (locked down: Esc and closing ask for a manager PIN);
- ``staff``: one counter's console, behind a staff PIN (the manager's screen one tap away);
- ``manager``: the manager's screen, behind a manager PIN;
- ``counter``: the customer-facing screen at one counter (called number, then a rating);
- ``demo``: all of them in one window, driven by :mod:`kiosk.ui.demo`.

Call :func:`kiosk.ui.lockdown.prepare_kivy` before importing this module::

    prepare_kivy(fullscreen=False)
    from kiosk.ui.app import FrontdeskApp
    FrontdeskApp(cfg, EngineHandle(opener), mode="kiosk").run()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from config.schema import BranchConfig
from kiosk.core.model import Presence, QueueObservation, State
from kiosk.engine import AlertsChanged, Engine, Issued, Reprinted, TicketChanged
from kiosk.i18n import N_, Translator
from kiosk.reports.report_shape import Report
from kiosk.store.changes import ChangeFeed
from kiosk.store.pins import PinCheck, PinStore
from kiosk.ui import (
    screens,  # noqa: F401  (registers the screen classes for the .kv rules)
    widgets,  # noqa: F401  (registers FitLabel, TapButton… for the .kv rules)
)
from kiosk.ui.backend import EngineHandle, GuardedPoll, ThreadRunner
from kiosk.ui.camera_zone import CameraZonePage
from kiosk.ui.chime import Chime
from kiosk.ui.counter_display import CounterDisplay
from kiosk.ui.kiosk_flow import KioskFlow, TicketView
from kiosk.ui.light_mirror import LightMirror
from kiosk.ui.live_updates import LiveUpdates
from kiosk.ui.manager_view import ManagerView
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.staff_console import StaffConsole

KV_DIR = Path(__file__).with_name("kv")
KV_FILES = (
    "common",
    "greeting",
    "service",
    "ticket",
    "feedback",
    "out_of_service",
    "pin",
    "staff",
    "manager",
    "counter",
    "camera_zone",
)
# Changes written anywhere reach the screens through the change feed (kiosk.ui.live_updates);
# the console also reads the queue as time passes: a wait crosses its target with nothing written.
STANDARD_TICK_S = 5.0
RERING_S = 30.0  # an unacknowledged alert rings again
CLOSE_CHECK_S = 30.0  # the kiosk and consoles close the day this soon after closing time
DEVICE_WORDS = {
    "printer": N_("printer"),
    "sensor": N_("presence sensor"),
    "light": N_("alert light"),
    "camera": N_("camera"),
    "connected": N_("connected"),
    "reconnecting": N_("reconnecting"),
    "fault": N_("fault"),
    "stopped": N_("stopped"),
}

log = logging.getLogger(__name__)


class Mode(StrEnum):
    """What the window is for (see the module's docstring); equal to its name as a string."""

    KIOSK = "kiosk"
    STAFF = "staff"
    MANAGER = "manager"
    COUNTER = "counter"
    DEMO = "demo"


PrintHook = Callable[[Issued, TicketView, str], object]
DeviceStatusProvider = Callable[[], list]


def load_kv() -> None:
    for name in KV_FILES:
        path = str(KV_DIR / f"{name}.kv")
        Builder.unload_file(path)
        Builder.load_file(path)


class FrontdeskApp(App):
    lang = StringProperty("mn")  # the customer's language at the kiosk
    staff_lang = StringProperty("mn")  # the language of the staff and manager screens
    vh = NumericProperty(8.0)  # one hundredth of the window height: every size is in these

    def __init__(
        self,
        cfg: BranchConfig,
        handle: EngineHandle,
        mode: Mode | str = Mode.KIOSK,
        counter: int | None = None,
        tr: Translator | None = None,
        staff_lang: str | None = None,
        devices: DeviceStatusProvider | None = None,
        print_ticket: PrintHook | None = None,
        lockdown: bool = False,
        export_dir: Path | None = None,
        alert_light=None,
        watcher=None,
        config_path: Path | None = None,
        db_url: str | None = None,
        **kwargs,
    ):
        """``watcher``: the vision.watch.QueueWatcher this process runs (the kiosk's, when the
        camera is on): the manager's screen then offers the Camera zone page, and Save writes
        the zone into ``config_path`` (None: the zone applies until a restart only).
        ``db_url``: the database whose change feed tells the screens of writes by other
        processes (None, or an in-memory database: only this process's own changes are seen)."""
        super().__init__(**kwargs)
        self.title = "frontdesk"
        self.cfg = cfg
        self.handle = handle
        self.mode = mode = Mode(mode)  # ValueError for a mode there is not
        self.tr_ = tr or Translator.load()
        self.staff_lang = staff_lang or cfg.branch.default_language
        self.lang = cfg.branch.default_language
        self.devices = devices
        self.lockdown = lockdown
        self.export_dir = export_dir or Path.home() / "frontdesk-exports"
        self.runner = ThreadRunner(handle, lambda fn: Clock.schedule_once(lambda _dt: fn(), 0))
        self._print_hook = print_ticket
        # anything with show(level) and acknowledge(): device.desk.Desk or device.light.AlertLight
        self.alert_light = alert_light
        self.flow = (
            KioskFlow(cfg, self.tr_, self.runner, print_ticket=self._print if print_ticket else None)
            if mode in (Mode.KIOSK, Mode.DEMO)
            else None
        )
        number = counter or cfg.counters[0].number
        self.console = (
            StaffConsole(cfg, number, self.tr_, self.staff_lang, self.runner)
            if mode in (Mode.STAFF, Mode.DEMO)
            else None
        )
        self.display = CounterDisplay(cfg, number, self.tr_, self.runner) if mode in (Mode.COUNTER, Mode.DEMO) else None
        self.manager_view = ManagerView(cfg, self.tr_, self.staff_lang)
        self.camera_zone = CameraZonePage(watcher, config_path, self.tr_, self.staff_lang) if watcher else None
        self.pads = {
            role: PinPad(role, [], self.tr_, self.staff_lang, self._check_pin) for role in ("staff", "manager")
        }
        self.chime = Chime()
        self.area = {"kiosk": "kiosk", "demo": "kiosk", "counter": "counter"}.get(mode, "pin")
        self.pin_role = "manager" if mode is Mode.MANAGER else "staff"
        self._pin_cancel_to: str | None = None
        self._manager_return = "kiosk"
        self._may_close = False
        self.live = LiveUpdates(
            self.runner,
            console=self.console,
            flow=self.flow,
            display=self.display,
            print_again=self.print_again if print_ticket and self.flow else None,
        )
        self.db_url = db_url
        self.feed: ChangeFeed | None = None
        self._manager_read = GuardedPoll(self.runner)  # at most one report being built at a time
        self._closing = GuardedPoll(self.runner)  # at most one closing of the day at a time
        self._last_ring = 0.0
        self.exported: list[Path] = []
        self._logged: set[str] = set()
        handle.on_open(lambda engine: engine.subscribe(self._engine_event))

    def set_staff_language(self, lang: str) -> None:
        """The language of the console, the PIN pad and the manager's screen."""
        self.staff_lang = lang
        self.manager_view.set_language(lang)  # its figures were worded when read: worded again
        if self.camera_zone is not None:
            self.camera_zone.lang = lang
        for pad in self.pads.values():
            pad.set_language(lang)  # its message was kept unworded: worded again, redrawn
        if self.console is not None:
            self.console.lang = lang
            if self.console.snapshot is not None:
                self.console.apply_snapshot(self.console.snapshot)
            self.sm.get_screen("staff").rebuild_buttons()  # in the new language
        self.update()

    # -- building -------------------------------------------------------------------
    def tr(self, message: str, lang: str) -> str:
        """For the .kv files: ``app.tr("…", app.lang)`` re-renders when the language changes."""
        return self.tr_.gettext(lang, message)

    def build(self):
        load_kv()
        Window.clearcolor = (0.98, 0.96, 0.9, 1)
        Window.bind(size=self._resized, on_keyboard=self._on_key, on_request_close=self._on_request_close)
        if self.lockdown:
            Window.show_cursor = False
        self._resized(Window, Window.size)
        # screens change at once: quicker for the customer, and no per-change
        # offscreen buffers (a fade costs two full-screen renders per frame)
        sm = ScreenManager(transition=NoTransition())
        if self.flow is not None:
            sm.add_widget(screens.GreetingScreen(name="greeting", flow=self.flow))
            sm.add_widget(screens.ServiceScreen(name="service", flow=self.flow))
            sm.add_widget(screens.TicketScreen(name="ticket", flow=self.flow))
            sm.add_widget(screens.FeedbackScreen(name="feedback", flow=self.flow))
            sm.add_widget(screens.OutOfServiceScreen(name="out_of_service", flow=self.flow))
            self.flow.subscribe(self.update)
            Clock.schedule_interval(lambda _dt: self.flow.tick(), 0.5)
        sm.add_widget(screens.PinScreen(name="pin"))
        if self.console is not None:
            sm.add_widget(screens.StaffScreen(name="staff", console=self.console))
            self.console.subscribe(self.update)
            self.console.on_alerts_raised(lambda _raised: self._ring())
            if self.alert_light is not None:
                mirror, console = LightMirror(self.alert_light), self.console
                console.subscribe(lambda: mirror.show(console.alert_level, console.unacknowledged))
            Clock.schedule_interval(lambda _dt: self._refresh_console(), STANDARD_TICK_S)
        if self.display is not None:
            sm.add_widget(screens.CounterScreen(name="counter", display=self.display))
            sm.add_widget(screens.FeedbackScreen(name="counter_feedback", flow=self.display))
            self.display.subscribe(self.update)
            Clock.schedule_interval(lambda _dt: self.display.tick(), 0.5)
        sm.add_widget(screens.ManagerScreen(name="manager", view=self.manager_view))
        self.manager_view.subscribe(self.update)
        if self.camera_zone is not None:
            sm.add_widget(screens.CameraZoneScreen(name="camera_zone", page=self.camera_zone))
            self.camera_zone.subscribe(self.update)
        for pad in self.pads.values():
            pad.subscribe(self._pin_changed)
        self.sm = sm
        if self.area == "pin":
            self.open_pin(self.pin_role)
        if self.mode in (Mode.KIOSK, Mode.STAFF, Mode.DEMO):  # at start (off at closing time?), then on the clock
            Clock.schedule_once(lambda _dt: self._close_overdue(), 0)
            Clock.schedule_interval(lambda _dt: self._close_overdue(), CLOSE_CHECK_S)
        self._start_feed()
        Clock.schedule_once(lambda _dt: self.update(), 0)
        return sm

    def _close_overdue(self) -> None:
        """Close the tickets still open at the branch's closing (kiosk.core.closing decides)."""

        def closed(tickets) -> None:
            if tickets:
                log.info("closed the day: %d ticket(s) still open at closing time", len(tickets))

        self._closing(
            lambda e: e.close_overdue(),
            closed,
            lambda err: self._log_once("close", f"closing the day failed (tried again shortly): {err}"),
        )

    def _start_feed(self) -> None:
        """Hear the log's changes from every process (the feed's thread hops to Kivy's)."""
        Clock.schedule_once(lambda _dt: self.log_changed(), 0)  # the first read
        url = self.db_url
        if url is None or url.endswith(":memory:"):
            return
        self.feed = ChangeFeed(
            url,
            on_change=lambda: Clock.schedule_once(lambda _dt: self.log_changed(), 0),
            on_status=lambda up: Clock.schedule_once(lambda _dt: self.live.link(up), 0),
        )
        self.feed.start()

    def log_changed(self) -> None:
        """The log changed (any process): the presenters read again; so does the manager's day."""
        self.live.changed()
        if self.area == "manager":
            self._manager_read(self._report_job, self.manager_view.show, lambda _err: self.manager_view.failed())

    def _resized(self, _window, size) -> None:
        self.vh = size[1] / 100.0

    def on_stop(self) -> None:
        if self.feed is not None:
            self.feed.stop()
        self.runner.stop()
        self.handle.drop()

    # -- what the screens show ---------------------------------------------------------
    def screen_name(self) -> str:
        if self.area in ("pin", "staff", "manager", "camera_zone"):
            return self.area
        if self.area == "counter":
            assert self.display is not None, "only a counter or demo window has the counter's area"
            return "counter_feedback" if self.display.step == "feedback" else "counter"
        assert self.flow is not None, "only a kiosk or demo window has the kiosk's area"
        return self.flow.step.value

    def update(self) -> None:
        """Show the screen the presenters are on, with what they hold now."""
        if not hasattr(self, "sm"):
            return
        if self.area == "counter" and self.display is not None:
            self.lang = self.display.lang
        elif self.flow is not None:
            self.lang = self.flow.lang
        name = self.screen_name()
        if self.sm.current != name:
            self.sm.current = name
        screen = self.sm.get_screen(name)
        if name == "staff":
            screen.refresh(self._devices_text())
        elif name == "manager":
            screen.can_close = self.lockdown and self._manager_return in ("kiosk", "counter")
            screen.has_camera = self.camera_zone is not None
            screen.devices = self._devices_text()
            screen.refresh()
        else:
            screen.refresh()

    def _devices_text(self) -> str:
        if self.devices is None:
            return ""
        try:
            statuses = self.devices()
        except Exception as err:  # a device module's fault must not take the console down
            self._log_once("devices", f"the devices' status could not be read: {err!r}")
            return ""

        def t(word: str) -> str:
            return self.tr_.gettext(self.staff_lang, DEVICE_WORDS.get(word, word))

        return "  ·  ".join(f"{t(s.device)}: {t(getattr(s.state, 'value', str(s.state)))}" for s in statuses)

    # -- engine events (any thread) ---------------------------------------------------------
    def _engine_event(self, event: object) -> None:
        Clock.schedule_once(lambda _dt: self._on_event(event), 0)

    def _on_event(self, event: object) -> None:
        if isinstance(event, Presence) and self.flow is not None:
            self.flow.presence()
        elif isinstance(event, TicketChanged):
            live = event.live
            if live.state is State.DONE and self.flow is not None:
                self.flow.ticket_finished(live.ticket.number, live.ticket.language)
            if live.state is State.DONE and self.display is not None and live.period.counter == self.display.counter:
                self.display.ticket_finished(live.ticket.number, live.ticket.language)
            self.live.changed()  # this process's own change, without waiting for the feed
        elif isinstance(event, AlertsChanged) and self.console is not None:
            self.console.apply_alerts(event)
        elif isinstance(event, QueueObservation) and self.console is not None and self.area == "staff":
            self._refresh_console()

    # -- the kiosk's printing ------------------------------------------------------------------
    def _print(self, issued: Issued, view: TicketView, lang: str) -> None:
        flow = self.flow  # the kiosk's flow, which alone prints
        if self._print_hook is None or flow is None:
            return
        try:
            future = self._print_hook(issued, view, lang)
        except Exception as err:  # the customer is asked to remember the number instead
            log.exception("printer: ticket %s not handed to the printer: %r", view.number, err)
            flow.printing_failed()
            return

        def done(fut) -> None:
            try:
                result = fut.result()
                failed = bool(getattr(result, "remember_number", False))
                if failed:
                    log.warning("printer: ticket %s not printed: %s", view.number, getattr(result, "message", result))
            except Exception as err:
                log.exception("printer: ticket %s: the print job failed: %r", view.number, err)
                failed = True
            if failed:
                Clock.schedule_once(lambda _dt: flow.printing_failed(), 0)

        if hasattr(future, "add_done_callback"):
            future.add_done_callback(done)

    def print_again(self, reprinted: Reprinted) -> None:
        """Print a ticket a counter asked to print again (it was claimed for this kiosk in the log)."""
        assert self.flow is not None and self._print_hook is not None
        issued = reprinted.issued
        lang = issued.ticket.language or self.cfg.branch.default_language
        number = issued.ticket.number
        try:
            future = self._print_hook(issued, self.flow.ticket_view(issued, lang), lang)
        except Exception as err:  # the counter's clerk sees the customer; the log keeps the request
            log.exception("printer: ticket %s not printed again: %r", number, err)
            return
        log.info("printer: ticket %s printed again for counter %s", number, reprinted.counter)

        def done(fut) -> None:
            try:
                result = fut.result()
            except Exception as err:
                log.warning("printer: ticket %s: the reprint failed: %r", number, err)
                return
            if getattr(result, "remember_number", False):
                log.warning("printer: ticket %s not printed again: %s", number, getattr(result, "message", result))

        if hasattr(future, "add_done_callback"):
            future.add_done_callback(done)

    # -- the console's background work ------------------------------------------------------------
    def _refresh_console(self) -> None:
        if self.console is None or self.area != "staff" or self.console.staff is None:
            return
        self.live.read_console()
        if self.console.unacknowledged and Clock.get_boottime() - self._last_ring > RERING_S:
            self._ring()

    def _log_once(self, key: str, message: str) -> None:
        """A fault that repeats every tick (a device module's) is logged the first time only."""
        if key not in self._logged:
            self._logged.add(key)
            log.warning(message)

    def _ring(self) -> None:
        self._last_ring = Clock.get_boottime()
        self.chime.ring()

    # -- PINs ------------------------------------------------------------------------------------------
    def _check_pin(self, role: str, name: str, pin: str, answer: Callable[[PinCheck], None]) -> None:
        self.runner(
            lambda e: PinStore(e.store).verify(role, name, pin), answer, lambda _err: self.pads[role].unavailable()
        )

    def open_pin(self, role: str, cancel_to: str | None = None) -> None:
        """Ask for a PIN of ``role``; ``cancel_to`` is the area a Cancel returns to (None: no Cancel)."""
        self.pin_role = role
        self._pin_cancel_to = cancel_to
        self.area = "pin"
        pad = self.pads[role]
        pad.reset()
        screen = self.sm.get_screen("pin")
        screen.pad = pad
        screen.can_cancel = cancel_to is not None
        self.runner(lambda e: PinStore(e.store).names(role), lambda names: pad.reset(names), lambda _err: None)
        self.update()

    def _pin_changed(self) -> None:
        pad = self.pads[self.pin_role]
        if pad.signed_in is not None and self.area == "pin":
            name = pad.signed_in
            pad.reset()
            if self.pin_role == "staff":
                assert self.console is not None, "only a window with a console asks for a staff PIN"
                self.console.sign_in(name)
                self.area = "staff"
                self._refresh_console()
            else:
                self._manager_return = self._pin_cancel_to or "pin"
                self.area = "manager"
                self.refresh_manager()
        self.update()

    def cancel_pin(self) -> None:
        if self._pin_cancel_to is not None:
            self.area = self._pin_cancel_to
            self.update()

    def sign_out(self) -> None:
        if self.console is not None:
            self.console.sign_out()
        self.open_pin("staff")

    # -- the manager's screen -------------------------------------------------------------------------
    def open_manager(self) -> None:
        self.open_pin("manager", cancel_to=self.area)

    def leave_manager(self) -> None:
        back = self._manager_return
        if back == "pin":
            self.open_pin(self.pin_role if self.mode is not Mode.MANAGER else "manager")
            return
        self.area = back
        self.update()

    def open_camera_zone(self) -> None:
        """The Camera zone page (offered on the manager's screen of the app that holds the camera)."""
        if self.camera_zone is None or self.area != "manager":
            return
        self.camera_zone.open()
        self.area = "camera_zone"
        self.update()

    def leave_camera_zone(self) -> None:
        """Back to the manager's screen (its figures read afresh); a zone not saved is forgotten."""
        self.area = "manager"
        self.refresh_manager()
        self.update()

    def _today(self, engine: Engine) -> date:
        return date.fromisoformat(engine.day_of(engine.clock()))

    def _report_job(self, e: Engine) -> Report:
        from kiosk.reports import build_report

        today = self._today(e)
        return build_report(e.store, self.cfg, today, today)

    def refresh_manager(self) -> None:
        self.runner(self._report_job, self.manager_view.show, lambda _err: self.manager_view.failed())

    def export_csv(self) -> None:
        def job(e: Engine) -> tuple[int, Path]:
            from kiosk.reports import export_csv

            today = self._today(e)
            self.export_dir.mkdir(parents=True, exist_ok=True)
            path = self.export_dir / f"visits-{today.isoformat()}.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                rows = export_csv(e.store, self.cfg, out, today, today)
            return rows, path

        def done(result) -> None:
            rows, path = result
            self.exported.append(path)
            self.manager_view.exported(rows, str(path))

        self.runner(job, done, lambda _err: self.manager_view.failed())

    # -- lockdown ------------------------------------------------------------------------------------------
    def _on_key(self, _window, key, *_args) -> bool:
        if key == 27:  # Esc (and Android's back): never quits by itself
            self.request_exit()
            return True
        return False

    def _on_request_close(self, *_args, **_kwargs) -> bool:
        if self._may_close or not self.lockdown:
            return False
        self.request_exit()
        return True  # refused: a manager must sign in first

    def request_exit(self) -> None:
        """Esc or the window's close: a locked kiosk asks for a manager PIN first."""
        if not self.lockdown:
            return
        if self.area in ("kiosk", "counter"):
            self.open_pin("manager", cancel_to=self.area)

    def close_for_good(self) -> None:
        """The manager chose to close the kiosk (only offered after a manager PIN)."""
        self._may_close = True
        self.stop()
