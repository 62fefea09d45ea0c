"""The ticket printer: ``submit(slip)`` returns at once, the result says what the kiosk must do.

::

    printer = TicketPrinter("/dev/serial/by-id/usb-Prolific…", baudrate=115200)
    printer.start()
    future = printer.submit(slip)          # never blocks the UI
    result = future.result()               # or future.add_done_callback(...)
    if result.remember_number:             # not printed: the ticket is still valid
        show("Please remember your number", slip.number)
    if result.alert_staff:                 # paper out / near its end, cover open, offline
        staff_console.alert(result.message)

One worker thread owns the printer: it asks the printer's real-time status
(``DLE EOT``) before a ticket, refuses to send into a printer that has no paper,
writes the job in chunks under flow control (XON/XOFF by default, RTS/CTS if the
printer is set so), waits until the bytes have left, and asks again. When idle it
polls the status every ``poll_s`` so that the kiosk learns of an empty roll before
the next customer does.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Literal

import serial

from device import printer_status as ps
from device.link import Backoff, DeviceProtocol, DeviceStatus, NotConnected, SerialLink, WriteStalled
from device.printer_status import PrinterStatus, StatusKind
from device.ticket import DEFAULT_PROFILE, TicketComposer, TicketSlip

log = logging.getLogger(__name__)

PRINTER_BAUDRATE = 9600
Flow = Literal["xonxoff", "rtscts", "none"]
_FLOW_OPTIONS = {"xonxoff": {"xonxoff": True}, "rtscts": {"rtscts": True}, "none": {}}
CHUNK = 256  # small writes: the write timeout then measures a stall, not a long job


class PrintProblem(str, Enum):
    NO_PRINTER = "no_printer"  # none configured: the kiosk runs without one
    DISCONNECTED = "disconnected"
    NO_RESPONSE = "no_response"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    STALLED = "stalled"


_MESSAGES = {
    None: "printed",
    PrintProblem.NO_PRINTER: "no printer is configured",
    PrintProblem.DISCONNECTED: "printer is not connected",
    PrintProblem.NO_RESPONSE: "printer does not answer (switched off?)",
    PrintProblem.PAPER_OUT: "printer is out of paper",
    PrintProblem.COVER_OPEN: "printer cover is open",
    PrintProblem.OFFLINE: "printer is offline (error)",
    PrintProblem.STALLED: "printer stopped taking data",
}


@dataclass(frozen=True, slots=True)
class PrintResult:
    """The outcome of one ticket. The ticket itself is valid either way."""

    printed: bool
    problem: PrintProblem | None = None
    status: PrinterStatus | None = None
    bytes_sent: int = 0
    seconds: float = 0.0

    @property
    def remember_number(self) -> bool:
        """The kiosk must tell the customer to remember the number shown on screen."""
        return not self.printed

    @property
    def alert_staff(self) -> bool:
        if self.problem is PrintProblem.NO_PRINTER:
            return False  # a branch without a printer is not a fault
        return not self.printed or (self.status is not None and self.status.paper_near_end)

    @property
    def message(self) -> str:
        text = _MESSAGES[self.problem]
        if self.printed and self.status is not None and self.status.paper_near_end:
            text += "; paper roll is nearly empty"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "printed": self.printed,
            "problem": self.problem.value if self.problem else None,
            "message": self.message,
            "status": self.status.as_json() if self.status else None,
            "bytes_sent": self.bytes_sent,
            "seconds": round(self.seconds, 3),
        }


def problem_of(status: PrinterStatus) -> PrintProblem | None:
    if status.paper_out:
        return PrintProblem.PAPER_OUT
    if status.cover_open:
        return PrintProblem.COVER_OPEN
    if not status.ok:
        return PrintProblem.OFFLINE
    return None


class _StatusProtocol(DeviceProtocol):
    """Collects the printer's status bytes; anything else (noise) is ignored."""

    def __init__(self, replies: "queue.Queue[int]") -> None:
        self._replies = replies

    def data_received(self, data: bytes) -> None:
        for byte in data:
            if ps.is_status_byte(byte):
                self._replies.put(byte)


