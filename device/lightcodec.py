"""Staff alert light: what each state shows, and the bytes two common devices take.

A state becomes :class:`Lamps` (each lamp off, on or blinking, plus the buzzer), and
the lamps become bytes for one of two serial devices, both 9600 baud:

* an LCUS-type USB relay board: ``A0 <channel> <0|1> <sum & 0xFF>`` per relay, with a
  stack light wired red/yellow/green/buzzer to relays 1–4 (see :class:`LcusWiring`);
* an Adafruit USB tower light: one byte per command, ``0x10|bit`` on, ``0x20|bit`` off,
  ``0x40|bit`` blink, with red 1, yellow 2, green 4, buzzer 8.

Every encoding sets all four outputs, so one write restores the whole light after a
reconnect or a lost byte::

    >>> encode_lcus(lamps_for(LightState.WARNING)).hex(" ")
    'a0 01 00 a1 a0 02 01 a3 a0 03 00 a3 a0 04 00 a4'
    >>> encode_adafruit(lamps_for(LightState.BREACH, buzzer=True)).hex(" ")
    '41 22 24 18'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import Any

from kiosk.core.model import Level


class LightState(str, Enum):
    NORMAL = "normal"
    WARNING = "warning"
    BREACH = "breach"
    OFF = "off"

    @classmethod
    def for_level(cls, level: Level) -> "LightState":
        return {Level.WITHIN: cls.NORMAL, Level.WARNING: cls.WARNING, Level.BREACH: cls.BREACH}[level]


class Mode(str, Enum):
    OFF = "off"
    ON = "on"
    BLINK = "blink"


class Lamp(IntEnum):
    """Output bits of the Adafruit tower light (also the lamp order everywhere)."""

    RED = 1
    YELLOW = 2
    GREEN = 4
    BUZZER = 8


@dataclass(frozen=True, slots=True)
class Lamps:
    red: Mode = Mode.OFF
    yellow: Mode = Mode.OFF
    green: Mode = Mode.OFF
    buzzer: Mode = Mode.OFF

    def mode(self, lamp: Lamp) -> Mode:
        mode: Mode = getattr(self, lamp.name.lower())
        return mode

    def as_json(self) -> dict[str, Any]:
        return {lamp.name.lower(): self.mode(lamp).value for lamp in Lamp}


# What a state shows. Breach blinks red where the device can blink (a relay cannot).
_STATE_LAMPS = {
    LightState.NORMAL: Lamps(green=Mode.ON),
    LightState.WARNING: Lamps(yellow=Mode.ON),
    LightState.BREACH: Lamps(red=Mode.BLINK),
    LightState.OFF: Lamps(),
}


def lamps_for(state: LightState, buzzer: bool = False) -> Lamps:
    """The lamps of ``state``; ``buzzer`` sounds it (only a breach ever asks for it)."""
    lamps = _STATE_LAMPS[state]
    if buzzer:
        return Lamps(lamps.red, lamps.yellow, lamps.green, Mode.ON)
    return lamps


def buzzer_sounds(since_breach_s: float, acknowledged: bool, pulse_s: float, repeat_s: float | None) -> bool:
    """Whether the buzzer is on ``since_breach_s`` after a breach began.

    It sounds for ``pulse_s``, and again every ``repeat_s`` (None: once), until a member
    of staff acknowledges the alert.
    """
    if acknowledged or since_breach_s < 0:
        return False
    if repeat_s is None:
        return since_breach_s < pulse_s
    return since_breach_s % repeat_s < pulse_s


# ---------------------------------------------------------------------------- LCUS relay board

LCUS_HEAD = 0xA0


@dataclass(frozen=True, slots=True)
class LcusWiring:
    """Which relay channel drives which lamp (None: not wired, e.g. a one-relay board)."""

    red: int | None = 1
    yellow: int | None = 2
    green: int | None = 3
    buzzer: int | None = 4

    def channel(self, lamp: Lamp) -> int | None:
        channel: int | None = getattr(self, lamp.name.lower())
        return channel


@dataclass(frozen=True, slots=True)
class RelayCommand:
    channel: int
    on: bool


def lcus_frame(channel: int, on: bool) -> bytes:
    state = 1 if on else 0
    return bytes([LCUS_HEAD, channel, state, (LCUS_HEAD + channel + state) & 0xFF])


def encode_lcus(lamps: Lamps, wiring: LcusWiring = LcusWiring()) -> bytes:
    """One relay frame per wired lamp; a relay cannot blink, so blink is on."""
    out = bytearray()
    for lamp in Lamp:
        channel = wiring.channel(lamp)
        if channel is not None:
            out += lcus_frame(channel, lamps.mode(lamp) is not Mode.OFF)
    return bytes(out)


def decode_lcus(data: bytes) -> tuple[list[RelayCommand], bytes]:
    """Relay commands in ``data`` and the unfinished tail; bytes with a bad sum are skipped."""
    commands, i = [], 0
    while i + 4 <= len(data):
        head, channel, state, check = data[i : i + 4]
        if head == LCUS_HEAD and state in (0, 1) and check == (head + channel + state) & 0xFF:
            commands.append(RelayCommand(channel, bool(state)))
            i += 4
        else:
            i += 1
    tail = data[i:]
    return commands, tail[tail.find(LCUS_HEAD) :] if LCUS_HEAD in tail else b""


# ---------------------------------------------------------------------------- Adafruit tower light

_ADAFRUIT_OP = {Mode.ON: 0x10, Mode.OFF: 0x20, Mode.BLINK: 0x40}
_ADAFRUIT_MODE = {op: mode for mode, op in _ADAFRUIT_OP.items()}


def encode_adafruit(lamps: Lamps) -> bytes:
    return bytes(_ADAFRUIT_OP[lamps.mode(lamp)] | lamp for lamp in Lamp)


def decode_adafruit(data: bytes) -> list[tuple[Lamp, Mode]]:
    """(lamp, mode) per command byte; a byte naming several lamps sets each; others are skipped."""
    out: list[tuple[Lamp, Mode]] = []
    for byte in data:
        mode = _ADAFRUIT_MODE.get(byte & 0xF0)
        if mode is None:
            continue
        out.extend((lamp, mode) for lamp in Lamp if byte & lamp)
    return out
