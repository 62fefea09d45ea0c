"""HLK-LD2410 radar protocol as a pure codec: bytes in, frozen dataclasses out.

Two frame families share the wire (UART 256000 8N1):

* report frames ``F4 F3 F2 F1 | len u16 LE | type | AA | target… | [engineering…] | 55 00 | F8 F7 F6 F5``
* command frames ``FD FC FB FA | len u16 LE | command word u16 LE | value | 04 03 02 01``;
  the sensor answers each command with an ACK whose word is ``command | 0x0100``.

The :class:`Decoder` is incremental: feed it whatever a read returned and it
yields every complete frame, resynchronising after garbage, never raising::

    >>> d = Decoder()
    >>> frame = bytes.fromhex("f4f3f2f10d0002aa034f00644c00643200 5500f8f7f6f5".replace(" ", ""))
    >>> [r.state.name for r in d.feed(frame[:7])], [r.state.name for r in d.feed(frame[7:])]
    ([], ['BOTH'])
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Iterator, Union


@dataclass(frozen=True, slots=True)
class FrameSpec:
    """One frame family: its fixed header and footer, and the longest body it may carry."""

    header: bytes
    footer: bytes
    max_body: int


REPORT_FRAME = FrameSpec(header=b"\xf4\xf3\xf2\xf1", footer=b"\xf8\xf7\xf6\xf5", max_body=64)
COMMAND_FRAME = FrameSpec(header=b"\xfd\xfc\xfb\xfa", footer=b"\x04\x03\x02\x01", max_body=64)
_FAMILIES = (REPORT_FRAME, COMMAND_FRAME)
_LENGTH = struct.Struct("<H")

# Report body layouts (after the type byte and the 0xAA head). Field order is the wire order.
GATES = 9  # gates 0..8 at 0.75 m each
_TARGET = struct.Struct("<BHBHBH")  # state, moving cm, moving energy, still cm, still energy, detect cm
_ENGINEERING = struct.Struct(f"<BB{GATES}B{GATES}BBB")  # max gates, energies, light, out pin
_REPORT_HEAD, _REPORT_TAIL = 0xAA, b"\x55\x00"
BASIC_BODY_LEN = 2 + _TARGET.size + 2
ENGINEERING_BODY_LEN = 2 + _TARGET.size + _ENGINEERING.size + 2


class Target(IntEnum):
    """What the radar sees: its ``state`` byte."""

    NONE = 0
    MOVING = 1
    STILL = 2
    BOTH = 3


class ReportType(IntEnum):
    ENGINEERING = 1
    BASIC = 2


class Command(IntEnum):
    """Command words (little-endian on the wire). ACK word = command | ACK_BIT."""

    ENABLE_CONFIG = 0x00FF
    END_CONFIG = 0x00FE
    ENGINEERING_ON = 0x0062
    ENGINEERING_OFF = 0x0063
    READ_FIRMWARE = 0x00A0


ACK_BIT = 0x0100


@dataclass(frozen=True, slots=True)
class Engineering:
    """Per-gate energies (percent) of an engineering report."""

    max_moving_gate: int
    max_still_gate: int
    moving_gate_energy: tuple[int, ...]
    still_gate_energy: tuple[int, ...]
    light: int
    out_pin: int


@dataclass(frozen=True, slots=True)
class Report:
    """One target report. Distances in centimetres, energies in percent."""

    state: Target
    moving_cm: int
    moving_energy: int
    still_cm: int
    still_energy: int
    detect_cm: int
    engineering: Engineering | None = None

    @property
    def someone(self) -> bool:
        return self.state is not Target.NONE

    def as_json(self) -> dict[str, Any]:
        """The CLI contract: ``state``, ``moving_cm``, ``still_cm``, ``detect_cm`` (+ gate energies)."""
        out: dict[str, Any] = {
            "state": self.state.name.lower(),
            "moving_cm": self.moving_cm,
            "still_cm": self.still_cm,
            "detect_cm": self.detect_cm,
        }
        if self.engineering is not None:
            out["moving_gate_energy"] = list(self.engineering.moving_gate_energy)
            out["still_gate_energy"] = list(self.engineering.still_gate_energy)
        return out


@dataclass(frozen=True, slots=True)
class CommandFrame:
    """A command as the host sends it (the simulator decodes these)."""

    word: int
    value: bytes = b""


@dataclass(frozen=True, slots=True)
class Ack:
    """The sensor's answer to a command: ``ok`` when its status word is 0."""

    command: int
    ok: bool
    data: bytes = b""


