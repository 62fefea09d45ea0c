"""The LD2410 codec without any port: real frames, split reads, garbage, fuzz."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from device import ld2410
from device.ld2410 import Ack, CommandFrame, Decoder, Engineering, FirmwareVersion, Report, Target

# Captured from a real module: someone moving at 79 cm and still at 76 cm, nearest 50 cm.
REAL_BASIC = bytes.fromhex("f4f3f2f10d0002aa034f00644c006432005500f8f7f6f5")


def engineering_report(**changes) -> Report:
    eng = Engineering(8, 8, tuple(range(10, 19)), tuple(range(20, 29)), light=97, out_pin=1)
    values = dict(
        state=Target.STILL, moving_cm=0, moving_energy=0, still_cm=140, still_energy=55, detect_cm=140, engineering=eng
    )
    values.update(changes)
    return Report(**values)


reports = st.builds(
    Report,
    state=st.sampled_from(list(Target)),
    moving_cm=st.integers(0, 0xFFFF),
    moving_energy=st.integers(0, 100),
    still_cm=st.integers(0, 0xFFFF),
    still_energy=st.integers(0, 100),
    detect_cm=st.integers(0, 0xFFFF),
    engineering=st.none()
    | st.builds(
        Engineering,
        max_moving_gate=st.integers(0, 8),
        max_still_gate=st.integers(0, 8),
        moving_gate_energy=st.tuples(*[st.integers(0, 100)] * 9),
        still_gate_energy=st.tuples(*[st.integers(0, 100)] * 9),
        light=st.integers(0, 255),
        out_pin=st.integers(0, 1),
    ),
)


def test_decodes_a_real_basic_frame():
    (report,) = Decoder().feed(REAL_BASIC)
    assert report == Report(Target.BOTH, 79, 100, 76, 100, 50)
    assert report.as_json() == {"state": "both", "moving_cm": 79, "still_cm": 76, "detect_cm": 50}


def test_encoding_a_report_gives_the_real_frame_back():
    assert ld2410.encode_report(Report(Target.BOTH, 79, 100, 76, 100, 50)) == REAL_BASIC


def test_engineering_frame_is_35_bytes_of_body_and_round_trips():
    report = engineering_report()
    frame = ld2410.encode_report(report)
    assert struct.unpack_from("<H", frame, 4)[0] == 0x23
    assert frame[6] == ld2410.ReportType.ENGINEERING
    (decoded,) = Decoder().feed(frame)
    assert decoded == report
    assert decoded.as_json()["moving_gate_energy"] == list(range(10, 19))
    assert decoded.as_json()["still_gate_energy"] == list(range(20, 29))


@pytest.mark.parametrize(
    "frame", [REAL_BASIC, ld2410.encode_report(engineering_report())], ids=["basic", "engineering"]
)
def test_frame_split_at_every_byte_position(frame):
    expected = Decoder().feed(frame)
    for cut in range(len(frame) + 1):
        decoder = Decoder()
        got = decoder.feed(frame[:cut]) + decoder.feed(frame[cut:])
        assert got == expected, f"split at {cut}"


def test_frames_fed_one_byte_at_a_time():
    stream = REAL_BASIC * 3
    decoder = Decoder()
    got = [f for b in stream for f in decoder.feed(bytes([b]))]
    assert len(got) == 3


def test_garbage_between_frames_is_skipped_and_counted():
    garbage = b"\x00\xff\xf4\xf3\x12" + b"\xf4\xf3\xf2\xf1\x40\x00"  # includes a false header with a long length
    decoder = Decoder()
    got = decoder.feed(b"noise" + REAL_BASIC + garbage + REAL_BASIC + b"\x55" * 80 + REAL_BASIC)
    assert len(got) == 3
    assert decoder.skipped >= len(b"noise") + len(garbage) + 80


def test_a_frame_with_a_wrong_footer_or_layout_is_dropped():
    bad_footer = REAL_BASIC[:-1] + b"\x00"
    bad_head = REAL_BASIC[:7] + b"\xab" + REAL_BASIC[8:]
    bad_state = REAL_BASIC[:8] + b"\x07" + REAL_BASIC[9:]
    assert Decoder().feed(bad_footer + bad_head + bad_state) == []
    assert len(Decoder().feed(bad_footer + REAL_BASIC)) == 1


def test_command_encoding_matches_the_datasheet():
    assert ld2410.enable_config().hex(" ") == "fd fc fb fa 04 00 ff 00 01 00 04 03 02 01"
    assert ld2410.end_config().hex(" ") == "fd fc fb fa 02 00 fe 00 04 03 02 01"
    assert ld2410.engineering_mode(True).hex(" ") == "fd fc fb fa 02 00 62 00 04 03 02 01"
    assert ld2410.engineering_mode(False).hex(" ") == "fd fc fb fa 02 00 63 00 04 03 02 01"
    assert ld2410.read_firmware().hex(" ") == "fd fc fb fa 02 00 a0 00 04 03 02 01"


def test_commands_and_acks_decode():
    (cmd,) = Decoder().feed(ld2410.enable_config())
    assert cmd == CommandFrame(0x00FF, b"\x01\x00")
    ack_bytes = bytes.fromhex("fdfcfbfa0800ff0100000100400004030201")
    (ack,) = Decoder().feed(ack_bytes)
    assert ack == Ack(0x00FF, True, b"\x01\x00\x40\x00")
    (refused,) = Decoder().feed(ld2410.encode_ack(ld2410.Command.ENGINEERING_ON, ok=False))
    assert refused == Ack(0x0062, False)


def test_firmware_ack_reads_as_the_vendor_tool_shows_it():
    version = FirmwareVersion(firmware_type=0, major=1, minor=0x02, revision=0x22062516)
    frame = ld2410.encode_ack(ld2410.Command.READ_FIRMWARE, True, ld2410.firmware_ack_data(version))
    (ack,) = Decoder().feed(frame)
    assert str(ld2410.parse_firmware(ack)) == "V1.02.22062516"
    assert ld2410.parse_firmware(Ack(0x00A0, True, b"\x00")) is None


def test_report_and_ack_interleaved_on_one_stream():
    stream = REAL_BASIC + ld2410.encode_ack(ld2410.Command.END_CONFIG) + REAL_BASIC
    kinds = [type(f).__name__ for f in Decoder().feed(stream)]
    assert kinds == ["Report", "Ack", "Report"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=20))
def test_fuzz_any_bytes_never_raise(chunks):
    decoder = Decoder()
    for chunk in chunks:
        for frame in decoder.feed(chunk):
            assert isinstance(frame, (Report, Ack, CommandFrame))
    assert len(decoder._buf) <= Decoder._MAX_FRAME  # memory stays bounded


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.binary(max_size=40), reports), min_size=1, max_size=8), st.data())
def test_fuzz_frames_survive_garbage_and_arbitrary_splits(items, data):
    stream = b"".join(garbage + ld2410.encode_report(report) for garbage, report in items)
    stream += b"\x00" * Decoder._MAX_FRAME  # lets a false header in the garbage run out
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    decoder = Decoder()
    got, start = [], 0
    for cut in cuts + [len(stream)]:
        got += decoder.feed(stream[start:cut])
        start = cut
    assert got == [report for _, report in items]
