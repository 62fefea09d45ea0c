"""`frontdesk devices` sub-commands: try the desk's hardware, or simulate it.

    frontdesk devices sensor --port /dev/ttyUSB0 --count 5 --jsonl
    frontdesk devices print-test --port /dev/ttyUSB1 --lang mn
    frontdesk devices light --port /dev/ttyACM0 --model adafruit --state breach
    frontdesk devices simulate ld2410          # prints a pty path, serves until Ctrl-C

Ports are pyserial URLs (a device path, /dev/serial/by-id/…, socket://host:port,
hwgrep://VID:PID). Text that can name no port, or a speed no UART runs at, ends with a
message and exit code 2; a port that cannot be opened (the device is not there), a sensor
that sends nothing or a ticket that did not print, with a message and exit code 5.
"""

from __future__ import annotations

import json
import queue
import signal
import sys
import threading
import time
from datetime import datetime
from enum import Enum

import serial
import typer

from device.errors import DeviceError
from device.ld2410 import Report, Target
from device.light import LIGHT_BAUDRATE, encoder_for
from device.lightcodec import LightState, lamps_for
from device.link import Backoff, LinkState, SerialLink
from device.ports import check_baudrate, check_port
from device.printer import PRINTER_BAUDRATE, TicketPrinter
from device.sensor import LD2410_BAUDRATE, PresenceSensor
from device.ticket import TicketSlip
from kiosk.errors import UsageError

app = typer.Typer(help="device commands", no_args_is_help=True)

# Long backoff: a command-line run should fail on a missing port, not retry it.
_ONE_SHOT = Backoff(initial=30.0, maximum=30.0)


class Lang(str, Enum):
    mn = "mn"
    hy = "hy"
    en = "en"
    ru = "ru"


class LightModel(str, Enum):
    lcus = "lcus"
    adafruit = "adafruit"


class FlowControl(str, Enum):
    xonxoff = "xonxoff"
    rtscts = "rtscts"
    none = "none"


class SimDevice(str, Enum):
    ld2410 = "ld2410"
    printer = "printer"
    light = "light"


class RadarSees(str, Enum):
    walk_up = "walk-up"
    none = "none"
    moving = "moving"
    still = "still"
    both = "both"


_SAMPLE_SERVICE = {
    "mn": "Бэлэн мөнгө, төлбөр",
    "hy": "Կանխիկ և վճարումներ",
    "en": "Cash and payments",
    "ru": "Наличные и платежи",
}


def _checked(port: str, baudrate: int) -> None:
    """A port or a speed that cannot be one: exit 2 (a device that is not there: exit 5)."""
    try:
        check_port(port)
    except ValueError as err:
        raise UsageError(f"--port: {err}") from None
    try:
        check_baudrate(baudrate)
    except ValueError as err:
        raise UsageError(f"--baudrate: {err}") from None


