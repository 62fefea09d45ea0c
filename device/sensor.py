"""The presence sensor (HLK-LD2410) as the kiosk sees it: "someone walked up".

::

    sensor = PresenceSensor("/dev/serial/by-id/usb-1a86_…", on_presence=engine.on_presence)
    sensor.start()              # returns at once; a reader thread decodes the reports
    sensor.status.state         # connected / reconnecting / fault (no frame for 2 s)
    sensor.read_firmware()      # blocking config round trip, for set-up tools only
    sensor.stop()

``on_presence`` receives :class:`kiosk.core.model.Presence` once per arrival: when the
radar goes from nobody (or nobody within ``max_distance_cm``) to somebody. It re-arms
after the radar has seen nobody for ``rearm_after_s``, so a customer standing still
at the kiosk (the radar's energy flickers) is greeted once, not ten times a second;
``on_departure(at)`` then fires (at a counter: arrival and departure bracket a service).
Callbacks run on the reader thread: keep them short (post to the UI's event loop).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any, Callable

from device import ld2410
from device.link import Backoff, DeviceProtocol, DeviceStatus, SerialLink
from kiosk.core.model import Presence

log = logging.getLogger(__name__)

LD2410_BAUDRATE = 256000


class SensorCommandError(Exception):
    """The sensor did not acknowledge a configuration command (or refused it)."""


class _LD2410Protocol(DeviceProtocol):
    def __init__(self, sensor: "PresenceSensor") -> None:
        self._sensor = sensor
        self._decoder = ld2410.Decoder()

    def data_received(self, data: bytes) -> None:
        for frame in self._decoder.feed(data):
            self._sensor.on_frame(frame)


class PresenceSensor:
    """See the module docstring. ``clock`` is monotonic (watchdog), ``wallclock`` stamps Presence."""

    def __init__(
        self,
        port: str,
        on_presence: Callable[[Presence], None],
        *,
        baudrate: int | None = None,
        max_distance_cm: int | None = None,
        rearm_after_s: float = 2.0,
        fault_after_s: float = 2.0,
        on_report: Callable[[ld2410.Report], None] | None = None,
        on_departure: Callable[[float], None] | None = None,
        on_status: Callable[[DeviceStatus], None] | None = None,
        backoff: Backoff = Backoff(),
        clock: Callable[[], float] = time.monotonic,
        wallclock: Callable[[], float] = time.time,
    ) -> None:
        self._on_presence, self._on_report, self._on_departure = on_presence, on_report, on_departure
        self.max_distance_cm, self.rearm_after_s, self.fault_after_s = max_distance_cm, rearm_after_s, fault_after_s
        self._clock, self._wallclock = clock, wallclock
        self._acks: queue.Queue[ld2410.Ack] = queue.Queue()
        self._config_lock = threading.Lock()
        self._present = False
        self._last_someone = float("-inf")
        self._last_frame = clock()
        self._in_config = False
        self.last_report: ld2410.Report | None = None
        self.reports = 0
        self.link = SerialLink(
            port,
            baudrate or LD2410_BAUDRATE,
            lambda: _LD2410Protocol(self),
            name="sensor",
            backoff=backoff,
            on_connected=self._connected,
            on_tick=self._watchdog,
            on_status=on_status,
            tick_s=0.25,  # the watchdog needs no finer grain than this against a 2 s limit
        )

    @property
    def status(self) -> DeviceStatus:
        return self.link.status

    @property
    def someone_present(self) -> bool:
        return self._present

    def start(self) -> None:
        self.link.start()

    def stop(self) -> None:
        self.link.stop()

    # ------------------------------------------------------------------ configuration

    def read_firmware(self, timeout: float = 1.0) -> ld2410.FirmwareVersion:
        ack = self._configure(ld2410.read_firmware(), ld2410.Command.READ_FIRMWARE, timeout)
        version = ld2410.parse_firmware(ack)
        if version is None:
            raise SensorCommandError(f"firmware answer too short: {ack.data.hex()}")
        return version

    def set_engineering_mode(self, on: bool, timeout: float = 1.0) -> None:
        """Engineering reports carry per-gate energies (for tuning a counter's zone)."""
        word = ld2410.Command.ENGINEERING_ON if on else ld2410.Command.ENGINEERING_OFF
        self._configure(ld2410.engineering_mode(on), word, timeout)

    def _configure(self, frame: bytes, word: int, timeout: float) -> ld2410.Ack:
        """enable-config, the command, end-config; each waits for its ACK (blocking)."""
        with self._config_lock:
            self._in_config = True  # the sensor pauses reports in config mode: not a fault
            try:
                self._drain_acks()
                self._command(ld2410.enable_config(), ld2410.Command.ENABLE_CONFIG, timeout)
                try:
                    return self._command(frame, word, timeout)
                finally:
                    self._command(ld2410.end_config(), ld2410.Command.END_CONFIG, timeout)
            finally:
                self._last_frame = self._clock()
                self._in_config = False

    def _command(self, frame: bytes, word: int, timeout: float) -> ld2410.Ack:
        self.link.write(frame)
        deadline = self._clock() + timeout
        while (left := deadline - self._clock()) > 0:
            try:
                ack = self._acks.get(timeout=left)
            except queue.Empty:
                break
            if ack.command == word:
                if not ack.ok:
                    raise SensorCommandError(f"sensor refused command 0x{word:04x}")
                return ack
        raise SensorCommandError(f"no ACK for command 0x{word:04x} within {timeout} s")

    def _drain_acks(self) -> None:
        while not self._acks.empty():
            self._acks.get_nowait()

    # ------------------------------------------------------------------ reader thread

    def on_frame(self, frame: ld2410.Frame) -> None:
        """One decoded frame from the serial reader's thread."""
        if isinstance(frame, ld2410.Ack):
            self._acks.put(frame)
            return
        if not isinstance(frame, ld2410.Report):
            return  # a command echoed back: only a miswired loop-back does that
        now = self._clock()
        self._last_frame = now
        self.last_report = frame
        self.reports += 1
        self.link.clear_fault()
        if self._on_report is not None:
            self._safe(self._on_report, frame)
        if self._near(frame):
            self._last_someone = now
            if not self._present:
                self._present = True
                self._safe(self._on_presence, Presence(at=self._wallclock(), source="sensor"))
        elif self._present and now - self._last_someone >= self.rearm_after_s:
            self._present = False
            if self._on_departure is not None:
                self._safe(self._on_departure, self._wallclock())

    def _near(self, report: ld2410.Report) -> bool:
        if not report.someone:
            return False
        return self.max_distance_cm is None or report.detect_cm <= self.max_distance_cm

    def _connected(self, _link: SerialLink) -> None:
        self._last_frame = self._clock()

    def _watchdog(self, _now: float) -> None:
        silent = self._clock() - self._last_frame
        if not self._in_config and silent >= self.fault_after_s:
            self.link.set_fault(f"no report for {silent:.1f} s")
            self._present = False  # nobody is known to be there: the next arrival greets again

    @staticmethod
    def _safe(callback: Callable[[Any], object], arg: object) -> None:
        try:
            callback(arg)
        except Exception:  # the reader thread must outlive a faulty callback
            log.exception("sensor callback failed")
