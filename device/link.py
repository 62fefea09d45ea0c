"""A serial port that stays open: reader thread, reconnect with backoff, a visible status.

:class:`SerialLink` owns one pyserial URL (``/dev/ttyUSB0``, ``/dev/serial/by-id/…``,
``socket://host:port``, ``hwgrep://VID:PID``). A supervisor thread opens it, runs
pyserial's :class:`serial.threaded.ReaderThread` with the device's
:class:`serial.threaded.Protocol`, and when the reader dies (adapter unplugged,
socket closed) closes the port and opens it again, waiting a little longer each
time. Callers never block on the supervisor; they read ``status``::

    link = SerialLink("socket://127.0.0.1:7777", 9600, MyProtocol, name="light")
    link.start()
    link.status.state          # LinkState.RECONNECTING until the port opens
    link.send(b"\\xa0\\x01\\x01\\xa2")   # queued, written by the writer thread; dropped if offline
    link.stop()
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Callable, Iterator

import serial
import serial.threaded

from device.ports import check_baudrate, check_port
from kiosk.errors import UsageError

log = logging.getLogger(__name__)


class LinkState(str, Enum):
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    FAULT = "fault"  # the port is open but the device misbehaves (silent sensor, printer offline)
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """What the kiosk shows per device: ``state`` plus a short reason for staff."""

    device: str
    port: str
    state: LinkState
    detail: str = ""
    since: float = 0.0  # time.time() of the last change

    def as_json(self) -> dict[str, Any]:
        return {"device": self.device, "port": self.port, "state": self.state.value, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Backoff:
    """Reconnect delays: ``initial`` doubling up to ``maximum`` seconds."""

    initial: float = 0.2
    maximum: float = 5.0

    def delays(self) -> Iterator[float]:
        delay = self.initial
        while True:
            yield delay
            delay = min(delay * 2, self.maximum)


class DeviceProtocol(serial.threaded.Protocol):  # type: ignore[misc]  # pyserial has no types
    """Base for device protocols: a lost connection is logged, not raised into the thread."""

    def connection_lost(self, exc: BaseException | None) -> None:
        if exc is not None:
            log.info("connection lost: %s", exc)


class NotConnected(Exception):
    """Raised by :meth:`SerialLink.write` when the port is not open."""


class WriteStalled(Exception):
    """The device held the line (flow control) past the write timeout; the port stays open."""


class SerialLink:
    """Keeps ``port`` open for one device; see the module docstring.

    ``on_connected(link)`` runs on the supervisor thread after each (re)open, so a
    device can restore its state (a light re-sends its lamps). ``on_tick(now)`` runs
    every ``tick_s`` while connected (a watchdog). ``on_status(status)`` gets every change.
    A port or a speed that can name no port (:mod:`device.ports`) is a UsageError at once.
    """

    def __init__(
        self,
        port: str,
        baudrate: int,
        protocol_factory: Callable[[], serial.threaded.Protocol],
        *,
        name: str,
        serial_options: dict[str, Any] | None = None,
        backoff: Backoff = Backoff(),
        on_connected: Callable[["SerialLink"], None] | None = None,
        on_tick: Callable[[float], None] | None = None,
        on_status: Callable[[DeviceStatus], None] | None = None,
        tick_s: float = 0.1,
    ) -> None:
        try:  # refused here, on the caller's thread: pyserial raises what the supervisor does not expect
            check_port(port), check_baudrate(baudrate)
        except ValueError as err:
            raise UsageError(f"{name}: {err}") from None
        self.port, self.baudrate, self.name = port, baudrate, name
        self._factory = protocol_factory
        self._options = {"timeout": 1, "write_timeout": 2, **(serial_options or {})}
        self._backoff = backoff
        self._on_connected, self._on_tick, self._on_status = on_connected, on_tick, on_status
        self._tick_s = tick_s
        self._status = DeviceStatus(name, port, LinkState.STOPPED, "not started", time.time())
        self._status_lock = threading.Lock()
        self._stopping = threading.Event()
        self._reader: serial.threaded.ReaderThread | None = None
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self.connections = 0  # how many times the port was opened (reconnects are visible in tests)

    # ------------------------------------------------------------------ public

    @property
    def status(self) -> DeviceStatus:
        return self._status

    @property
    def connected(self) -> bool:
        return self._status.state in (LinkState.CONNECTED, LinkState.FAULT)

    def start(self) -> None:
        if self._threads:
            return
        self._stopping.clear()
        self._set_status(LinkState.RECONNECTING, "opening")
        for target, suffix in ((self._supervise, "link"), (self._write_outbox, "writer")):
            t = threading.Thread(target=target, name=f"{self.name}-{suffix}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._stopping.set()
        self._outbox.put(None)
        reader = self._reader
        if reader is not None:
            reader.close()
        for t in self._threads:
            t.join(timeout=5)
        self._threads.clear()
        self._set_status(LinkState.STOPPED, "stopped")

    def write(self, data: bytes) -> None:
        """Write now, blocking up to the port's write timeout.

        Raises NotConnected (port down, or the write failed and the port is being
        reopened) or WriteStalled (flow control held us off; the port stays open).
        """
        reader = self._reader
        if reader is None or not reader.alive:
            raise NotConnected(f"{self.name}: {self.port} is not connected")
        try:
            reader.write(data)
        except serial.SerialTimeoutException as err:
            raise WriteStalled(f"{self.name}: {self.port} accepted no data for the write timeout") from err
        except (serial.SerialException, OSError) as err:
            # A failed write means the device is gone; closing the port ends the reader
            # and the supervisor reconnects.
            self._drop(reader)
            raise NotConnected(f"{self.name}: write to {self.port} failed: {err}") from err

    def send(self, data: bytes) -> None:
        """Queue ``data`` for the writer thread; never blocks. Dropped if the port is down."""
        self._outbox.put(data)

    def serial_port(self) -> serial.SerialBase | None:
        """The open pyserial object (for buffer queries), or None."""
        reader = self._reader
        return reader.serial if reader is not None and reader.alive else None

    def set_fault(self, detail: str) -> None:
        if self._status.state is LinkState.CONNECTED:
            self._set_status(LinkState.FAULT, detail)

    def clear_fault(self) -> None:
        if self._status.state is LinkState.FAULT:
            self._set_status(LinkState.CONNECTED, "")

    # ------------------------------------------------------------------ threads

    def _supervise(self) -> None:
        delays = self._backoff.delays()
        while not self._stopping.is_set():
            try:
                port = serial.serial_for_url(self.port, baudrate=self.baudrate, **self._options)
            except (serial.SerialException, OSError, ValueError) as err:
                self._set_status(LinkState.RECONNECTING, f"cannot open: {err}")
                self._stopping.wait(next(delays))
                continue
            try:
                port.reset_input_buffer()  # stale bytes from before the (re)connect
            except (serial.SerialException, OSError, NotImplementedError):
                pass
            reader = serial.threaded.ReaderThread(port, self._factory)
            reader.start()
            try:
                reader.connect()
            except RuntimeError:
                self._drop(reader)
                continue
            self._reader = reader
            self.connections += 1
            delays = self._backoff.delays()
            self._set_status(LinkState.CONNECTED, "")
            self._call(self._on_connected, self)
            while reader.alive and not self._stopping.is_set():
                reader.join(self._tick_s)
                if reader.alive:
                    self._call(self._on_tick, time.monotonic())
            self._reader = None
            self._drop(reader)
            if not self._stopping.is_set():
                self._set_status(LinkState.RECONNECTING, "connection lost")
                self._stopping.wait(next(delays))

    def _write_outbox(self) -> None:
        while True:
            data = self._outbox.get()
            if data is None:
                return
            try:
                self.write(data)
            except (NotConnected, WriteStalled) as err:
                log.debug("%s", err)  # the device re-syncs its state in on_connected

    # ------------------------------------------------------------------ helpers

    def _drop(self, reader: serial.threaded.ReaderThread) -> None:
        try:
            if threading.current_thread() is reader:
                reader.serial.close()  # type: ignore[attr-defined]  # a ReaderThread has its port
            else:
                reader.close()
        except (serial.SerialException, OSError):
            pass

    def _set_status(self, state: LinkState, detail: str) -> None:
        with self._status_lock:
            if self._status.state is state and self._status.detail == detail:
                return
            self._status = replace(self._status, state=state, detail=detail, since=time.time())
            status = self._status
        log.info("%s on %s: %s %s", self.name, self.port, state.value, detail)
        self._call(self._on_status, status)

    @staticmethod
    def _call(callback: Callable[..., object] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:  # a faulty callback must not kill the port's thread
            log.exception("device callback %r failed", callback)
