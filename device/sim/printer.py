"""A simulated ESC/POS receipt printer: records jobs, answers ``DLE EOT``, runs out of paper.

It models what matters to a driver:

* a line rate (``line_bytes_per_s``, None: as fast as the pty goes), so that an XOFF
  takes effect after a few bytes, as on a real cable. While the driver has bytes
  waiting, line time the simulator's thread lost to a busy machine is made up (up to
  ``LINE_CATCH_UP_S``): on a cable the bytes would have kept arriving, so the driver's
  pacing never finds itself further ahead of the printer than the line allows;
* a receive buffer of ``buffer_size`` bytes that the print head empties at
  ``print_bytes_per_s`` (None: instantly). Above three quarters full it sends XOFF,
  below a quarter XON, as a printer set to XON/XOFF does; bytes that arrive when it is
  full are lost (``overflowed``);
* a paper roll: ``paper_out`` (now), or ``paper_left_bytes`` (runs out mid-job). With
  no paper or the cover open the head stops and the printer goes offline;
* real-time status: ``DLE EOT n`` is answered as it arrives, even with a full buffer
  and even inside image data (Epson documents both); only a request between commands
  is kept out of ``job_bytes``.

::

    sim = PrinterSimulator()
    sim.paper_out = True     # status answers "paper end"; nothing prints
    sim.job_bytes            # everything received except real-time requests
    sim.images, sim.cuts     # raster images (width bytes, height) and cuts seen
"""

from __future__ import annotations

import threading
from typing import Callable

from device import printer_status as ps
from device.printer_status import PrinterStatus, StatusKind

DLE, EOT, GS = 0x10, 0x04, 0x1D
XON, XOFF = b"\x11", b"\x13"
LINE_CATCH_UP_S = 0.5  # the most line time a late tick of the simulator's thread makes up


class PrinterSimulator:
    def __init__(
        self,
        buffer_size: int = 4096,
        print_bytes_per_s: float | None = None,
        line_bytes_per_s: float | None = None,
        paper_left_bytes: int | None = None,
    ) -> None:
        self.buffer_size = buffer_size
        self.print_bytes_per_s = print_bytes_per_s
        self.line_bytes_per_s = line_bytes_per_s
        self.paper_left_bytes = paper_left_bytes
        self.paper_out = False
        self.paper_near_end = False
        self.cover_open = False
        self.job_bytes = bytearray()
        self.printed_bytes = 0
        self.overflowed = 0
        self.queries: list[int] = []
        self.images: list[tuple[int, int]] = []
        self.cuts = 0
        self.xoffs = 0
        self._pending = bytearray()  # received, not yet parsed
        self._recent = b""  # the last two bytes seen, for requests split across reads
        self._buffered = 0.0  # bytes waiting for the print head
        self._line_budget = 0.0
        self._line_busy = False  # the last read took all the line allowed: more was waiting
        self._read_since_tick = False
        self._held = False  # we sent XOFF
        self._last_tick: float | None = None
        self._lock = threading.Lock()
        self._cut_seen = threading.Condition(self._lock)
        self._send: Callable[[bytes], None] = lambda data: None

    def attach(self, send: Callable[[bytes], None]) -> None:
        self._send = send

    @property
    def status(self) -> PrinterStatus:
        stopped = self.paper_out or self.cover_open
        return PrinterStatus(
            online=not stopped, cover_open=self.cover_open, paper_near_end=self.paper_near_end, paper_out=self.paper_out
        )

    def wait_for_cuts(self, count: int, timeout: float) -> bool:
        with self._cut_seen:
            return self._cut_seen.wait_for(lambda: self.cuts >= count, timeout)

    # ------------------------------------------------------------------ wire

    def room(self) -> int:
        return 1 << 20 if self.line_bytes_per_s is None else int(self._line_budget)

    def on_bytes(self, data: bytes) -> None:
        with self._lock:
            self._line_busy = self.line_bytes_per_s is not None and len(data) >= int(self._line_budget)
            self._read_since_tick = True
            self._line_budget -= len(data)
            self._answer_requests(data)
            room = max(0, self.buffer_size - int(self._buffered))
            self._buffered += min(len(data), room)
            self.overflowed += max(0, len(data) - room)
            self._pending += data
            self._parse()
            self._flow()

    def tick(self, now: float) -> None:
        with self._lock:
            elapsed = 0.0 if self._last_tick is None else now - self._last_tick
            self._last_tick = now
            if not self._read_since_tick and self._line_budget >= 1:
                self._line_busy = False  # the line had room and nothing came: the driver sent it all
            self._read_since_tick = False
            if self.line_bytes_per_s is not None:
                # An idle line lets a few milliseconds of line time queue up between our
                # ticks; a busy one (bytes left waiting at the last read) makes up the
                # time this thread was kept from running, as a cable would have carried them.
                burst = max(16.0, 0.005 * self.line_bytes_per_s)
                cap = max(burst, LINE_CATCH_UP_S * self.line_bytes_per_s) if self._line_busy else burst
                self._line_budget = min(self._line_budget + elapsed * self.line_bytes_per_s, cap)
            self._print(elapsed)
            self._flow()

    def _print(self, elapsed: float) -> None:
        if self.paper_out or self.cover_open:
            return
        head = (
            self._buffered if self.print_bytes_per_s is None else min(self._buffered, elapsed * self.print_bytes_per_s)
        )
        if self.paper_left_bytes is not None:
            head = min(head, self.paper_left_bytes)
            self.paper_left_bytes -= int(head)
            if self.paper_left_bytes <= 0:
                self.paper_out = True
        self._buffered -= head
        self.printed_bytes += int(head)

    def _flow(self) -> None:
        if not self._held and self._buffered > 0.75 * self.buffer_size:
            self._held = True
            self.xoffs += 1
            self._send(XOFF)
        elif self._held and self._buffered < 0.25 * self.buffer_size:
            self._held = False
            self._send(XON)

    def _parse(self) -> None:
        buf = self._pending
        while buf:
            if buf[0] == DLE:
                if len(buf) < 3:
                    return
                if buf[1] == EOT:  # answered on arrival; not part of the job
                    del buf[:3]
                    continue
            elif buf[0] == GS:
                if len(buf) < 2:
                    return
                if buf[1] == ord("v"):  # GS v 0 m xL xH yL yH, then xL..xH * yL..yH bytes
                    if len(buf) < 8:
                        return
                    width, height = buf[4] | buf[5] << 8, buf[6] | buf[7] << 8
                    end = 8 + width * height
                    if len(buf) < end:
                        return
                    self.images.append((width, height))
                    self._take(end)
                    continue
                if buf[1] == ord("V"):  # GS V m [n]
                    if len(buf) < 3 or (buf[2] in (65, 66) and len(buf) < 4):
                        return
                    self._take(4 if buf[2] in (65, 66) else 3)
                    self.cuts += 1
                    self._cut_seen.notify_all()
                    continue
            self._take(1)

    def _take(self, n: int) -> None:
        self.job_bytes += self._pending[:n]
        del self._pending[:n]

    def _answer_requests(self, data: bytes) -> None:
        seen = self._recent + data
        start = 0
        while (i := seen.find(bytes([DLE, EOT]), start)) >= 0 and i + 2 < len(seen):
            if i + 2 >= len(self._recent):  # not answered with the previous read
                self._answer(seen[i + 2])
            start = i + 1
        self._recent = seen[-2:]

    def _answer(self, n: int) -> None:
        self.queries.append(n)
        try:
            kind = StatusKind(n)
        except ValueError:
            return  # an n we do not model: a real printer ignores it too
        self._send(bytes([ps.encode(kind, self.status)]))
