"""A day at the desk with every device simulated: walk-up, tickets, breach, unplugs."""

from __future__ import annotations

import pytest

from config.schema import DevicesConfig
from device.desk import Desk
from device.ld2410 import Target
from device.lightcodec import Mode
from device.link import LinkState
from device.printer import PrintProblem
from device.sim.ld2410 import LD2410Simulator
from device.sim.light import LightSimulator
from device.sim.printer import PrinterSimulator
from device.sim.pty import PtyWire
from kiosk.core.model import Level
from tests.device.conftest import FAST_BACKOFF, slip, wait_until


def test_a_desk_without_devices_still_serves_customers():
    desk = Desk.from_config(DevicesConfig(), on_presence=lambda p: None)
    desk.start()
    result = desk.submit_ticket(slip("mn")).result(timeout=1)
    assert result.problem is PrintProblem.NO_PRINTER and result.remember_number and not result.alert_staff
    desk.show(Level.BREACH)
    desk.acknowledge()
    assert desk.statuses() == []
    desk.stop()


@pytest.mark.slow
def test_a_day_with_unplugs_loses_no_ticket_and_never_blocks():
    radar, paper, tower = LD2410Simulator(report_hz=20), PrinterSimulator(), LightSimulator("lcus")
    wires = [PtyWire(radar, "ld2410").start(), PtyWire(paper, "printer").start(), PtyWire(tower, "light").start()]
    cfg = DevicesConfig.model_validate(
        {
            "sensor": {"port": wires[0].path},
            "printer": {"port": wires[1].path, "baudrate": 115200},
            "light": {"port": wires[2].path, "model": "lcus"},
        }
    )
    arrivals, statuses = [], []
    desk = Desk.from_config(cfg, on_presence=arrivals.append, on_status=statuses.append, backoff=FAST_BACKOFF)
    desk.start()
    try:
        assert wait_until(lambda: all(s.state is LinkState.CONNECTED for s in desk.statuses()))
        radar.set_target(Target.MOVING, moving_cm=140)  # a customer walks up: the kiosk wakes
        assert wait_until(lambda: len(arrivals) == 1)
        for lang in ("mn", "hy", "en", "ru"):
            assert desk.submit_ticket(slip(lang)).result(timeout=20).printed
        assert paper.cuts == 4
        desk.show(Level.BREACH)
        assert tower.wait_for(lambda lamps: lamps.red is Mode.ON and lamps.buzzer is Mode.ON, 30)
        desk.acknowledge()
        assert tower.wait_for(lambda lamps: lamps.buzzer is Mode.OFF, 30)

        for wire in wires:  # mid-day, every cable comes out
            wire.unplug()
        assert wait_until(lambda: all(s.state is LinkState.RECONNECTING for s in desk.statuses()))
        future = desk.submit_ticket(slip("en", number="A043"))  # the UI thread is handed a future
        desk.show(Level.WARNING)
        result = future.result(timeout=30)
        assert not result.printed and result.remember_number and result.alert_staff

        for wire in wires:
            wire.replug()
        assert wait_until(lambda: all(s.state is LinkState.CONNECTED for s in desk.statuses()))
        assert tower.wait_for(lambda lamps: lamps.yellow is Mode.ON and lamps.red is Mode.OFF, 30)  # state restored
        assert desk.submit_ticket(slip("en", number="A044")).result(timeout=10).printed
        radar.set_target(Target.NONE)
        assert wait_until(lambda: not desk.sensor.someone_present)
        radar.set_target(Target.STILL, still_cm=80)
        assert wait_until(lambda: len(arrivals) == 2)
        assert {s.device for s in statuses} == {"printer", "sensor", "light"}
    finally:
        desk.stop()
        for wire in wires:
            wire.stop()
