"""A simulated device on a real pseudo-terminal, with a plug you can pull.

The driver opens :attr:`PtyWire.path`, a symlink that always points at the current
``/dev/pts/N`` (as ``/dev/serial/by-id/…`` does for a USB adapter). ``unplug()``
closes the pty, so the driver's reads fail exactly as with a yanked cable, and the
symlink disappears; ``replug()`` opens a new pty (a new ``/dev/pts/M``) and points the
symlink at it again::

    wire = PtyWire(LD2410Simulator())
    wire.start()
    sensor = PresenceSensor(wire.path, on_presence=print)
    wire.unplug(); wire.replug()
    wire.stop()

The device object gets ``attach(send)`` once, ``on_bytes(data)`` for what the driver
wrote, and ``tick(now)`` every ``tick_s`` for what it emits by itself. A device with a
``room()`` method is read no faster than that many bytes at a time (a line rate).
"""

from __future__ import annotations

import os
import select
import shutil
import tempfile
import threading
import time
import tty
from typing import Callable, Protocol


class SimDevice(Protocol):
    def attach(self, send: Callable[[bytes], None]) -> None: ...

    def on_bytes(self, data: bytes) -> None: ...

    def tick(self, now: float) -> None: ...


class PtyWire:
    def __init__(self, device: SimDevice, name: str = "device", tick_s: float = 0.002) -> None:
        self.device = device
        self.tick_s = tick_s
        self._dir = tempfile.mkdtemp(prefix="frontdesk-sim-")
        self.path = os.path.join(self._dir, name)
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.dropped = 0  # bytes lost because nobody read them (a UART loses them too)
        device.attach(self.send)

    @property
    def plugged(self) -> bool:
        return self._master is not None

    @property
    def pty_path(self) -> str | None:
        slave = self._slave
        return os.ttyname(slave) if slave is not None else None

    def start(self) -> "PtyWire":
        self.replug()
        self._thread = threading.Thread(target=self._run, name=f"sim-{os.path.basename(self.path)}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self.unplug()
        shutil.rmtree(self._dir, ignore_errors=True)

    def unplug(self) -> None:
        with self._lock:
            for fd in (self._master, self._slave):
                if fd is not None:
                    os.close(fd)
            self._master = self._slave = None
            if os.path.lexists(self.path):
                os.unlink(self.path)

    def replug(self) -> None:
        with self._lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            # Raw mode before anyone opens it: no echo of the device's own output
            # back into it, no line editing, no CR/LF translation.
            tty.setraw(slave)
            os.set_blocking(master, False)
            self._master, self._slave = master, slave
            tmp = self.path + ".new"
            os.symlink(os.ttyname(slave), tmp)
            os.replace(tmp, self.path)

    def send(self, data: bytes) -> None:
        """Bytes from the device to the driver; lost (counted) when unplugged or unread."""
        with self._lock:
            if self._master is None:
                self.dropped += len(data)
                return
            try:
                written = os.write(self._master, data)
            except (BlockingIOError, OSError):
                written = 0
            self.dropped += len(data) - written

    def _room(self) -> int:
        room = getattr(self.device, "room", None)
        return 4096 if room is None else min(4096, room())

    def _run(self) -> None:
        while not self._stop.is_set():
            master = self._master
            if master is None:
                time.sleep(self.tick_s)
            elif (room := self._room()) <= 0:
                time.sleep(self.tick_s)  # the device reads no faster than its line rate
            else:
                try:
                    ready, _, _ = select.select([master], [], [], self.tick_s)
                    data = os.read(master, room) if ready else b""
                except (OSError, ValueError):  # unplugged under our feet
                    data = b""
                if data:
                    self.device.on_bytes(data)
            self.device.tick(time.monotonic())
        self._read_leftover()

    def _read_leftover(self) -> None:
        """On stop, hand the device what the driver wrote last (a demo's final command)."""
        master = self._master
        if master is None:
            return
        try:
            data = os.read(master, 65536)
        except (BlockingIOError, OSError):
            return
        if data:
            self.device.on_bytes(data)