class TicketPrinter:
    def __init__(
        self,
        port: str,
        *,
        baudrate: int | None = None,
        flow: Flow = "xonxoff",
        profile: str = DEFAULT_PROFILE,
        pad_rasters: bool = False,
        status_timeout_s: float = 0.5,
        stall_timeout_s: float = 5.0,
        poll_s: float = 5.0,
        on_status: Callable[[DeviceStatus], None] | None = None,
        backoff: Backoff = Backoff(),
    ) -> None:
        if flow not in _FLOW_OPTIONS:
            raise ValueError(f"unknown flow control {flow!r} (xonxoff, rtscts or none)")
        self.composer = TicketComposer(profile, pad_rasters)
        self.status_timeout_s, self.stall_timeout_s, self.poll_s = status_timeout_s, stall_timeout_s, poll_s
        self._replies: queue.Queue[int] = queue.Queue()
        self._jobs: queue.Queue[tuple[Callable[[], object], Future[object]] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self.last_status: PrinterStatus | None = None
        self.link = SerialLink(
            port,
            baudrate or PRINTER_BAUDRATE,
            lambda: _StatusProtocol(self._replies),
            name="printer",
            # A chunk must leave within the stall timeout, else the printer is holding us off.
            serial_options={**_FLOW_OPTIONS[flow], "write_timeout": stall_timeout_s},
            backoff=backoff,
            on_status=on_status,
        )

    @property
    def status(self) -> DeviceStatus:
        return self.link.status

    def start(self) -> None:
        self.link.start()
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="printer-jobs", daemon=True)
            self._worker.start()

    def stop(self) -> None:
        if self._worker is not None:
            self._jobs.put(None)
            self._worker.join(timeout=10)
            self._worker = None
        self.link.stop()

    def submit(self, slip: TicketSlip) -> "Future[PrintResult]":
        """Queue a ticket; the future resolves to its PrintResult (never raises for device faults)."""
        return self._enqueue(lambda: self._print(slip))  # type: ignore[return-value]  # it holds a PrintResult

    def print_ticket(self, slip: TicketSlip, timeout: float | None = None) -> PrintResult:
        """Blocking form of :meth:`submit`, for the command line and tests."""
        return self.submit(slip).result(timeout)

    # ------------------------------------------------------------------ worker thread

    def _enqueue(self, work: Callable[[], object]) -> Future[object]:
        future: Future[object] = Future()
        if self._worker is None:
            raise RuntimeError("printer not started")
        self._jobs.put((work, future))
        return future

    def _work(self) -> None:
        while True:
            try:
                item = self._jobs.get(timeout=self.poll_s)
            except queue.Empty:
                self._poll()
                continue
            if item is None:
                return
            work, future = item
            try:
                future.set_result(work())
            except Exception as err:  # a bug, not a device fault: hand it to the caller
                log.exception("printer job failed")
                future.set_exception(err)

    def _poll(self) -> PrinterStatus | None:
        if not self.link.connected:
            return None
        status = self._read_status()
        if status is None:
            self.link.set_fault(_MESSAGES[PrintProblem.NO_RESPONSE])
        elif problem_of(status) is not None:
            self.link.set_fault(_MESSAGES[problem_of(status)])
        else:
            self.link.clear_fault()
        return status

    def _print(self, slip: TicketSlip) -> PrintResult:  # noqa: C901 (to be split)
        started = time.monotonic()

        def result(
            printed: bool, problem: PrintProblem | None, status: PrinterStatus | None = None, sent: int = 0
        ) -> PrintResult:
            if problem is not None:
                self.link.set_fault(_MESSAGES[problem])
            return PrintResult(printed, problem, status, sent, time.monotonic() - started)

        if not self.link.connected:
            return result(False, PrintProblem.DISCONNECTED)
        before = self._read_status()
        if before is None:
            return result(False, PrintProblem.NO_RESPONSE)
        if problem_of(before) is not None:
            return result(False, problem_of(before), before)
        data = self.composer.compose(slip).data
        sent = 0
        try:
            port = self.link.serial_port()
            byte_s = 10 / port.baudrate if port is not None else 0.0
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                began = time.monotonic()
                self.link.write(chunk)
                sent += len(chunk)
                # Stay at most one chunk ahead of the line: USB adapters, network
                # serial servers and ptys buffer kilobytes, which would all still
                # reach the printer after it said XOFF.
                rest = len(chunk) * byte_s - (time.monotonic() - began)
                if rest > 0:
                    time.sleep(rest)
            drained = self._wait_drained(len(data))
        except NotConnected:
            return result(False, PrintProblem.DISCONNECTED, None, sent)
        except WriteStalled:
            drained = False
        if not drained:
            after = self._status_after_stall()
            return result(False, (after and problem_of(after)) or PrintProblem.STALLED, after, sent)
        # No answer after a job: the printer may be holding the line with our request
        # stuck behind the job; ask past the flow control.
        after = self._read_status() or self._status_after_stall()
        if after is None:
            return result(False, PrintProblem.STALLED, None, sent)
        if after.paper_out:  # ran out during this ticket: its end is missing
            return result(False, PrintProblem.PAPER_OUT, after, sent)
        self.link.clear_fault()
        return result(True, None, after, sent)

    def _wait_drained(self, nbytes: int) -> bool:
        """Wait until the port's output queue is empty (False if it stalls)."""
        port = self.link.serial_port()
        if port is None:
            raise NotConnected("printer: port closed while printing")
        deadline = time.monotonic() + nbytes * 10 / port.baudrate + self.stall_timeout_s
        while time.monotonic() < deadline:
            try:
                if port.out_waiting == 0:
                    return True
            except (AttributeError, NotImplementedError):  # socket:// has no output queue to watch
                return True
            except (serial.SerialException, OSError) as err:
                raise NotConnected(f"printer: {err}") from err
            time.sleep(0.01)
        return False

    def _status_after_stall(self) -> PrinterStatus | None:
        """After a stall: drop the rest of the job, then ask why the printer holds the line.

        ``DLE EOT`` is a real-time command that the printer answers even with a full
        buffer, but our own tty would hold it behind the printer's XOFF. Linux lets
        output go again when IXON is switched off (tcflow's TCOON does not undo an
        XOFF), so the request is sent with software flow control briefly off.
        """
        port = self.link.serial_port()
        if port is None:
            return None
        try:
            port.reset_output_buffer()
            software_flow = port.xonxoff
            if software_flow:
                port.xonxoff = False
            try:
                return self._read_status()
            finally:
                if software_flow:
                    port.xonxoff = True
        except (serial.SerialException, OSError) as err:
            log.info("printer: status after a stall failed: %s", err)
            return None

    def _read_status(self) -> PrinterStatus | None:
        printer = self._ask(StatusKind.PRINTER)
        if printer is None:
            return None
        parts = [ps.decode_printer(printer)]
        if not parts[0].online:
            cause = self._ask(StatusKind.OFFLINE_CAUSE)
            if cause is not None:
                parts.append(ps.decode_offline(cause))
        paper = self._ask(StatusKind.PAPER)
        if paper is not None:
            parts.append(ps.decode_paper(paper))
        self.last_status = ps.merge(*parts)
        return self.last_status

    def _ask(self, kind: StatusKind) -> int | None:
        while not self._replies.empty():  # a late answer to an earlier request
            self._replies.get_nowait()
        try:
            self.link.write(ps.REQUEST[kind])
            return self._replies.get(timeout=self.status_timeout_s)
        except (NotConnected, WriteStalled, queue.Empty):
            return None