@dataclass(frozen=True, slots=True)
class FirmwareVersion:
    firmware_type: int
    major: int
    minor: int
    revision: int

    def __str__(self) -> str:  # the form HLK's own tool shows: V1.02.22062516
        return f"V{self.major}.{self.minor:02x}.{self.revision:08x}"


Frame = Union[Report, CommandFrame, Ack]


# ---------------------------------------------------------------------------- encoding


def _wrap(spec: FrameSpec, body: bytes) -> bytes:
    return spec.header + _LENGTH.pack(len(body)) + body + spec.footer


def encode_report(report: Report) -> bytes:
    """The frame a sensor sends for ``report`` (basic, or engineering when it has gate energies)."""
    target = _TARGET.pack(
        int(report.state),
        report.moving_cm,
        report.moving_energy,
        report.still_cm,
        report.still_energy,
        report.detect_cm,
    )
    eng = report.engineering
    if eng is None:
        return _wrap(REPORT_FRAME, bytes([ReportType.BASIC, _REPORT_HEAD]) + target + _REPORT_TAIL)
    extra = _ENGINEERING.pack(
        eng.max_moving_gate, eng.max_still_gate, *eng.moving_gate_energy, *eng.still_gate_energy, eng.light, eng.out_pin
    )
    return _wrap(REPORT_FRAME, bytes([ReportType.ENGINEERING, _REPORT_HEAD]) + target + extra + _REPORT_TAIL)


def encode_command(word: int, value: bytes = b"") -> bytes:
    """A command frame, e.g. ``encode_command(Command.ENABLE_CONFIG, b"\\x01\\x00")``."""
    return _wrap(COMMAND_FRAME, struct.pack("<H", word) + value)


def enable_config() -> bytes:
    return encode_command(Command.ENABLE_CONFIG, struct.pack("<H", 1))


def end_config() -> bytes:
    return encode_command(Command.END_CONFIG)


def engineering_mode(on: bool) -> bytes:
    return encode_command(Command.ENGINEERING_ON if on else Command.ENGINEERING_OFF)


def read_firmware() -> bytes:
    return encode_command(Command.READ_FIRMWARE)


def encode_ack(command: int, ok: bool = True, data: bytes = b"") -> bytes:
    """The sensor's ACK frame (used by the simulator): word, status u16, then data."""
    return _wrap(COMMAND_FRAME, struct.pack("<HH", command | ACK_BIT, 0 if ok else 1) + data)


def enable_config_ack_data(protocol_version: int = 1, buffer_size: int = 0x40) -> bytes:
    return struct.pack("<HH", protocol_version, buffer_size)


def firmware_ack_data(version: FirmwareVersion) -> bytes:
    return struct.pack("<HBBI", version.firmware_type, version.minor, version.major, version.revision)


def parse_firmware(ack: Ack) -> FirmwareVersion | None:
    """The version carried by a READ_FIRMWARE ACK, or None if it is not one or is short."""
    if ack.command != Command.READ_FIRMWARE or not ack.ok or len(ack.data) < 8:
        return None
    ftype, minor, major, revision = struct.unpack_from("<HBBI", ack.data)
    return FirmwareVersion(ftype, major, minor, revision)


# ---------------------------------------------------------------------------- decoding


