"""The staff alert light: ``show(level)`` from the engine, ``acknowledge()`` from staff.

::

    light = AlertLight("/dev/ttyUSB1", model="adafruit")
    light.start()
    light.show(Level.BREACH)   # red; the buzzer pulses until acknowledged
    light.acknowledge()        # silence the buzzer, red stays until the level drops
    light.show(Level.WITHIN)   # green; a later breach sounds the buzzer again

Nothing blocks: the wanted lamps are computed on every call and every 0.1 s, and
written by the link's writer thread when they change. After an unplug the link
reconnects and the whole state is written again.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Literal

from device.lightcodec import (
    Lamps,
    LcusWiring,
    LightState,
    buzzer_sounds,
    encode_adafruit,
    encode_lcus,
    lamps_for,
)
from device.link import Backoff, DeviceProtocol, DeviceStatus, SerialLink
from kiosk.core.model import Level

LIGHT_BAUDRATE = 9600
Model = Literal["lcus", "adafruit"]


def encoder_for(model: Model, wiring: LcusWiring = LcusWiring()) -> Callable[[Lamps], bytes]:
    if model == "lcus":
        return lambda lamps: encode_lcus(lamps, wiring)
    if model == "adafruit":
        return encode_adafruit
    raise ValueError(f"unknown light model {model!r} (lcus or adafruit)")


class AlertLight:
    def __init__(
        self,
        port: str,
        model: Model = "lcus",
        *,
        baudrate: int | None = None,
        wiring: LcusWiring = LcusWiring(),
        buzzer_pulse_s: float = 1.5,
        buzzer_repeat_s: float | None = 60.0,
        on_status: Callable[[DeviceStatus], None] | None = None,
        backoff: Backoff = Backoff(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model = model
        self._encode = encoder_for(model, wiring)
        self.buzzer_pulse_s, self.buzzer_repeat_s = buzzer_pulse_s, buzzer_repeat_s
        self._clock = clock
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._state = LightState.OFF
        self._breach_since: float | None = None
        self._acknowledged = False
        self._sent: Lamps | None = None
        self.link = SerialLink(
            port,
            baudrate or LIGHT_BAUDRATE,
            DeviceProtocol,  # these devices do not talk back; the reader only notices an unplug
            name="light",
            backoff=backoff,
            on_connected=self._resend,
            on_tick=lambda _now: self._refresh(),
            on_status=on_status,
        )

    @property
    def status(self) -> DeviceStatus:
        return self.link.status

    @property
    def state(self) -> LightState:
        return self._state

    def start(self) -> None:
        self.link.start()

    def stop(self) -> None:
        self.link.stop()

    def show(self, level: Level) -> None:
        """The engine's worst alert level right now (call it as often as you like)."""
        self.set_state(LightState.for_level(level))

    def set_state(self, state: LightState) -> None:
        with self._lock:
            if state is not self._state:
                entering_breach = state is LightState.BREACH
                self._breach_since = self._clock() if entering_breach else None
                self._acknowledged = False
                self._state = state
        self._refresh()

    def acknowledge(self) -> None:
        """Staff saw it: silence the buzzer until the next breach."""
        with self._lock:
            self._acknowledged = True
        self._refresh()

    def wanted(self) -> Lamps:
        """The lamps the light should show now."""
        with self._lock:
            since = None if self._breach_since is None else self._clock() - self._breach_since
            buzz = since is not None and buzzer_sounds(
                since, self._acknowledged, self.buzzer_pulse_s, self.buzzer_repeat_s
            )
            return lamps_for(self._state, buzzer=buzz)

    def _refresh(self) -> None:
        # One lock around compare-and-queue: the caller's thread and the tick thread
        # must not queue their lamps out of order.
        with self._send_lock:
            lamps = self.wanted()
            if lamps != self._sent and self.link.connected:
                self._sent = lamps
                self.link.send(self._encode(lamps))

    def _resend(self, _link: SerialLink) -> None:
        self._sent = None  # the device may have lost power: write everything again
        self._refresh()
