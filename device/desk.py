"""All the desk's devices behind one object, each optional.

The kiosk builds a :class:`Desk` from the ``[devices]`` section of ``branch.toml``
(``config.schema.DevicesConfig``: ``printer``/``sensor``/``light``, each with ``port``,
``baudrate``, and ``model`` for the light) and never has to ask which devices exist::

    desk = Desk.from_config(cfg.devices, on_presence=engine.on_presence, on_status=ui.device_status)
    desk.start()
    desk.submit_ticket(slip).add_done_callback(...)   # a PrintResult even with no printer
    desk.show(level); desk.acknowledge()              # no-ops without a light
    desk.statuses()                                   # for the staff console
    desk.stop()
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Callable

from device.light import AlertLight
from device.link import Backoff, DeviceStatus
from device.printer import PrintProblem, PrintResult, TicketPrinter
from device.sensor import PresenceSensor
from device.ticket import TicketSlip
from kiosk.core.model import Level, Presence


@dataclass
class Desk:
    printer: TicketPrinter | None = None
    sensor: PresenceSensor | None = None
    light: AlertLight | None = None

    @classmethod
    def from_config(
        cls,
        devices: Any,
        on_presence: Callable[[Presence], None],
        on_status: Callable[[DeviceStatus], None] | None = None,
        backoff: Backoff = Backoff(),
    ) -> "Desk":
        """``devices`` is a DevicesConfig (anything with optional printer/sensor/light sections)."""
        printer = sensor = light = None
        if getattr(devices, "printer", None) is not None:
            p = devices.printer
            printer = TicketPrinter(
                p.port,
                baudrate=p.baudrate,
                flow=p.flow,
                profile=p.profile,
                pad_rasters=p.pad_rasters,
                on_status=on_status,
                backoff=backoff,
            )
        if getattr(devices, "sensor", None) is not None:
            sensor = PresenceSensor(
                devices.sensor.port,
                on_presence,
                baudrate=devices.sensor.baudrate,
                max_distance_cm=devices.sensor.max_distance_cm,
                on_status=on_status,
                backoff=backoff,
            )
        if getattr(devices, "light", None) is not None:
            cfg = devices.light
            light = AlertLight(cfg.port, cfg.model, baudrate=cfg.baudrate, on_status=on_status, backoff=backoff)
        return cls(printer, sensor, light)

    def _present(self) -> list[Any]:
        return [d for d in (self.printer, self.sensor, self.light) if d is not None]

    def start(self) -> None:
        for device in self._present():
            device.start()

    def stop(self) -> None:
        for device in self._present():
            device.stop()

    def statuses(self) -> list[DeviceStatus]:
        return [device.status for device in self._present()]

    def submit_ticket(self, slip: TicketSlip) -> "Future[PrintResult]":
        if self.printer is None:
            done: Future[Any] = Future()
            done.set_result(PrintResult(False, PrintProblem.NO_PRINTER))
            return done
        return self.printer.submit(slip)

    def show(self, level: Level) -> None:
        if self.light is not None:
            self.light.show(level)

    def acknowledge(self) -> None:
        if self.light is not None:
            self.light.acknowledge()
