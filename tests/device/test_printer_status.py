"""DLE EOT status bytes, checked against python-escpos's own reading of them."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy

from device import printer_status as ps
from device.printer_status import PrinterStatus, StatusKind


class AnsweringDummy(Dummy):
    """python-escpos's Dummy printer that answers every status request with one byte."""

    def __init__(self, answer: int):
        super().__init__()
        self.answer = answer

    def _read(self) -> bytes:
        return bytes([self.answer])


STATES = [
    PrinterStatus(),
    PrinterStatus(paper_near_end=True),
    PrinterStatus(online=False, paper_out=True, paper_near_end=True),
    PrinterStatus(online=False, cover_open=True),
]


@pytest.mark.parametrize("status", STATES)
def test_python_escpos_reads_our_paper_and_online_bytes_the_same_way(status):
    paper = ps.encode(StatusKind.PAPER, status)
    online = ps.encode(StatusKind.PRINTER, status)
    expected_paper = 0 if status.paper_out else 1 if status.paper_near_end else 2
    assert AnsweringDummy(paper).paper_status() == expected_paper
    assert AnsweringDummy(online).is_online() == status.online
    assert ps.decode_paper(paper).paper_out == status.paper_out
    assert ps.decode_printer(online).online == status.online


@pytest.mark.parametrize("status", STATES)
def test_merged_answers_give_the_status_back(status):
    parts = [ps.DECODE[kind](ps.encode(kind, status)) for kind in StatusKind]
    assert ps.merge(*parts) == status


def test_request_bytes_are_dle_eot_n():
    assert ps.REQUEST[StatusKind.PRINTER] == b"\x10\x04\x01"
    assert ps.REQUEST[StatusKind.OFFLINE_CAUSE] == b"\x10\x04\x02"
    assert ps.REQUEST[StatusKind.PAPER] == b"\x10\x04\x04"


def test_status_bytes_are_told_from_noise_and_flow_control():
    assert all(ps.is_status_byte(ps.encode(k, s)) for k in StatusKind for s in STATES)
    assert not ps.is_status_byte(0x11) and not ps.is_status_byte(0x13)  # XON, XOFF
    assert not ps.is_status_byte(0x00) and not ps.is_status_byte(0xFF)


def test_ok_means_ready_to_print():
    assert PrinterStatus().ok and PrinterStatus(paper_near_end=True).ok
    assert not PrinterStatus(paper_out=True).ok and not PrinterStatus(online=False).ok
