"""``frontdesk kiosk | staff | manager | counter-screen | demo | pin set``: the screens and their PINs.

The window commands import Kivy only when they run, so the rest of the command
line stays fast and works on a machine without a display.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from config import load_config
from config.loader import DEFAULT_CONFIG_PATH, resolve_config_path
from kiosk.cli_engine import ConfigOpt, DbOpt
from kiosk.errors import FrontdeskError, UsageError
from kiosk.shutdown import stop_on_signals
from kiosk.store import open_store, resolve_db_url

if TYPE_CHECKING:  # imported where they run: a command loads only what it uses
    from concurrent.futures import Future

    from config.schema import BranchConfig
    from device.desk import Desk
    from device.light import AlertLight
    from device.printer import PrintResult
    from kiosk.core.model import Presence, QueueObservation
    from kiosk.engine import Issued
    from kiosk.ui.app import PrintHook
    from kiosk.ui.backend import EngineHandle
    from kiosk.ui.kiosk_flow import TicketView
    from vision.watch import QueueWatcher

pin_app = typer.Typer(help="Staff and manager PINs for the console.", no_args_is_help=True)

SizeOpt = Annotated[Optional[str], typer.Option("--size", help="window size WIDTHxHEIGHT, e.g. 800x480")]
WindowedOpt = Annotated[bool, typer.Option("--windowed", help="a window instead of full screen")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="language of the staff screens (mn, hy, en, ru)")]


def _size(text: str | None) -> tuple[int, int]:
    if not text:
        return (1280, 800)
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size {text!r}: use WIDTHxHEIGHT, e.g. 800x480") from None
    if w < 320 or h < 240:
        raise UsageError(f"--size {text!r}: at least 320x240")
    return (w, h)


def _run_app(
    mode: str,
    db: str | None,
    config: str | None,
    *,
    fullscreen: bool,
    size: str | None,
    counter: int | None = None,
    lang: str | None = None,
) -> None:
    cfg = load_config(config)
    if counter is not None and counter not in {c.number for c in cfg.counters}:
        known = ", ".join(str(c.number) for c in cfg.counters)
        raise UsageError(f"unknown counter {counter} (this branch has {known})")
    if lang is not None and lang not in cfg.branch.languages:
        raise UsageError(f"--lang {lang!r}: this branch offers {', '.join(cfg.branch.languages)}")
    url = resolve_db_url(db, cfg.database.url)
    from kiosk.ui.lockdown import prepare_kivy

    kiosk = mode == "kiosk"
    facing_customers = mode in ("kiosk", "counter")
    prepare_kivy(fullscreen=fullscreen, size=_size(size), cursor=not (facing_customers and fullscreen))
    from kivy.clock import Clock

    from kiosk.engine import Engine
    from kiosk.ui.app import FrontdeskApp
    from kiosk.ui.backend import EngineHandle

    # the database may be down at start: the kiosk then shows its out-of-service screen and retries
    handle = EngineHandle(lambda: Engine(cfg, open_store(url)))
    desk = _desk(cfg, handle) if kiosk else None
    watcher = _camera(cfg, handle) if kiosk and cfg.camera.enabled else None
    light = alert_light(cfg) if mode == "staff" and counter == cfg.light_console() else None
    statuses = desk.statuses if desk else (lambda: [light.status]) if light else None
    app = FrontdeskApp(
        cfg,
        handle,
        mode=mode,
        counter=counter,
        staff_lang=lang,
        lockdown=facing_customers and fullscreen,
        devices=statuses,
        print_ticket=printer_hook(cfg, desk) if desk and desk.printer else None,
        alert_light=light,
        db_url=url,
        watcher=watcher,
        config_path=writable_config(config) if watcher else None,
    )
    inputs = [device for device in (watcher, desk, light) if device is not None]

    def stop_inputs(*_args: object) -> None:
        # what feeds the engine stops first (bound handlers run before the app's own
        # on_stop, which then finishes the engine's queued jobs and closes the store)
        while inputs:
            inputs.pop(0).stop()

    app.bind(on_stop=stop_inputs)
    try:
        with stop_on_signals() as asked:  # systemctl stop, Ctrl-C: the app stops at its next look

            def look(_dt: float) -> None:  # returns None: a False would unschedule it
                if asked.is_set():
                    app.stop()

            Clock.schedule_interval(look, 0.1)
            app.run()
    finally:
        stop_inputs()


def writable_config(config: str | None) -> Path | None:
    """The branch file this app was loaded from, where the manager's Camera zone page saves
    the zone; None when it is the example shipped inside the package (never written)."""
    path = resolve_config_path(config).resolve()
    return None if path == DEFAULT_CONFIG_PATH.resolve() else path


def _camera(cfg: BranchConfig, handle: EngineHandle) -> QueueWatcher:
    """The queue camera, counting only, in the kiosk's process: each observation goes to the
    engine (logged, used by alerts and estimates); frames never leave this process (the
    manager's Camera zone page shows them here, from this same capture). A recorded file
    as the source is replayed at its own pace, over and over, as a camera would be."""
    from vision.watch import QueueWatcher

    def observe(obs: QueueObservation) -> None:  # on the watcher's thread; the store serialises its transactions
        engine = handle.engine
        if engine is not None:
            try:
                engine.observe(obs)
            except FrontdeskError:  # the database is down: the kiosk shows it; the count is dropped
                pass

    watcher = QueueWatcher(cfg.camera, on_observation=observe, replay=True)
    watcher.start()
    return watcher


def alert_light(cfg: BranchConfig) -> AlertLight:
    """The staff alert light, driven by one console (``[devices.light] console``, else the
    senior counter's): it follows that console's worst alert and goes quiet when acknowledged."""
    from device.light import AlertLight

    conf = cfg.devices.light
    assert conf is not None, "only the console light_console() names has a light, and only with one"
    light = AlertLight(conf.port, conf.model, baudrate=conf.baudrate)
    light.start()
    return light


def _desk(cfg: BranchConfig, handle: EngineHandle) -> Desk | None:
    """The kiosk's serial devices from ``[devices]``: the presence sensor wakes the greeting."""
    if not any((cfg.devices.printer, cfg.devices.sensor)):
        return None
    from device.desk import Desk

    def presence(event: Presence) -> None:  # from the sensor's thread; the app hops to Kivy's
        engine = handle.engine
        if engine is not None:
            engine.notify_presence(event)

    # the alert light belongs to the staff side (see alert_light): not built here
    desk = Desk.from_config(cfg.devices.model_copy(update={"light": None}), on_presence=presence)
    desk.start()
    return desk


def printer_hook(cfg: BranchConfig, desk: Desk) -> PrintHook:
    """Print each ticket in the customer's language; the kiosk asks to remember the number if it fails."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from device.ticket import TicketSlip

    tz = ZoneInfo(cfg.branch.timezone)

    def submit(issued: Issued, view: TicketView, lang: str) -> Future[PrintResult]:
        slip = TicketSlip(
            cfg.branch.name,
            view.number,
            view.service_name,
            datetime.fromtimestamp(issued.ticket.issued_at, tz).replace(tzinfo=None),
            issued.ahead,
            view.wait_low_min,
            view.wait_high_min,
            lang,
            view.status_url,
        )
        return desk.submit_ticket(slip)

    return submit


def kiosk_cmd(db: DbOpt = None, config: ConfigOpt = None, windowed: WindowedOpt = False, size: SizeOpt = None) -> None:
    """The customer's kiosk (full screen; Esc or closing asks for a manager PIN)."""
    cfg_fullscreen = load_config(config).kiosk.fullscreen
    _run_app("kiosk", db, config, fullscreen=cfg_fullscreen and not windowed, size=size)


def staff_cmd(
    counter: Annotated[int, typer.Option("--counter", help="this console's counter number")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    lang: LangOpt = None,
    size: SizeOpt = None,
) -> None:
    """A counter's console: sign in with a staff PIN, call and serve, see alerts."""
    _run_app("staff", db, config, fullscreen=False, size=size, counter=counter, lang=lang)


def manager_cmd(db: DbOpt = None, config: ConfigOpt = None, lang: LangOpt = None, size: SizeOpt = None) -> None:
    """The manager's screen of the day (behind a manager PIN)."""
    _run_app("manager", db, config, fullscreen=False, size=size, lang=lang)


def counter_screen_cmd(
    counter: Annotated[int, typer.Option("--counter", help="the counter this screen faces customers at")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    windowed: WindowedOpt = False,
    size: SizeOpt = None,
) -> None:
    """The customer-facing screen at a counter: the number called here, then a rating
    (with ``[kiosk] feedback_on = "counter"``)."""
    _run_app("counter", db, config, fullscreen=not windowed, size=size, counter=counter)


def demo_cmd(
    out: Annotated[Path, typer.Option("--out", help="folder for the screenshots and the day's report")],
    config: ConfigOpt = None,
    size: SizeOpt = None,
) -> None:
    """A scripted day on the real windows (new database in OUT); screenshots and report into OUT."""
    cfg = load_config(config)
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "demo.sqlite3"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    from kiosk.ui.lockdown import prepare_kivy

    prepare_kivy(fullscreen=False, size=_size(size))
    from kiosk.ui.demo import Demo

    demo = Demo(cfg, out, f"sqlite:///{db_path}")
    code = demo.run()
    if demo.failure:
        typer.echo(f"frontdesk: the demo stopped: {demo.failure}", err=True)
    for shot in demo.shots:
        typer.echo(f"screenshot {shot}")
    report = out / "report.json"
    if report.exists():
        import json

        k = json.loads(report.read_text(encoding="utf-8"))["totals"]
        typer.echo(
            f"the day: {k['arrived']} arrived, {k['served']} served, {k['abandoned']} walked away; report {report}"
        )
    typer.echo(f"demo output: {out}")
    raise typer.Exit(code)


def calibrate_cmd(
    config: Optional[str] = typer.Option(None, "--config", help="branch.toml (default: see config loader)"),
    source: Optional[str] = typer.Option(
        None, "--source", help="override the configured camera source (with the camera off: a file only)"
    ),
    size: str = typer.Option("1280x800", "--size", help="window size WIDTHxHEIGHT"),
) -> None:
    """Show the camera's live picture with the queue zone; drag its corners; print the zone line.

    The picture stays in the window's memory: it is never saved or sent.
    (``frontdesk vision calibrate``: added to the vision sub-commands by ``kiosk/cli.py``.)
    """
    from vision.capture import is_live

    camera = load_config(config).camera
    spec = source or camera.source
    if not camera.enabled and is_live(spec):
        raise UsageError("the camera is switched off in the config ([camera] enabled = false); nothing to show")
    from kiosk.ui.lockdown import prepare_kivy
    from vision.capture import open_source

    window = _size(size)
    open_source(spec).close()  # a missing file or camera is a message here, not in the window
    prepare_kivy(size=window)
    from kiosk.ui.calibration import CalibrationApp

    app = CalibrationApp(spec, camera.zone)
    app.run()
    print(f"under [camera] in branch.toml:\n{app.editor.toml()}")


@pin_app.command("set")
def pin_set(
    role: Annotated[str, typer.Option("--role", help="staff or manager")],
    name: Annotated[str, typer.Option("--name", help="the work name shown on the sign-in screen")],
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Set a PIN (4-8 digits), read from the terminal without echo, or from stdin when piped."""
    from kiosk.store.pins import PinStore, check_pin_format

    cfg = load_config(config)
    if sys.stdin.isatty():
        pin = typer.prompt("PIN", hide_input=True, confirmation_prompt=True)
    else:
        pin = sys.stdin.readline().strip()
    check_pin_format(pin)
    store = open_store(resolve_db_url(db, cfg.database.url))
    try:
        PinStore(store).set_pin(role, name, pin)
    finally:
        store.close()
    typer.echo(f"PIN set for {role} {name.strip()}")


def register(app: typer.Typer) -> None:
    app.command("kiosk")(kiosk_cmd)
    app.command("staff")(staff_cmd)
    app.command("manager")(manager_cmd)
    app.command("counter-screen")(counter_screen_cmd)
    app.command("demo")(demo_cmd)
    app.add_typer(pin_app, name="pin")
