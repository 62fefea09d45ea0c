"""Changes pushed, not polled (issue 14), with the presenters and no window: consoles and the
kiosk hear another process's writes through the change feed, on SQLite and PostgreSQL; an
acknowledgement at any console quiets the light another console drives; the screens come back
after the database went away; a clerk calls a particular number and has a ticket printed again.

Every wait is for a condition (generous timeouts); nothing asserts how fast."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from config import load_config
from config.schema import BranchConfig
from device.desk import Desk
from device.light import AlertLight
from device.lightcodec import Mode
from device.sim.light import LightSimulator
from device.sim.printer import PrinterSimulator
from device.sim.pty import PtyWire
from kiosk.cli_ui import printer_hook
from kiosk.core.model import Action, State
from kiosk.engine import Engine, Reprinted
from kiosk.store import alert_state, open_store, reprints
from kiosk.store.changes import ChangeFeed
from kiosk.ui.backend import EngineHandle, InlineRunner
from kiosk.ui.kiosk_flow import KioskFlow, Step
from kiosk.ui.light_mirror import LightMirror
from kiosk.ui.live_updates import LiveUpdates
from kiosk.ui.staff_console import StaffConsole
from tests.conftest import PG_URL, Clock, pg_schema
from tests.web.conftest import frontdesk

WAIT_S = 60.0


def wait_for(condition: Callable[[], object], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def branch(**devices: object) -> BranchConfig:
    raw = load_config(None).model_dump()
    raw["devices"].update(devices)
    return BranchConfig.model_validate(raw)


class Window:
    """One process's screens as the app wires them: presenters, an engine, the change feed."""

    def __init__(self, cfg: BranchConfig, url: str, clock: Clock, counter: int | None, tr, kiosk: bool = False):
        self.handle = EngineHandle(lambda: Engine(cfg, open_store(url), clock=clock))
        run = InlineRunner(self.handle)
        self.console = StaffConsole(cfg, counter, tr, "en", run, clock=clock) if counter else None
        self.printed: list[Reprinted] = []
        self.flow = KioskFlow(cfg, tr, run, clock=clock) if kiosk else None
        self.live = LiveUpdates(
            run, console=self.console, flow=self.flow, print_again=self.printed.append if kiosk else None
        )
        self.feed = ChangeFeed(url, on_change=self.live.changed, on_status=self.live.link, retry_s=0.1)

    def __enter__(self) -> Window:
        self.handle.call(lambda _e: None)  # opens (and on first use creates) the database
        if self.console is not None:
            self.console.sign_in("Saraa")
        self.feed.start()
        wait_for(lambda: self.feed.connected, "the change feed to connect")
        return self

    def __exit__(self, *_exc: object) -> None:
        self.feed.stop()
        self.handle.drop()


def test_another_process_writes_and_the_console_and_the_kiosk_see_it(cfg, db_url, tr):
    clock = Clock(time.time())
    with (
        Window(cfg, db_url, clock, counter=1, tr=tr) as console,
        Window(cfg, db_url, clock, counter=None, tr=tr, kiosk=True) as kiosk,
    ):
        frontdesk("ticket", "new", "--service", "CASH", "--lang", "ru", db=db_url)  # another process
        wait_for(lambda: [r.number for r in console.console.rows] == ["A001"], "the console to list A001")
        frontdesk("call", "--counter", "2", db=db_url)
        frontdesk("start", "A001", db=db_url)
        wait_for(lambda: kiosk.live.serving == {"A001": "ru"}, "the kiosk to see A001 being served")
        frontdesk("finish", "A001", db=db_url)
        wait_for(lambda: kiosk.flow.step is Step.FEEDBACK, "the kiosk to ask A001 for a rating")
        assert kiosk.flow.feedback.number == "A001" and kiosk.flow.lang == "ru"
        wait_for(lambda: console.console.rows == [], "the console to see the queue empty")


