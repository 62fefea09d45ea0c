"""The real alert-light driver against both simulated lights on a pseudo-terminal."""

from __future__ import annotations

import pytest

from device.light import AlertLight
from device.lightcodec import Lamps, LightState, Mode
from device.link import LinkState
from kiosk.core.model import Level
from tests.device.conftest import FAST_BACKOFF, wait_until


@pytest.fixture
def light(tower):
    sim, wire = tower
    driver = AlertLight(wire.path, sim.model, buzzer_pulse_s=0.3, buzzer_repeat_s=None, backoff=FAST_BACKOFF)
    driver.start()
    assert wait_until(lambda: driver.link.connected)
    yield sim, wire, driver
    driver.stop()


def test_levels_light_the_lamps(light):
    sim, _, driver = light
    driver.show(Level.WITHIN)
    assert sim.wait_for(lambda lamps: lamps == Lamps(green=Mode.ON), 30)
    driver.show(Level.WARNING)
    assert sim.wait_for(lambda lamps: lamps == Lamps(yellow=Mode.ON), 30)
    driver.set_state(LightState.OFF)
    assert sim.wait_for(lambda lamps: lamps == Lamps(), 30)


def test_a_breach_lights_red_and_pulses_the_buzzer_once(light):
    sim, _, driver = light
    driver.show(Level.BREACH)
    red_mode = Mode.ON if sim.model == "lcus" else Mode.BLINK  # a relay cannot blink
    assert sim.wait_for(lambda lamps: lamps.red is red_mode and lamps.buzzer is Mode.ON, 30)
    assert sim.wait_for(lambda lamps: lamps.red is red_mode and lamps.buzzer is Mode.OFF, 30)  # the pulse ends
    driver.show(Level.BREACH)  # the engine repeats the level every tick: no new pulse
    assert not sim.wait_for(lambda lamps: lamps.buzzer is Mode.ON, 0.5)


def test_acknowledging_silences_the_buzzer_until_the_next_breach(tower):
    sim, wire = tower
    driver = AlertLight(wire.path, sim.model, buzzer_pulse_s=30, backoff=FAST_BACKOFF)
    driver.start()
    try:
        assert wait_until(lambda: driver.link.connected)
        driver.show(Level.BREACH)
        assert sim.wait_for(lambda lamps: lamps.buzzer is Mode.ON, 30)
        driver.acknowledge()
        assert sim.wait_for(lambda lamps: lamps.buzzer is Mode.OFF and lamps.red is not Mode.OFF, 30)
        driver.show(Level.WITHIN)
        driver.show(Level.BREACH)
        assert sim.wait_for(lambda lamps: lamps.buzzer is Mode.ON, 30)
    finally:
        driver.stop()


def test_replugged_light_is_given_its_state_again(light):
    sim, wire, driver = light
    driver.show(Level.WARNING)
    assert sim.wait_for(lambda lamps: lamps.yellow is Mode.ON, 30)
    wire.unplug()
    assert wait_until(lambda: driver.status.state is LinkState.RECONNECTING)
    sim.lamps = Lamps()  # the light lost power with the cable
    driver.show(Level.BREACH)  # the level changed while unplugged
    wire.replug()
    assert wait_until(lambda: driver.status.state is LinkState.CONNECTED)
    assert sim.wait_for(lambda lamps: lamps.red is not Mode.OFF and lamps.yellow is Mode.OFF, 30)
