"""Simulated devices on real pseudo-terminals, and a helper to wait for threads."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from device.link import Backoff
from device.sim.ld2410 import LD2410Simulator
from device.sim.light import LightSimulator
from device.sim.printer import PrinterSimulator
from device.sim.pty import PtyWire
from device.ticket import TicketSlip

FAST_BACKOFF = Backoff(initial=0.05, maximum=0.2)

SERVICE = {
    "mn": "Бэлэн мөнгө, төлбөр",
    "hy": "Կանխիկ և վճարումներ",
    "en": "Cash and payments",
    "ru": "Наличные и платежи",
}


def wait_until(predicate, timeout: float = 30.0, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())


def slip(lang: str = "mn", **changes) -> TicketSlip:
    values = dict(
        branch="Sukhbaatar Square Branch",
        number="A042",
        service_name=SERVICE[lang],
        issued_at_local=datetime(2026, 11, 24, 10, 42),
        ahead=3,
        wait_low_min=10,
        wait_high_min=15,
        lang=lang,
    )
    values.update(changes)
    return TicketSlip(**values)


@pytest.fixture
def radar():
    sim = LD2410Simulator(report_hz=20)
    wire = PtyWire(sim, "ld2410").start()
    yield sim, wire
    wire.stop()


@pytest.fixture
def paper_printer():
    sim = PrinterSimulator()
    wire = PtyWire(sim, "printer").start()
    yield sim, wire
    wire.stop()


@pytest.fixture(params=["lcus", "adafruit"])
def tower(request):
    sim = LightSimulator(request.param)
    wire = PtyWire(sim, "light").start()
    yield sim, wire
    wire.stop()