def test_acknowledging_at_any_console_quiets_the_light_another_console_drives(db_url, tr):
    tower = LightSimulator("lcus")
    wire = PtyWire(tower, "light").start()
    cfg = branch(light={"port": wire.path, "model": "lcus"})
    light = AlertLight(wire.path, "lcus", buzzer_pulse_s=3600, buzzer_repeat_s=None)  # only an ack silences it
    light.start()
    clock = Clock(time.time())
    driver_counter = cfg.light_console()
    try:
        with (
            Window(cfg, db_url, clock, counter=1, tr=tr) as front,
            Window(cfg, db_url, clock, counter=driver_counter, tr=tr) as driver,
        ):
            mirror = LightMirror(light)
            lit = driver.console
            lit.subscribe(lambda: mirror.show(lit.alert_level, lit.unacknowledged))
            front.handle.call(lambda e: e.issue("CASH"))
            clock.advance(700)  # past the 600 s target: a breach
            front.console.refresh()  # the front console evaluates the standard and logs the breach
            wait_for(lambda: front.console.unacknowledged, "the front console to raise the breach")
            wait_for(lambda: lit.unacknowledged, "the light's console to hear of the breach")
            assert tower.wait_for(lambda lamps: lamps.red is Mode.ON and lamps.buzzer is Mode.ON, WAIT_S)

            front.console.acknowledge()  # at counter 1, which drives no light
            wait_for(lambda: not lit.unacknowledged, "the light's console to hear of the acknowledgement")
            assert tower.wait_for(lambda lamps: lamps.buzzer is Mode.OFF and lamps.red is Mode.ON, WAIT_S)
            assert lit.alerts and lit.banner()  # the breach is still in force: only the alarm stopped
            store = front.handle.engine.store
            # every breach in force is acknowledged at once: the wait (A001) and, since the clerks
            # signed in stood idle while A001 waited, the idle-while-waiting standard of each counter
            history = alert_state.alert_history(store, 0.0, clock.now + 1)
            assert {(row.subject, row.acknowledged_counter) for row in history if row.kind == "wait"} == {("A001", 1)}
    finally:
        light.stop()
        wire.stop()


@contextmanager
def moved_away(path: Path) -> Iterator[None]:
    aside = path.with_name("aside.sqlite3")
    shutil.move(path, aside)
    try:
        yield
    finally:
        shutil.move(aside, path)


def test_the_screens_say_so_when_the_sqlite_file_goes_away_and_come_back(cfg, tmp_path, tr):
    url = f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}"
    Engine(cfg, open_store(url)).issue("CASH")
    clock = Clock(time.time())
    with Window(cfg, url, clock, counter=1, tr=tr, kiosk=True) as screens:
        wait_for(lambda: [r.number for r in screens.console.rows] == ["A001"], "the first read")
        with moved_away(tmp_path / "frontdesk.sqlite3"):
            wait_for(lambda: screens.flow.step is Step.OUT_OF_SERVICE, "the kiosk to go out of service")
            assert screens.console.out_of_service and "cannot be reached" in screens.console.message
        wait_for(lambda: not screens.console.out_of_service, "the console to read again")
        clock.advance(10)  # the kiosk's own retry (every few seconds) finds the database again
        wait_for(lambda: (screens.flow.tick(), screens.flow.step)[1] is Step.GREETING, "the kiosk to recover")
        frontdesk("ticket", "new", "--service", "CASH", db=url)
        wait_for(lambda: len(screens.console.rows) == 2, "a write after the return to be seen")


def test_the_screens_come_back_after_postgresql_drops_their_connections(cfg, tr):
    if not PG_URL:
        pytest.skip("PostgreSQL not available: set FRONTDESK_TEST_PG_URL (make test starts a server)")
    import psycopg

    with pg_schema() as (schema_url, _schema):
        url = f"{schema_url}&application_name=alerts_drop_test"
        Engine(cfg, open_store(url)).issue("CASH")
        clock = Clock(time.time())
        with Window(cfg, url, clock, counter=1, tr=tr) as screens:
            wait_for(lambda: [r.number for r in screens.console.rows] == ["A001"], "the first read")
            with psycopg.connect(PG_URL, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'alerts_drop_test'"
                )
            wait_for(lambda: screens.feed.connected is False or screens.console.out_of_service, "the loss noticed")
            wait_for(lambda: screens.feed.connected, "the feed to reconnect")
            # the read the feed's return brings may meet the console's dead connection; the
            # console's own clock tick (every few seconds in the app) reads again on a new one
            wait_for(lambda: (screens.live.read_console(), not screens.console.out_of_service)[1], "a good read")
            frontdesk("ticket", "new", "--service", "CASH", db=schema_url)
            wait_for(lambda: len(screens.console.rows) == 2, "a write after the return to be seen")


