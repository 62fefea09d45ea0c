"""Is this text a serial port we can try to open, and this number a line speed? Nothing is opened.

A port is a device path (``/dev/ttyUSB0``, ``/dev/serial/by-id/…``) or one of pyserial's URLs
this product drives: ``socket://host:port``, ``rfc2217://host:port``, ``hwgrep://regexp`` and
``loop://`` (for trials). Text that can name no port, and a speed no UART runs at, are refused
here with the reason (the CLI's exit 2, the config's error naming the key); whether the device
is there is found only by opening it (``device.errors.DeviceError``, exit 5: plug it in).

    >>> check_port("socket://192.168.1.40:4001")
    'socket://192.168.1.40:4001'
    >>> check_port("socket://printer")
    Traceback (most recent call last):
    ValueError: socket://printer: a socket:// port is host:port (the port a number from 1 to 65535)
    >>> check_port("usb://printer")
    Traceback (most recent call last):
    ValueError: usb://printer: unknown scheme 'usb' (a port is a device path, socket://, rfc2217://, hwgrep:// or loop://)
    >>> check_baudrate(0)
    Traceback (most recent call last):
    ValueError: baud rate 0: a line speed is 50 to 12000000 baud
"""

from __future__ import annotations

import ipaddress
import os
import re
from urllib.parse import parse_qsl, urlsplit

from kiosk.errors import shown

SCHEMES = ("socket", "rfc2217", "hwgrep", "loop")
# the query options pyserial's handler for each scheme reads (it refuses the others at open)
OPTIONS = {
    "socket": ("logging",),
    "rfc2217": ("logging", "ign_set_control", "poll_modem", "timeout"),
    "loop": ("logging",),
}
LOGGING_LEVELS = ("debug", "info", "warning", "error")
# POSIX's slowest speed to the fastest USB serial adapters (FTDI's FT232H); Linux sets any
# speed between, and pyserial cannot pass one above 2**31 to the kernel at all
MIN_BAUDRATE, MAX_BAUDRATE = 50, 12_000_000
MAX_LENGTH = 4095  # PATH_MAX less its NUL
NAME_MAX = 255  # bytes in one file name
HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")


def check_port(port: str) -> str:
    """``port`` itself if it can name a port; ValueError saying why it cannot."""
    if not port.strip():
        raise ValueError("no port given (a device path such as /dev/ttyUSB0, or socket://host:port)")
    if len(port) > MAX_LENGTH:
        raise ValueError(f"{shown(port)}: too long for a port (at most {MAX_LENGTH} characters)")
    if not port.isprintable() or port != port.strip():
        raise ValueError(
            f"{shown(port)}: a port holds no space at its ends, control character, NUL or unprintable byte"
        )
    if "://" not in port:
        if any(len(os.fsencode(name)) > NAME_MAX for name in port.split("/")):
            raise ValueError(f"{shown(port)}: a file name in it is longer than {NAME_MAX} bytes")
        return port
    scheme = port.split("://", 1)[0].lower()
    if scheme not in SCHEMES:
        known = ", ".join(f"{s}://" for s in SCHEMES[:-1])
        raise ValueError(
            f"{shown(port)}: unknown scheme {shown(scheme, 20)!r} (a port is a device path, {known} or {SCHEMES[-1]}://)"
        )
    if scheme == "hwgrep":
        _check_hwgrep(port)
    else:
        _check_url(port, scheme)
    return port


def check_baudrate(baudrate: int) -> int:
    """``baudrate`` itself if a UART can run at it; ValueError otherwise."""
    if not MIN_BAUDRATE <= baudrate <= MAX_BAUDRATE:
        raise ValueError(f"baud rate {baudrate}: a line speed is {MIN_BAUDRATE} to {MAX_BAUDRATE} baud")
    return baudrate


def _check_url(port: str, scheme: str) -> None:
    try:
        parts = urlsplit(port)
        number = parts.port
    except ValueError:
        parts, number = None, None
    if scheme != "loop" and (parts is None or not parts.hostname or not number):
        raise ValueError(f"{shown(port)}: a {scheme}:// port is host:port (the port a number from 1 to 65535)")
    host = parts.hostname if parts else None
    if host and not (HOST_NAME.fullmatch(host) or _is_ip_address(host)):
        raise ValueError(f"{shown(port)}: {shown(host, 40)!r} is not a host name or an IP address")
    for name, value in parse_qsl(parts.query if parts else "", keep_blank_values=True):
        if name not in OPTIONS[scheme]:
            raise ValueError(
                f"{shown(port)}: {scheme}:// has no option {shown(name, 20)!r} ({', '.join(OPTIONS[scheme])})"
            )
        if name == "logging" and value not in LOGGING_LEVELS:
            raise ValueError(f"{shown(port)}: logging is one of {', '.join(LOGGING_LEVELS)}")
        if name == "timeout" and not _is_seconds(value):
            raise ValueError(f"{shown(port)}: timeout is a number of seconds")


def _check_hwgrep(port: str) -> None:
    regexp, *options = port[len("hwgrep://") :].split("&")
    try:
        re.compile(regexp)
    except re.error as err:
        raise ValueError(f"{shown(port)}: not a regular expression ({err})") from None
    for option in options:
        name, _, value = option.partition("=")
        if name == "n" and value.isascii() and value.isdigit() and int(value) >= 2:
            continue  # the n-th matching port; pyserial refuses n=1 (the first is the default)
        if name != "skip_busy" or value:
            raise ValueError(f"{shown(port)}: hwgrep:// takes &n=N (2 or more) and &skip_busy")


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_seconds(value: str) -> bool:
    try:
        return float(value) >= 0
    except ValueError:
        return False
