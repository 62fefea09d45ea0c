"""ESC/POS real-time status (``DLE EOT n``) as a pure codec.

The printer answers each request with one byte whose bits 0 and 7 are 0 and bits 1
and 4 are 1; those fixed bits tell a status byte from noise and, by design, keep
it clear of XON (0x11) and XOFF (0x13)::

    >>> decode_paper(0x72).paper_out, decode_paper(0x1E).paper_near_end
    (True, True)
    >>> merge(decode_printer(0x12), decode_offline(0x12), decode_paper(0x12)).ok
    True

The request bytes are python-escpos's own constants (``RT_STATUS_ONLINE``,
``RT_STATUS_PAPER``); python-escpos has no request for the offline cause (n=2)
nor a decoder for it, so both live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from escpos.constants import RT_STATUS, RT_STATUS_ONLINE, RT_STATUS_PAPER


class StatusKind(IntEnum):
    PRINTER = 1  # bit 3: offline
    OFFLINE_CAUSE = 2  # bit 2: cover open, bit 3: feed button, bit 5: stopped at paper end, bit 6: error
    PAPER = 4  # bits 2-3: roll near its end, bits 5-6: no paper


REQUEST = {
    StatusKind.PRINTER: RT_STATUS_ONLINE,
    StatusKind.OFFLINE_CAUSE: RT_STATUS + bytes([StatusKind.OFFLINE_CAUSE]),
    StatusKind.PAPER: RT_STATUS_PAPER,
}

_FIXED_MASK, _FIXED_BITS = 0x93, 0x12


def is_status_byte(byte: int) -> bool:
    return byte & _FIXED_MASK == _FIXED_BITS


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What the printer reported. Unknown parts are False (not asked, or not said)."""

    online: bool = True
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    error: bool = False

    @property
    def ok(self) -> bool:
        """Ready to print a ticket now."""
        return self.online and not (self.cover_open or self.paper_out or self.error)

    def as_json(self) -> dict[str, Any]:
        return {
            "online": self.online,
            "cover_open": self.cover_open,
            "paper_near_end": self.paper_near_end,
            "paper_out": self.paper_out,
            "error": self.error,
        }


def decode_printer(byte: int) -> PrinterStatus:
    return PrinterStatus(online=not byte & 0x08)


def decode_offline(byte: int) -> PrinterStatus:
    return PrinterStatus(cover_open=bool(byte & 0x04), paper_out=bool(byte & 0x20), error=bool(byte & 0x40))


def decode_paper(byte: int) -> PrinterStatus:
    return PrinterStatus(paper_near_end=byte & 0x0C == 0x0C, paper_out=byte & 0x60 == 0x60)


DECODE = {StatusKind.PRINTER: decode_printer, StatusKind.OFFLINE_CAUSE: decode_offline, StatusKind.PAPER: decode_paper}


def merge(*parts: PrinterStatus) -> PrinterStatus:
    """One status from the answers to several requests."""
    return PrinterStatus(
        online=all(p.online for p in parts),
        cover_open=any(p.cover_open for p in parts),
        paper_near_end=any(p.paper_near_end for p in parts),
        paper_out=any(p.paper_out for p in parts),
        error=any(p.error for p in parts),
    )


def encode(kind: StatusKind, status: PrinterStatus) -> int:
    """The byte a printer in ``status`` answers to request ``kind`` (for the simulator)."""
    byte = _FIXED_BITS
    if kind is StatusKind.PRINTER:
        byte |= 0x00 if status.online else 0x08
    elif kind is StatusKind.OFFLINE_CAUSE:
        byte |= (0x04 if status.cover_open else 0) | (0x20 if status.paper_out else 0) | (0x40 if status.error else 0)
    else:
        byte |= (0x0C if status.paper_near_end or status.paper_out else 0) | (0x60 if status.paper_out else 0)
    return byte