def _wait_open(link: SerialLink, timeout: float = 5.0) -> None:
    """Return once the port is open; raise DeviceError on the first failure to open it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = link.status
        if status.state in (LinkState.CONNECTED, LinkState.FAULT):
            return
        if status.detail.startswith("cannot open"):
            raise DeviceError(f"{link.name}: {link.port}: {status.detail}")
        time.sleep(0.02)
    raise DeviceError(f"{link.name}: {link.port} did not open within {timeout} s")


@app.command()
def sensor(
    port: str = typer.Option(..., help="pyserial URL of the LD2410"),
    count: int | None = typer.Option(None, min=1, help="stop after this many reports"),
    jsonl: bool = typer.Option(False, "--jsonl", help="one compact JSON object per line"),
    baudrate: int = typer.Option(LD2410_BAUDRATE, help="the sensor's UART speed"),
    timeout: float = typer.Option(
        10.0, min=0, max=86_400, help="give up after this long without a report (0: never; at most a day)"
    ),
) -> None:
    """Print each report of an HLK-LD2410 presence sensor as JSON."""
    _checked(port, baudrate)
    reports: queue.Queue[Report] = queue.Queue()
    radar = PresenceSensor(
        port, on_presence=lambda _p: None, baudrate=baudrate, on_report=reports.put, backoff=_ONE_SHOT
    )
    radar.start()
    try:
        _wait_open(radar.link)
        printed = 0
        while count is None or printed < count:
            try:
                report = reports.get(timeout=timeout or None)
            except queue.Empty:
                raise DeviceError(
                    f"sensor: no report from {port} for {timeout} s ({radar.status.detail or 'silent'})"
                ) from None
            obj = report.as_json()
            print(json.dumps(obj) if jsonl else json.dumps(obj, indent=2), flush=True)
            printed += 1
    finally:
        radar.stop()


@app.command("print-test")
def print_test(
    port: str = typer.Option(..., help="pyserial URL of the ESC/POS printer"),
    lang: Lang = typer.Option(Lang.mn, help="language of the sample ticket"),
    baudrate: int = typer.Option(PRINTER_BAUDRATE, help="the printer's serial speed"),
    flow: FlowControl = typer.Option(FlowControl.xonxoff, help="flow control the printer is set to"),
) -> None:
    """Print a sample ticket and report how it went as JSON."""
    _checked(port, baudrate)
    slip = TicketSlip(
        branch="Sukhbaatar Square Branch",
        number="A042",
        service_name=_SAMPLE_SERVICE[lang.value],
        issued_at_local=datetime.now().replace(second=0, microsecond=0),
        ahead=3,
        wait_low_min=10,
        wait_high_min=15,
        lang=lang.value,
    )
    printer = TicketPrinter(port, baudrate=baudrate, flow=flow.value, backoff=_ONE_SHOT)
    printer.start()
    try:
        _wait_open(printer.link)
        result = printer.print_ticket(slip, timeout=120)
    finally:
        printer.stop()
    print(json.dumps(result.as_json()), flush=True)
    if not result.printed:
        raise DeviceError(f"printer: ticket not printed: {result.message}")


@app.command()
def light(
    port: str = typer.Option(..., help="pyserial URL of the light"),
    model: LightModel = typer.Option(..., help="lcus (USB relay board) or adafruit (USB tower light)"),
    state: LightState = typer.Option(..., help="normal, warning, breach or off"),
    baudrate: int = typer.Option(LIGHT_BAUDRATE, help="the light's serial speed"),
    pulse: float = typer.Option(1.5, min=0, max=60, help="seconds the buzzer sounds for a breach (at most 60)"),
) -> None:
    """Set the staff alert light; a breach sounds the buzzer once for --pulse seconds."""
    _checked(port, baudrate)
    encode = encoder_for(model.value)
    try:
        port_ = serial.serial_for_url(port, baudrate=baudrate, timeout=1, write_timeout=2)
    except (serial.SerialException, OSError, ValueError) as err:
        raise DeviceError(f"light: cannot open {port}: {err}") from None
    try:
        if state is LightState.BREACH and pulse > 0:
            port_.write(encode(lamps_for(state, buzzer=True)))
            time.sleep(pulse)
        final = lamps_for(state)
        port_.write(encode(final))
        port_.flush()
    except (serial.SerialException, OSError) as err:
        raise DeviceError(f"light: write to {port} failed: {err}") from None
    finally:
        port_.close()
    print(json.dumps({"model": model.value, "state": state.value, "lamps": final.as_json()}), flush=True)


@app.command()
def simulate(
    device: SimDevice = typer.Argument(..., help="ld2410, printer or light"),
    presence: RadarSees = typer.Option(RadarSees.walk_up, help="ld2410: what the radar sees"),
    engineering: bool = typer.Option(False, help="ld2410: send engineering reports"),
    hz: float = typer.Option(10.0, min=0.5, max=100, help="ld2410: reports per second"),
    paper_out: bool = typer.Option(False, help="printer: start without paper"),
    model: LightModel = typer.Option(LightModel.lcus, help="light: which device to imitate"),
) -> None:
    """Run a simulated device on a pseudo-terminal; prints its path, serves until Ctrl-C."""
    from device.sim.ld2410 import LD2410Simulator, walk_up_scenario
    from device.sim.light import LightSimulator
    from device.sim.printer import PrinterSimulator
    from device.sim.pty import PtyWire

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    sim: LD2410Simulator | PrinterSimulator | LightSimulator
    if device is SimDevice.ld2410:
        radar = LD2410Simulator(report_hz=hz, engineering=engineering)
        if presence is RadarSees.walk_up:
            radar.scenario = walk_up_scenario()
        else:
            state = Target[presence.value.upper()]
            radar.set_target(state, moving_cm=120, still_cm=80)
        sim = radar
    elif device is SimDevice.printer:
        printer = PrinterSimulator()
        printer.paper_out = paper_out
        sim = printer
    else:
        lamp = LightSimulator(model.value)
        lamp.on_change = lambda lamps: say(f"light: {json.dumps(lamps.as_json())}")
        sim = lamp
    wire = PtyWire(sim, device.value).start()
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    print(wire.pty_path, flush=True)
    cuts = 0

    def report_cuts() -> None:
        nonlocal cuts
        if isinstance(sim, PrinterSimulator):
            while sim.cuts > cuts:
                cuts += 1
                say(f"printer: ticket {cuts} cut ({len(sim.job_bytes)} bytes so far, {len(sim.images)} images)")

    try:
        while not stop.wait(0.2):
            report_cuts()
        report_cuts()  # a ticket that finished just before Ctrl-C
    finally:
        wire.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
