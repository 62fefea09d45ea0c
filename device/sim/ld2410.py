"""A simulated HLK-LD2410: reports at ~10 Hz, answers configuration commands with ACKs.

Like the real module it only accepts commands between enable-config and end-config,
and sends no reports while in configuration mode::

    sim = LD2410Simulator()
    sim.set_target(Target.MOVING, moving_cm=120)      # someone walks up
    sim.set_target(Target.NONE)                       # and leaves
    sim.silent = True                                 # a hung sensor: frames stop
"""

from __future__ import annotations

import threading
from typing import Callable

from device import ld2410
from device.ld2410 import Command, Engineering, FirmwareVersion, Report, Target

DEFAULT_FIRMWARE = FirmwareVersion(firmware_type=0, major=1, minor=0x02, revision=0x22062516)
NOBODY = Report(Target.NONE, 0, 0, 0, 0, 0)


class LD2410Simulator:
    def __init__(
        self,
        report_hz: float = 10.0,
        firmware: FirmwareVersion = DEFAULT_FIRMWARE,
        engineering: bool = False,
        scenario: Callable[[float], Report] | None = None,
    ) -> None:
        self.period = 1.0 / report_hz
        self.firmware = firmware
        self.engineering = engineering
        self.scenario = scenario  # now -> Report, for demos; overrides set_target
        self._silent = False
        self.config_mode = False
        self.commands: list[int] = []
        self.reports_sent = 0
        self._report = NOBODY
        self._next = 0.0
        self._decoder = ld2410.Decoder()
        self._lock = threading.Lock()
        # held while a report is checked and sent, so that once ``silent = True`` returns no
        # report is still on its way (one sent later would cut into bytes a test injects)
        self._sending = threading.Lock()
        self._send: Callable[[bytes], None] = lambda data: None

    @property
    def silent(self) -> bool:
        """A hung sensor: no reports while true. Setting it waits for a report being sent."""
        return self._silent

    @silent.setter
    def silent(self, value: bool) -> None:
        with self._sending:
            self._silent = value

    def attach(self, send: Callable[[bytes], None]) -> None:
        self._send = send

    def set_target(
        self, state: Target, moving_cm: int = 0, still_cm: int = 0, detect_cm: int | None = None, energy: int = 60
    ) -> None:
        """What the radar sees from now on. ``detect_cm`` defaults to the nearest target."""
        distances = [
            d
            for d, on in (
                (moving_cm, state in (Target.MOVING, Target.BOTH)),
                (still_cm, state in (Target.STILL, Target.BOTH)),
            )
            if on
        ]
        detect = detect_cm if detect_cm is not None else (min(distances) if distances else 0)
        moving_energy = energy if state in (Target.MOVING, Target.BOTH) else 0
        still_energy = energy if state in (Target.STILL, Target.BOTH) else 0
        with self._lock:
            self._report = Report(state, moving_cm, moving_energy, still_cm, still_energy, detect)

    def inject(self, raw: bytes) -> None:
        """Put raw bytes on the wire (line noise, a half frame)."""
        self._send(raw)

    # ------------------------------------------------------------------ wire

    def on_bytes(self, data: bytes) -> None:
        for frame in self._decoder.feed(data):
            if isinstance(frame, ld2410.CommandFrame):
                self._answer(frame)

    def tick(self, now: float) -> None:
        with self._sending:
            if self._silent or self.config_mode or now < self._next:
                return
            self._next = now + self.period
            self._send(ld2410.encode_report(self._current(now)))
            self.reports_sent += 1

    def _current(self, now: float) -> Report:
        with self._lock:
            report = self.scenario(now) if self.scenario is not None else self._report
        if not self.engineering:
            return report
        gates = tuple(
            min(100, report.moving_energy if g * 75 <= report.moving_cm < (g + 1) * 75 else 5) for g in range(9)
        )
        still = tuple(
            min(100, report.still_energy if g * 75 <= report.still_cm < (g + 1) * 75 else 3) for g in range(9)
        )
        return Report(
            report.state,
            report.moving_cm,
            report.moving_energy,
            report.still_cm,
            report.still_energy,
            report.detect_cm,
            Engineering(8, 8, gates, still, light=120, out_pin=int(report.someone)),
        )

    def _answer(self, cmd: ld2410.CommandFrame) -> None:
        self.commands.append(cmd.word)
        word = cmd.word
        if word == Command.ENABLE_CONFIG:
            self.config_mode = True
            self._send(ld2410.encode_ack(word, True, ld2410.enable_config_ack_data()))
        elif not self.config_mode:
            self._send(ld2410.encode_ack(word, False))  # the module refuses commands outside config mode
        elif word == Command.END_CONFIG:
            self.config_mode = False
            self._send(ld2410.encode_ack(word, True))
        elif word in (Command.ENGINEERING_ON, Command.ENGINEERING_OFF):
            self.engineering = word == Command.ENGINEERING_ON
            self._send(ld2410.encode_ack(word, True))
        elif word == Command.READ_FIRMWARE:
            self._send(ld2410.encode_ack(word, True, ld2410.firmware_ack_data(self.firmware)))
        else:
            self._send(ld2410.encode_ack(word, False))


def walk_up_scenario(cycle_s: float = 12.0) -> Callable[[float], Report]:
    """A customer every ``cycle_s``: nobody, walks in from 4 m, stands at the kiosk, leaves."""

    def at(now: float) -> Report:
        t = now % cycle_s
        quarter = cycle_s / 4
        if t < quarter:
            return NOBODY
        if t < 2 * quarter:
            cm = int(400 - 340 * (t - quarter) / quarter)
            return Report(Target.MOVING, cm, 70, 0, 0, cm)
        if t < 3 * quarter:
            return Report(Target.BOTH, 60, 20, 55, 80, 55)
        cm = int(60 + 340 * (t - 3 * quarter) / quarter)
        return Report(Target.MOVING, cm, 60, 0, 0, cm)

    return at
