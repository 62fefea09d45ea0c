"""A simulated alert light: decodes LCUS relay frames or Adafruit tower bytes into lamps.

::

    sim = LightSimulator("adafruit")
    ...driver writes...
    sim.lamps            # Lamps(red=Mode.BLINK, ..., buzzer=Mode.ON)
    sim.history          # every distinct Lamps shown, oldest first
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Callable

from device.lightcodec import Lamp, Lamps, LcusWiring, Mode, decode_adafruit, decode_lcus


class LightSimulator:
    def __init__(self, model: str = "lcus", wiring: LcusWiring = LcusWiring()) -> None:
        if model not in ("lcus", "adafruit"):
            raise ValueError(f"unknown light model {model!r}")
        self.model = model
        self._lamp_of_channel = {wiring.channel(lamp): lamp for lamp in Lamp if wiring.channel(lamp) is not None}
        self.lamps = Lamps()
        self.history: list[Lamps] = [self.lamps]
        self._tail = b""
        self._changed = threading.Condition()
        self.on_change: Callable[[Lamps], None] | None = None

    def attach(self, send: Callable[[bytes], None]) -> None:
        pass  # neither device answers

    def tick(self, now: float) -> None:
        pass

    def on_bytes(self, data: bytes) -> None:
        if self.model == "lcus":
            commands, self._tail = decode_lcus(self._tail + data)
            changes = [
                (self._lamp_of_channel[c.channel], Mode.ON if c.on else Mode.OFF)
                for c in commands
                if c.channel in self._lamp_of_channel
            ]
        else:
            changes = decode_adafruit(data)
        for lamp, mode in changes:
            self._set(lamp, mode)

    def wait_for(self, predicate: Callable[[Lamps], bool], timeout: float) -> bool:
        """Block until the lamps satisfy ``predicate`` (tests and demos)."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self.lamps), timeout)

    def _set(self, lamp: Lamp, mode: Mode) -> None:
        with self._changed:
            lamps = replace(self.lamps, **{lamp.name.lower(): mode})
            if lamps == self.lamps:
                return
            self.lamps = lamps
            self.history.append(lamps)
            self._changed.notify_all()
        if self.on_change is not None:
            self.on_change(lamps)
