"""The staff alert light as a mirror of one console: the worst level, quiet once acknowledged.

The console's acknowledgement is the branch's (read from the log, see
:mod:`kiosk.store.alert_state`), so the light this console drives goes quiet whichever
console the clerk acknowledged on::

    mirror = LightMirror(AlertLight("/dev/ttyUSB0", "lcus"))
    console.subscribe(lambda: mirror.show(console.alert_level, console.unacknowledged))
"""

from __future__ import annotations

from typing import Protocol

from kiosk.core.model import Level


class Light(Protocol):
    """What a light offers (device.light.AlertLight, device.desk.Desk)."""

    def show(self, level: Level) -> None: ...

    def acknowledge(self) -> None: ...


class LightMirror:
    """Tells the light only what changed (the console redraws far more often)."""

    def __init__(self, light: Light):
        self.light = light
        self._shown: tuple[Level, bool] | None = None

    def show(self, level: Level, unacknowledged: bool) -> None:
        if (level, unacknowledged) == self._shown:
            return
        self._shown = (level, unacknowledged)
        self.light.show(level)
        if not unacknowledged:
            self.light.acknowledge()