def _parse_report(body: bytes) -> Report | None:
    if len(body) not in (BASIC_BODY_LEN, ENGINEERING_BODY_LEN) or body[1] != _REPORT_HEAD:
        return None
    if body[-2:] != _REPORT_TAIL:
        return None
    kind = body[0]
    if (kind, len(body)) not in ((ReportType.BASIC, BASIC_BODY_LEN), (ReportType.ENGINEERING, ENGINEERING_BODY_LEN)):
        return None
    state, mcm, men, scm, sen, dcm = _TARGET.unpack_from(body, 2)
    if state > Target.BOTH:
        return None
    eng = None
    if kind == ReportType.ENGINEERING:
        v = _ENGINEERING.unpack_from(body, 2 + _TARGET.size)
        eng = Engineering(v[0], v[1], tuple(v[2 : 2 + GATES]), tuple(v[2 + GATES : 2 + 2 * GATES]), v[-2], v[-1])
    return Report(Target(state), mcm, men, scm, sen, dcm, eng)


def _parse_command(body: bytes) -> CommandFrame | Ack | None:
    if len(body) < 2:
        return None
    (word,) = struct.unpack_from("<H", body)
    if word & ACK_BIT:
        if len(body) < 4:
            return None
        (status,) = struct.unpack_from("<H", body, 2)
        return Ack(word & ~ACK_BIT, status == 0, bytes(body[4:]))
    return CommandFrame(word, bytes(body[2:]))


class Decoder:
    """Incremental frame decoder for a byte stream that may hold garbage and split frames.

    ``feed(chunk)`` returns the frames completed by this chunk. A candidate frame whose
    length, footer or layout is wrong is dropped one byte at a time, so a real frame that
    starts inside garbage is still found. Memory stays bounded: at most one frame is held.
    ``skipped`` counts bytes thrown away (a garbage gauge for diagnostics).
    """

    _HEADERS = tuple(spec.header for spec in _FAMILIES)
    _MAX_FRAME = max(len(s.header) + 2 + s.max_body + len(s.footer) for s in _FAMILIES)

    def __init__(self) -> None:
        self._buf = bytearray()
        self.skipped = 0

    def feed(self, chunk: bytes) -> list[Frame]:
        self._buf += chunk
        return list(self._drain())

    def _drain(self) -> Iterator[Frame]:
        buf = self._buf
        while True:
            start = self._find_header(buf)
            if start < 0:
                # Keep a tail that might be the beginning of a header split across reads.
                keep = self._partial_header_tail(buf)
                self.skipped += len(buf) - keep
                del buf[: len(buf) - keep]
                return
            if start:
                self.skipped += start
                del buf[:start]
            spec = REPORT_FRAME if buf[:4] == REPORT_FRAME.header else COMMAND_FRAME
            if len(buf) < 6:
                return
            (length,) = _LENGTH.unpack_from(buf, 4)
            if length > spec.max_body:
                self._drop_one()
                continue
            end = 6 + length + len(spec.footer)
            if len(buf) < end:
                return
            frame = None
            if buf[6 + length : end] == spec.footer:
                body = bytes(buf[6 : 6 + length])
                frame = _parse_report(body) if spec is REPORT_FRAME else _parse_command(body)
            if frame is None:
                self._drop_one()
                continue
            del buf[:end]
            yield frame

    def _drop_one(self) -> None:
        del self._buf[:1]
        self.skipped += 1

    def _find_header(self, buf: bytearray) -> int:
        hits = [i for i in (buf.find(h) for h in self._HEADERS) if i >= 0]
        return min(hits) if hits else -1

    def _partial_header_tail(self, buf: bytearray) -> int:
        for keep in (3, 2, 1):
            tail = bytes(buf[-keep:]) if len(buf) >= keep else None
            if tail and any(h.startswith(tail) for h in self._HEADERS):
                return keep
        return 0