def test_a_clerk_calls_the_number_the_customer_shows(cfg, db_url, tr):
    clock = Clock(time.time())
    with Window(cfg, db_url, clock, counter=1, tr=tr) as screens:
        c = screens.console
        for service in ("CASH", "ACCOUNTS", "CASH", "CASH"):
            frontdesk("ticket", "new", "--service", service, db=db_url)
        wait_for(lambda: len(c.rows) == 4, "the queue")
        assert c.enabled()["call_number"]
        c.press("call_number")
        assert c.choosing_ticket == "call_number" and "customer shows" in c.message
        c.choose_ticket(None)  # Cancel
        assert c.choosing_ticket is None and c.message == ""
        c.press("call_number")
        assert c.ticket_choices() == ["A001", "A002", "A003"]  # B001 is not for counter 1
        c.choose_ticket("A003")
        assert c.choosing_ticket is None
        wait_for(lambda: c.current is not None and c.current.ticket.number == "A003", "A003 at the counter")
        assert c.current.state is State.CALLED
        assert not c.enabled()["call_number"]  # someone is at the counter now
        calls = screens.handle.engine.store.calls(screens.handle.engine.day_of(clock.now), 5)
        assert [(x.number, x.counter, x.action) for x in calls] == [("A003", 1, Action.CALL)]
        wait_for(lambda: [r.number for r in c.rows] == ["A001", "B001", "A002"], "the others still waiting")


def test_a_reprint_asked_at_a_counter_is_printed_by_the_kiosk_once(db_url, tr):
    cfg = branch(printer={"port": "/dev/null"})  # the branch has a printer (at the kiosk)
    clock = Clock(time.time())
    with (
        Window(cfg, db_url, clock, counter=2, tr=tr) as counter,
        Window(cfg, db_url, clock, counter=None, tr=tr, kiosk=True) as kiosk,
    ):
        frontdesk("ticket", "new", "--service", "CASH", "--lang", "hy", db=db_url)
        frontdesk("ticket", "new", "--service", "CASH", db=db_url)
        c = counter.console
        wait_for(lambda: len(c.rows) == 2, "the queue")
        c.press("reprint")
        assert c.ticket_choices() == ["A001", "A002"]
        c.choose_ticket("A002")
        assert "A002 is being printed again at the kiosk" in c.message
        wait_for(lambda: len(kiosk.printed) == 1, "the kiosk to print the reprint")
        (job,) = kiosk.printed
        assert (job.issued.ticket.number, job.counter, job.issued.ahead) == ("A002", 2, 1)
        assert job.issued.status_token  # the same phone page as the first print
        frontdesk("ticket", "new", "--service", "CASH", db=db_url)  # more changes: nothing printed twice
        wait_for(lambda: len(c.rows) == 3, "the next ticket")
        assert len(kiosk.printed) == 1
        store = counter.handle.engine.store
        assert [(r.number, r.counter) for r in reprints.of_day(store, job.issued.ticket.day)] == [("A002", 2)]


def test_reprint_is_offered_only_when_the_branch_has_a_printer(cfg, db_url, tr):
    clock = Clock(time.time())
    with Window(cfg, db_url, clock, counter=2, tr=tr) as counter:
        frontdesk("ticket", "new", "--service", "CASH", db=db_url)
        wait_for(lambda: len(counter.console.rows) == 1, "the queue")
        assert cfg.devices.printer is None and not counter.console.enabled()["reprint"]


def test_the_kiosk_prints_the_same_ticket_again_through_the_printer_driver(tmp_path, tr):
    paper = PrinterSimulator()
    wire = PtyWire(paper, "printer").start()
    cfg = branch(printer={"port": wire.path, "baudrate": 115200})
    desk = Desk.from_config(cfg.devices, on_presence=lambda _p: None)
    desk.start()
    url = f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}"
    handle = EngineHandle(lambda: Engine(cfg, open_store(url)))
    try:
        flow = KioskFlow(cfg, tr, InlineRunner(handle), print_ticket=printer_hook(cfg, desk))
        flow.choose_language("en")
        flow.choose_service("CASH")
        assert paper.wait_for_cuts(1, WAIT_S)
        first = bytes(paper.job_bytes)
        assert b"A001" in first
        flow.reprint()  # the paper jammed: the same ticket again
        assert flow.reprinted and paper.wait_for_cuts(2, WAIT_S)
        assert bytes(paper.job_bytes).count(b"A001") == 2 * first.count(b"A001")
        flow.reprint()  # once per ticket on the screen
        store = handle.engine.store
        assert [(r.number, r.counter) for r in reprints.of_day(store, flow.issued.ticket.day)] == [("A001", None)]
        assert [t.ticket.number for t in handle.engine.snapshot().tickets] == ["A001"]  # no new number
    finally:
        handle.drop()
        desk.stop()
        wire.stop()
