"""The real presence-sensor driver against the simulated LD2410 on a pseudo-terminal."""

from __future__ import annotations

import pytest

from device.ld2410 import Report, Target, encode_report
from device.link import LinkState
from device.sensor import PresenceSensor, SensorCommandError
from kiosk.core.model import Presence
from tests.device.conftest import FAST_BACKOFF, wait_until


@pytest.fixture
def sensor(radar):
    sim, wire = radar
    arrivals: list[Presence] = []
    departures: list[float] = []
    driver = PresenceSensor(
        wire.path, arrivals.append, rearm_after_s=0.3, backoff=FAST_BACKOFF, on_departure=departures.append
    )
    driver.start()
    assert wait_until(lambda: driver.reports >= 2), driver.status
    yield sim, wire, driver, arrivals, departures
    driver.stop()


def test_someone_walking_up_is_one_presence_until_they_leave(sensor):
    sim, _, driver, arrivals, departures = sensor
    assert driver.status.state is LinkState.CONNECTED and arrivals == []
    sim.set_target(Target.MOVING, moving_cm=150)
    assert wait_until(lambda: len(arrivals) == 1)
    sim.set_target(Target.BOTH, moving_cm=70, still_cm=60)  # standing at the kiosk
    seen = driver.reports
    assert wait_until(lambda: driver.reports >= seen + 6)
    assert len(arrivals) == 1 and arrivals[0].source == "sensor"
    sim.set_target(Target.NONE)
    assert wait_until(lambda: not driver.someone_present)
    assert len(departures) == 1 and departures[0] >= arrivals[0].at + 0.3
    sim.set_target(Target.STILL, still_cm=90)  # the next customer
    assert wait_until(lambda: len(arrivals) == 2)


def test_a_flicker_shorter_than_the_rearm_time_does_not_greet_twice(radar):
    # The driver's clock is the test's, so "nobody for 0.1 s" is 0.1 s however loaded the machine
    # is (on the wall clock, a slow reader thread once turned the flicker into a second greeting).
    sim, wire = radar
    now = [0.0]
    arrivals: list[Presence] = []
    driver = PresenceSensor(wire.path, arrivals.append, rearm_after_s=0.3, backoff=FAST_BACKOFF, clock=lambda: now[0])

    def reports_of(target: Target, moving_cm: int = 0, then_advance_s: float = 0.0) -> None:
        sim.set_target(target, moving_cm=moving_cm)
        for advance in (0.0, then_advance_s):  # a report stamped before and one after the advance
            now[0] += advance
            seen = driver.reports
            assert wait_until(lambda seen=seen: driver.reports >= seen + 2)

    driver.start()
    try:
        assert wait_until(lambda: driver.reports >= 2), driver.status
        reports_of(Target.MOVING, moving_cm=100)
        assert len(arrivals) == 1
        reports_of(Target.NONE, then_advance_s=0.1)  # 0.1 s of "nobody" < rearm 0.3 s
        assert driver.someone_present
        reports_of(Target.MOVING, moving_cm=100)
        assert len(arrivals) == 1
        reports_of(Target.NONE, then_advance_s=0.3)  # the same gap held to the rearm time does end it
        assert not driver.someone_present
        reports_of(Target.MOVING, moving_cm=100)
        assert len(arrivals) == 2
    finally:
        driver.stop()


def test_someone_beyond_max_distance_is_not_greeted(radar):
    sim, wire = radar
    arrivals: list[Presence] = []
    driver = PresenceSensor(wire.path, arrivals.append, max_distance_cm=120, backoff=FAST_BACKOFF)
    driver.start()
    try:
        sim.set_target(Target.MOVING, moving_cm=400)  # walking past the branch door
        assert wait_until(lambda: driver.last_report is not None and driver.last_report.moving_cm == 400)
        seen = driver.reports
        assert wait_until(lambda: driver.reports >= seen + 4)
        assert arrivals == []
        sim.set_target(Target.MOVING, moving_cm=100)
        assert wait_until(lambda: len(arrivals) == 1)
    finally:
        driver.stop()


def _all_read(sim, driver, mark_cm: int) -> None:
    """Wait until the driver has read every byte on the wire so far: a marked report is sent
    behind them (the wire keeps order), and the driver is waited on until it reports the mark."""
    sim.inject(encode_report(Report(Target.NONE, 0, 0, 0, 0, mark_cm)))
    assert wait_until(lambda: driver.last_report is not None and driver.last_report.detect_cm == mark_cm)


def test_garbage_and_split_frames_on_the_wire_lose_no_report(sensor):
    sim, _, driver, arrivals, _ = sensor
    sim.silent = True  # returns once no report is on its way, so none cuts into the bytes below
    _all_read(sim, driver, mark_cm=111)
    seen, sent = driver.reports, sim.reports_sent
    # A false header with a long length holds the decoder until enough bytes have
    # come to prove it false; the real frame inside it is still found.
    frame = encode_report(Report(Target.NONE, 0, 0, 0, 0, 0))
    sim.inject(b"\x00\xff garbage \xf4\xf3\xf2\xf1\x40\x00" + frame[:9])
    sim.inject(frame[9:] + b"\xfd\xfc\xfb")
    sim.silent = False
    assert wait_until(lambda: sim.reports_sent >= sent + 5)
    sim.silent = True
    _all_read(sim, driver, mark_cm=222)
    # every report sent meanwhile, the one inside the garbage and the mark, each decoded once
    assert driver.reports == seen + 1 + (sim.reports_sent - sent) + 1
    sim.silent = False
    sim.set_target(Target.MOVING, moving_cm=80)
    assert wait_until(lambda: len(arrivals) == 1)


def test_unplug_mid_stream_then_replug_reconnects(sensor):
    sim, wire, driver, arrivals, _ = sensor
    wire.unplug()
    assert wait_until(lambda: driver.status.state is LinkState.RECONNECTING)
    wire.replug()  # a new /dev/pts/N behind the same by-id style path
    assert wait_until(lambda: driver.status.state is LinkState.CONNECTED)
    assert driver.link.connections == 2
    sim.set_target(Target.MOVING, moving_cm=90)
    assert wait_until(lambda: len(arrivals) == 1)


@pytest.mark.slow
def test_a_silent_sensor_is_a_fault_after_two_seconds_and_recovers(sensor):
    sim, _, driver, _, _ = sensor
    sim.silent = True
    assert wait_until(lambda: driver.status.state is LinkState.FAULT)
    assert "no report" in driver.status.detail
    sim.silent = False
    assert wait_until(lambda: driver.status.state is LinkState.CONNECTED)


def test_firmware_version_and_engineering_mode_round_trip(sensor):
    sim, _, driver, _, _ = sensor
    assert str(driver.read_firmware()) == "V1.02.22062516"
    driver.set_engineering_mode(True)
    assert wait_until(lambda: driver.last_report.engineering is not None)
    assert len(driver.last_report.engineering.moving_gate_energy) == 9
    driver.set_engineering_mode(False)
    assert wait_until(lambda: driver.last_report.engineering is None)
    # enable-config, command, end-config for each of the three
    assert sim.commands == [0xFF, 0xA0, 0xFE, 0xFF, 0x62, 0xFE, 0xFF, 0x63, 0xFE]
    assert not sim.config_mode and driver.status.state is LinkState.CONNECTED


def test_a_sensor_that_does_not_answer_config_is_a_clear_error(sensor):
    sim, _, driver, _, _ = sensor
    sim.on_bytes = lambda data: None  # deaf to commands, still reporting
    with pytest.raises(SensorCommandError, match="no ACK"):
        driver.read_firmware(timeout=0.3)
