"""Bad port addresses and line speeds fuzzed with hypothesis: `frontdesk devices …` answers each with
one line naming it and exit 2, never a traceback; a well-formed port of a device that is not there
is exit 5 (plug it in). The config's side (``[devices.*] port``) is in tests/core/test_config_fuzz.py.

Before the fix a speed over 2**31 (OverflowError) and ``hwgrep://[`` (re.error) killed the link's
thread with a traceback, and an unknown scheme, a NUL or ``socket://host`` without a port were
exit 5 as if the device were unplugged. The commands run in this process (``kiosk.cli.main``).
"""

from __future__ import annotations

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from device.link import SerialLink
from device.ports import MAX_BAUDRATE, MIN_BAUDRATE, SCHEMES, check_port
from kiosk.errors import UsageError, shown
from tests.cli_run import assert_one_line, run

SETTINGS = settings(max_examples=15)

# text that can name no port
BAD_PORTS = st.one_of(
    st.sampled_from(
        [
            "socket://",
            "socket://printer",
            "socket://printer:0",
            "socket://printer:65536",
            "socket://printer:abc",
            "socket://[::1",
            "socket://:4001",
            "rfc2217://printer",
            "socket://printer:4001?speed=9600",
            "socket://printer:4001?logging=loud",
            "rfc2217://printer:4001?timeout=soon",
            "hwgrep://[",
            "hwgrep://(0403",
            "hwgrep://0403&n=one",
            "loop://?echo=1",
            " /dev/ttyUSB0",
        ]
    ),
    st.from_regex(r"[a-z][a-z0-9+.-]{0,9}", fullmatch=True)
    .filter(lambda scheme: scheme not in SCHEMES)
    .map(lambda scheme: f"{scheme}://printer:4001"),
    st.text(max_size=10).map(lambda junk: f"/dev/ttyUSB0\x00{junk}"),
    st.text(st.characters(categories=["Cc"]), min_size=1, max_size=4).map(lambda c: f"/dev/tty{c}USB0"),
    st.text(st.characters(exclude_characters="/:?#@[]"), min_size=1, max_size=8).map(
        lambda host: f"socket://{host} {host}:4001"
    ),
    st.just("/dev/" + "a" * 5000),
    st.just("/dev/" + "b" * 300),
)


COMMANDS = {
    "sensor": ["sensor", "--count", "1"],
    "print-test": ["print-test"],
    "light": ["light", "--model", "lcus", "--state", "normal"],
}


@SETTINGS
@given(port=st.text(max_size=40) | BAD_PORTS)
def test_any_text_is_a_port_or_refused_with_its_reason(port):
    try:
        assert check_port(port) == port
    except ValueError as err:
        assert "\n" not in str(err) and str(err)
        with pytest.raises(UsageError, match="^sensor: "):
            SerialLink(port, 9600, lambda: None, name="sensor")  # refused before any thread starts


@SETTINGS
@given(port=BAD_PORTS, command=st.sampled_from(sorted(COMMANDS)))
def test_a_port_that_cannot_be_one_is_one_line_and_exit_2(port, command):
    name, *rest = COMMANDS[command]
    code, out, err = run("devices", name, "--port", port, *rest)
    assert_one_line(code, err, f"--port: {shown(port)[:40]}")
    assert out == ""


@SETTINGS
@given(
    baudrate=st.integers(max_value=MIN_BAUDRATE - 1) | st.integers(min_value=MAX_BAUDRATE + 1),
    command=st.sampled_from(sorted(COMMANDS)),
)
def test_a_speed_no_uart_runs_at_is_one_line_and_exit_2(baudrate, command):
    name, *rest = COMMANDS[command]
    code, out, err = run("devices", name, "--port", "/dev/ttyUSB0", "--baudrate", str(baudrate), *rest)
    assert_one_line(code, err, f"--baudrate: baud rate {baudrate}:")
    assert out == ""


@pytest.fixture
def closed_port() -> int:
    """A loopback TCP port nobody listens on (a network serial server that is switched off)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("where", ["a device path", "a serial server", "a USB id"])
def test_a_well_formed_port_of_a_device_that_is_not_there_is_exit_5(tmp_path, closed_port, command, where):
    port = {
        "a device path": str(tmp_path / "ttyUSB7"),
        "a serial server": f"socket://127.0.0.1:{closed_port}",
        "a USB id": "hwgrep://^no-such-adapter$",
    }[where]
    name, *rest = COMMANDS[command]
    code, out, err = run("devices", name, "--port", port, *rest)
    assert_one_line(code, err, port, exit_code=5)
    assert out == ""
