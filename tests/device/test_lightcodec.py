"""Alert light states and the bytes of both light devices, without a port."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device.lightcodec import (
    Lamp,
    Lamps,
    LcusWiring,
    LightState,
    Mode,
    RelayCommand,
    buzzer_sounds,
    decode_adafruit,
    decode_lcus,
    encode_adafruit,
    encode_lcus,
    lamps_for,
    lcus_frame,
)
from kiosk.core.model import Level


def test_lcus_frame_matches_the_board_documentation():
    assert lcus_frame(1, True).hex(" ") == "a0 01 01 a2"
    assert lcus_frame(1, False).hex(" ") == "a0 01 00 a1"
    assert lcus_frame(4, True).hex(" ") == "a0 04 01 a5"


def test_states_map_to_lamps():
    assert lamps_for(LightState.NORMAL) == Lamps(green=Mode.ON)
    assert lamps_for(LightState.WARNING) == Lamps(yellow=Mode.ON)
    assert lamps_for(LightState.BREACH) == Lamps(red=Mode.BLINK)
    assert lamps_for(LightState.BREACH, buzzer=True).buzzer is Mode.ON
    assert lamps_for(LightState.OFF) == Lamps()
    assert [LightState.for_level(lv) for lv in Level] == [LightState.NORMAL, LightState.WARNING, LightState.BREACH]


@pytest.mark.parametrize("state", list(LightState))
@pytest.mark.parametrize("buzzer", [False, True])
def test_lcus_round_trip_sets_every_relay(state, buzzer):
    lamps = lamps_for(state, buzzer)
    commands, tail = decode_lcus(encode_lcus(lamps))
    assert tail == b""
    assert [c.channel for c in commands] == [1, 2, 3, 4]
    for lamp, cmd in zip(Lamp, commands):
        assert cmd.on == (lamps.mode(lamp) is not Mode.OFF)  # a relay shows blink as on


def test_lcus_wiring_skips_unwired_lamps():
    one_relay = LcusWiring(red=1, yellow=None, green=None, buzzer=None)
    assert encode_lcus(lamps_for(LightState.BREACH), one_relay) == lcus_frame(1, True)


def test_lcus_decoder_skips_bad_sums_and_keeps_a_partial_frame():
    data = b"\xa0\x01\x01\xa3" + lcus_frame(2, True) + b"\x17" + b"\xa0\x03"
    commands, tail = decode_lcus(data)
    assert commands == [RelayCommand(2, True)]
    assert tail == b"\xa0\x03"
    more, tail = decode_lcus(tail + b"\x01\xa4")
    assert more == [RelayCommand(3, True)] and tail == b""


@pytest.mark.parametrize("state", list(LightState))
@pytest.mark.parametrize("buzzer", [False, True])
def test_adafruit_round_trip(state, buzzer):
    lamps = lamps_for(state, buzzer)
    decoded = dict(decode_adafruit(encode_adafruit(lamps)))
    assert decoded == {lamp: lamps.mode(lamp) for lamp in Lamp}


def test_adafruit_bytes_follow_the_product_page():
    # 0x10|bit on, 0x20|bit off, 0x40|bit blink; red 1, yellow 2, green 4, buzzer 8.
    assert encode_adafruit(Lamps(green=Mode.ON)).hex(" ") == "21 22 14 28"
    assert encode_adafruit(Lamps(red=Mode.BLINK, buzzer=Mode.ON)).hex(" ") == "41 22 24 18"


def test_buzzer_pulses_until_acknowledged():
    assert buzzer_sounds(0.0, False, pulse_s=1.5, repeat_s=None)
    assert not buzzer_sounds(1.6, False, pulse_s=1.5, repeat_s=None)
    assert buzzer_sounds(60.5, False, pulse_s=1.5, repeat_s=60)  # reminded a minute later
    assert not buzzer_sounds(30.0, False, pulse_s=1.5, repeat_s=60)
    assert not buzzer_sounds(0.2, True, pulse_s=1.5, repeat_s=60)


@given(st.binary(max_size=64))
def test_fuzz_light_decoders_never_raise(data):
    commands, tail = decode_lcus(data)
    for c in commands:  # every decoded command really is in the input, with a good sum
        assert lcus_frame(c.channel, c.on) in data
    assert len(tail) < 4
    for lamp, mode in decode_adafruit(data):
        assert isinstance(lamp, Lamp) and isinstance(mode, Mode)
