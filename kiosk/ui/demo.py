"""``frontdesk demo --out DIR``: a scripted day on the real windows, with screenshots and the report.

Customers check in at the kiosk in each language (one asks for special care, one
has a complaint), a clerk signs in at counter 1 and at the senior counter and
calls, serves and finishes them, a customer rates the visit, time runs on until
the standard is broken and the console raises its alert, and the manager opens
the day's figures and exports the log. Every tap is a real touch event posted
to Kivy's input system; the demo only reads what the screens show.

Writes ``DIR/NN-<screen>.png``, ``DIR/report.json`` and ``DIR/visits.csv``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from kivy.clock import Clock

from config.schema import BranchConfig
from kiosk.engine import Engine
from kiosk.store import open_store
from kiosk.store.pins import PinStore
from kiosk.ui.app import FrontdeskApp
from kiosk.ui.backend import EngineHandle
from kiosk.ui.staff_console import StaffConsole
from kiosk.ui.touch import tap_widget

DEMO_PINS = {("staff", "Saraa"): "2580", ("staff", "Bat"): "1357", ("manager", "Oyuna"): "9024"}
# (language, service, special care) of the customers who check in
CUSTOMERS = [("mn", "CASH", False), ("hy", "COMPLAINT", False), ("en", "LOANS", True), ("ru", "ACCOUNTS", False)]
Step = float | Callable[[], bool]  # seconds to wait, or a condition to wait for


class ShiftedClock:
    """Wall time plus an offset the demo moves forward (to let waits grow past the standard)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class Demo:
    def __init__(self, cfg: BranchConfig, out: Path, db_url: str):
        self.cfg = cfg
        self.out = out
        self.clock = ShiftedClock()
        store = open_store(db_url)
        for (role, name), pin in DEMO_PINS.items():
            PinStore(store).set_pin(role, name, pin)
        store.close()
        self.db_url = db_url
        handle = EngineHandle(lambda: Engine(cfg, open_store(db_url), clock=self.clock))
        self.app = FrontdeskApp(cfg, handle, mode="demo", counter=1, lockdown=True, export_dir=out)
        self.shots: list[Path] = []
        self.failure: str | None = None
        self._n = 0

    # -- running a script of steps inside Kivy's loop -----------------------------------------
    def run(self) -> int:
        Clock.schedule_once(lambda _dt: self._advance(self.script(), time.monotonic()), 0.5)
        self.app.run()
        return 0 if self.failure is None else 1

    def _advance(self, steps: Iterator[Step], since: float, waiting: Step | None = None) -> None:
        try:
            if callable(waiting) and not waiting():
                if time.monotonic() - since > 15:
                    raise TimeoutError(f"the screen did not reach the expected state (on {self.app.sm.current})")
                Clock.schedule_once(lambda _dt: self._advance(steps, since, waiting), 0.05)
                return
            step = next(steps)
        except StopIteration:
            self.app.close_for_good()
            return
        except Exception as err:  # report and close rather than hang a headless run
            self.failure = f"{type(err).__name__}: {err}"
            self.app.close_for_good()
            return
        if callable(step):
            Clock.schedule_once(lambda _dt: self._advance(steps, time.monotonic(), step), 0.05)
        else:
            Clock.schedule_once(lambda _dt: self._advance(steps, time.monotonic()), step)

    def shot(self, label: str) -> Path:
        self._n += 1
        path = self.out / f"{self._n:02d}-{label}.png"
        self.app.root.export_to_png(str(path))
        self.shots.append(path)
        return path

    def on(self, screen: str) -> Callable[[], bool]:
        sm = self.app.sm
        return lambda: sm.current == screen and sm.transition.is_active is False

    def ids(self, screen: str):
        return self.app.sm.get_screen(screen).ids

    def button(self, container, text: str):
        return next(w for w in container.children if getattr(w, "text", None) == text)

    # -- the day -----------------------------------------------------------------------------
    def script(self) -> Iterator[Step]:
        app, flow, console = self.app, self.app.flow, self.app.console
        assert flow is not None and console is not None, "a demo window has the kiosk and a console"
        yield self.on("greeting")
        yield 0.3
        self.shot("greeting-idle")
        flow.presence()  # what the presence sensor's event does (engine.notify_presence)
        yield lambda: flow.awake
        yield 0.3
        self.shot("greeting-awake")
        from kiosk.i18n import LANGUAGE_NAMES

        for lang, service, care in CUSTOMERS:
            yield self.on("greeting")
            tap_widget(self.button(self.ids("greeting").languages, LANGUAGE_NAMES[lang]))
            yield self.on("service")
            if care:
                tap_widget(self.ids("service").priority)
                yield lambda: flow.priority
            yield 0.2
            self.shot(f"service-{lang}")
            name = self.cfg.service(service).names[lang]
            tap_widget(self.button(self.ids("service").services, name))
            yield self.on("ticket")
            yield 0.2
            self.shot(f"ticket-{lang}")
            tap_widget(self.ids("ticket").done)
        yield self.on("greeting")

        # a clerk signs in at counter 1 and serves the first customer
        app.area = "staff"
        app.open_pin("staff")
        yield lambda: "Saraa" in app.pads["staff"].names
        yield 0.2
        pin_ids = self.ids("pin")
        tap_widget(self.button(pin_ids.names, "Saraa"))
        for digit in DEMO_PINS[("staff", "Saraa")]:
            tap_widget(self.button(pin_ids.keypad, digit))
        yield 0.1
        self.shot("staff-pin")
        tap_widget(pin_ids.ok)
        yield self.on("staff")
        yield lambda: console.snapshot is not None
        actions = self.ids("staff").actions
        for name in ("call_next", "start"):
            yield self.offered(console, name)
            tap_widget(self._action(actions, name))
        yield lambda: console.current is not None and console.current.state.value == "serving"
        yield 0.3
        self.shot("staff-serving")
        yield self.offered(console, "finish")
        tap_widget(self._action(actions, "finish"))
        yield lambda: console.current is None and not console.busy

        # back at the kiosk, the customer just served is asked how it went
        app.area = "kiosk"
        app.update()
        yield self.on("feedback")
        yield 0.3
        self.shot("feedback")
        faces = self.ids("feedback").faces
        tap_widget(faces.children[0].children[-1])  # the last column's face: "Excellent"
        yield lambda: flow.feedback is not None and flow.feedback.thanked
        yield 0.3
        self.shot("feedback-thanks")

        # time runs on: the others wait past their standard, the console alerts
        self.clock.offset += 16 * 60
        app.area = "staff"
        app.update()
        yield lambda: console.unacknowledged
        yield 0.4
        self.shot("staff-alert")
        tap_widget(self.ids("staff").acknowledge)
        yield lambda: not console.unacknowledged

        # the manager looks at the day and exports the log
        tap_widget(self.ids("staff").manager)
        yield lambda: "Oyuna" in app.pads["manager"].names and app.sm.current == "pin"
        yield 0.2
        for digit in DEMO_PINS[("manager", "Oyuna")]:
            tap_widget(self.button(pin_ids.keypad, digit))
        tap_widget(pin_ids.ok)
        yield self.on("manager")
        yield lambda: bool(app.manager_view.tiles)
        tap_widget(self.ids("manager").export)
        yield lambda: bool(app.exported)
        yield 0.4
        self.shot("manager")
        self.write_report()

    @staticmethod
    def offered(console: StaffConsole, button: str) -> Callable[[], bool]:
        """Waits until the console offers ``button`` and no action is under way."""
        return lambda: not console.busy and console.enabled().get(button, False)

    def _action(self, grid, name: str):
        return next(w for w in grid.children if getattr(w, "action_name", None) == name)

    def write_report(self) -> None:
        from kiosk.reports import build_report

        engine = self.app.handle.engine
        assert engine is not None, "the demo's day ran on it"
        today = date.fromisoformat(engine.day_of(engine.clock()))
        store = open_store(self.db_url)
        try:
            report = build_report(store, self.cfg, today, today)
        finally:
            store.close()
        (self.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
