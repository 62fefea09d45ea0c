"""The real ticket-printer driver against the simulated ESC/POS printer on a pseudo-terminal."""

from __future__ import annotations

import pytest

from device.link import LinkState
from device.printer import PrintProblem, TicketPrinter
from device.sim.printer import PrinterSimulator
from device.sim.pty import PtyWire
from device.ticket import compose
from tests.device.conftest import FAST_BACKOFF, slip, wait_until


def start_printer(wire: PtyWire, **options) -> TicketPrinter:
    options.setdefault("baudrate", 115200)
    printer = TicketPrinter(wire.path, backoff=FAST_BACKOFF, stall_timeout_s=1.0, **options)
    printer.start()
    assert wait_until(lambda: printer.link.connected), printer.status
    return printer


@pytest.fixture
def printer(paper_printer):
    sim, wire = paper_printer
    driver = start_printer(wire)
    yield sim, wire, driver
    driver.stop()


@pytest.mark.parametrize("lang", ["mn", "hy"])
def test_a_ticket_arrives_byte_for_byte_over_the_pty(printer, lang):
    sim, _, driver = printer
    ticket = slip(lang)
    result = driver.print_ticket(ticket, timeout=20)
    assert result.printed and not result.remember_number and not result.alert_staff
    assert bytes(sim.job_bytes) == compose(ticket).data
    assert sim.cuts == 1 and len(sim.images) == compose(ticket).raster_lines
    assert sim.queries[:2] == [1, 4] and sim.queries[-2:] == [1, 4]  # status before and after


def test_out_of_paper_nothing_is_sent_and_the_kiosk_is_told(printer):
    sim, _, driver = printer
    sim.paper_out = True
    result = driver.print_ticket(slip("en"), timeout=10)
    assert not result.printed and result.problem is PrintProblem.PAPER_OUT
    assert result.remember_number and result.alert_staff
    assert result.bytes_sent == 0 and sim.job_bytes == bytearray()
    assert driver.status.state is LinkState.FAULT and "paper" in driver.status.detail
    sim.paper_out = False
    assert driver.print_ticket(slip("en"), timeout=10).printed
    assert driver.status.state is LinkState.CONNECTED


def test_near_end_prints_but_alerts_staff(printer):
    sim, _, driver = printer
    sim.paper_near_end = True
    result = driver.print_ticket(slip("ru"), timeout=10)
    assert result.printed and result.alert_staff and "nearly empty" in result.message


def test_cover_open_is_reported_as_such(printer):
    sim, _, driver = printer
    sim.cover_open = True
    result = driver.print_ticket(slip("en"), timeout=10)
    assert result.problem is PrintProblem.COVER_OPEN and result.status.cover_open


@pytest.mark.slow
def test_paper_running_out_mid_ticket_is_not_a_printed_ticket():
    sim = PrinterSimulator(buffer_size=1024, paper_left_bytes=1500, line_bytes_per_s=11520)
    wire = PtyWire(sim, "printer").start()
    driver = start_printer(wire)
    try:
        result = driver.print_ticket(slip("hy"), timeout=30)
        assert not result.printed and result.problem is PrintProblem.PAPER_OUT
        assert 0 < result.bytes_sent < len(compose(slip("hy")).data)
    finally:
        driver.stop()
        wire.stop()


@pytest.mark.slow
def test_xon_xoff_keeps_a_slow_printer_from_overflowing():
    # XOFF at 3/4 of 2 kB leaves two of the driver's 256-byte chunks of room: the one on the
    # line when XOFF is sent, and one written before the driver's tty has seen it (a loaded
    # machine delays that); with 1 kB the room was one chunk and the test overflowed under load
    sim = PrinterSimulator(buffer_size=2048, print_bytes_per_s=4000, line_bytes_per_s=11520)
    wire = PtyWire(sim, "printer").start()
    driver = start_printer(wire)
    try:
        ticket = slip("hy")
        result = driver.print_ticket(ticket, timeout=30)
        assert result.printed
        assert sim.xoffs >= 1 and sim.overflowed == 0
        assert bytes(sim.job_bytes) == compose(ticket).data
    finally:
        driver.stop()
        wire.stop()


@pytest.mark.slow
def test_submit_returns_at_once_while_a_slow_line_prints():
    sim = PrinterSimulator(line_bytes_per_s=960)
    wire = PtyWire(sim, "printer").start()
    driver = start_printer(wire, baudrate=9600)
    try:
        future = driver.submit(slip("mn"))
        assert not future.done()  # ~4 kB at 960 bytes/s: the caller was not kept waiting for it
        result = future.result(timeout=30)
        assert result.printed and result.seconds > 3.0  # ~4 kB at 960 bytes/s
    finally:
        driver.stop()
        wire.stop()


def test_unplugged_printer_gives_a_result_and_prints_after_replug(printer):
    sim, wire, driver = printer
    wire.unplug()
    assert wait_until(lambda: driver.status.state is LinkState.RECONNECTING)
    result = driver.print_ticket(slip("en"), timeout=10)
    assert result.problem is PrintProblem.DISCONNECTED and result.remember_number
    wire.replug()
    assert wait_until(lambda: driver.status.state is LinkState.CONNECTED)
    assert driver.print_ticket(slip("en"), timeout=10).printed
    assert sim.cuts == 1


def test_a_printer_that_never_answers_status_is_no_response(printer):
    sim, _, driver = printer
    sim._answer = lambda n: None  # powered off behind a live USB adapter
    result = driver.print_ticket(slip("en"), timeout=10)
    assert result.problem is PrintProblem.NO_RESPONSE and sim.job_bytes == bytearray()
