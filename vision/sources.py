"""What a camera source names, read from its text alone: nothing is opened, OpenCV is not imported.

A source is a camera index (0 to 99), an ``rtsp://``, ``rtsps://``, ``http://`` or ``https://``
URL, or a path (a video or GIF file, a folder of images). Text that cannot name one is a
:class:`UsageError` (exit 2) quoting it; whether the camera, the stream or the file is there is
found only by opening it (:func:`vision.capture.open_source`). The config checks
``[camera] source`` with the same rules when it is loaded.

    >>> parse_source(" 0 ")
    Source(kind='camera', target=0)
    >>> parse_source("rtsp://admin@10.0.0.5:554/stream1").kind
    'url'
    >>> parse_source("clips/monday.mp4")
    Source(kind='path', target='clips/monday.mp4')
    >>> parse_source("ftp://cam/x")
    Traceback (most recent call last):
    kiosk.errors.UsageError: ftp://cam/x: unknown scheme 'ftp' (a camera URL is rtsp://, rtsps://, http:// or https://)
    >>> parse_source("http://[::1")
    Traceback (most recent call last):
    kiosk.errors.UsageError: http://[::1: not a valid URL (Invalid IPv6 URL)
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from kiosk.errors import UsageError, shown

URL_SCHEMES = ("rtsp", "rtsps", "http", "https")
# OpenCV reads 100 and up as a backend number plus an index (200 is V4L2's camera 0)
MAX_CAMERA_INDEX = 99
MAX_LENGTH = 4096  # PATH_MAX; no camera address is longer
NAME_MAX = 255  # bytes in one file name
HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
NO_SOURCE = "no source given (a camera index, a URL, a video or GIF file, or a folder of images)"


@dataclass(frozen=True, slots=True)
class Source:
    kind: Literal["camera", "url", "path"]
    target: int | str  # the camera's index, the URL, or the path as given


def parse_source(spec: str) -> Source:
    """The source ``spec`` names; UsageError (naming it and what is wrong) if it names none."""
    text = str(spec).strip()
    if not text:
        raise UsageError(NO_SOURCE)
    if len(text) > MAX_LENGTH:
        raise UsageError(f"{shown(text)}: too long for a camera source (at most {MAX_LENGTH} characters)")
    if any("\ud800" <= c <= "\udfff" for c in text):  # how Python keeps a name's bytes that are not UTF-8
        raise UsageError(f"{shown(text)}: the name is not UTF-8 (OpenCV opens only UTF-8 names: rename the file)")
    if not text.isprintable():
        raise UsageError(
            f"{shown(text)}: a camera source holds no control character, NUL or other unprintable character"
        )
    if text.isascii() and text.isdigit():
        if int(text) > MAX_CAMERA_INDEX:
            raise UsageError(f"camera {shown(text)}: a camera index is 0 to {MAX_CAMERA_INDEX}")
        return Source("camera", int(text))
    if "://" in text:
        return Source("url", _checked_url(text))
    if any(len(os.fsencode(name)) > NAME_MAX for name in text.split("/")):
        raise UsageError(f"{shown(text)}: a file name in it is longer than {NAME_MAX} bytes")
    return Source("path", text)


def _checked_url(text: str) -> str:
    scheme = text.split("://", 1)[0]
    if scheme.lower() not in URL_SCHEMES:
        names = ", ".join(f"{s}://" for s in URL_SCHEMES[:-1])
        raise UsageError(
            f"{shown(text)}: unknown scheme {shown(scheme, 20)!r} (a camera URL is {names} or {URL_SCHEMES[-1]}://)"
        )
    if any(c.isspace() for c in text):
        raise UsageError(f"{shown(text)}: a URL holds no spaces (write them as %20)")
    try:
        parts = urlsplit(text)
        port = parts.port  # raises for a port that is not a number from 0 to 65535
    except ValueError as err:
        raise UsageError(f"{shown(text)}: not a valid URL ({err})") from None
    host = parts.hostname or ""
    if not host:
        raise UsageError(f"{shown(text)}: the URL names no host")
    if not (HOST_NAME.fullmatch(host) or _is_ip_address(host)):
        raise UsageError(f"{shown(text)}: {shown(host, 40)!r} is not a host name or an IP address")
    if port == 0:
        raise UsageError(f"{shown(text)}: port 0 is not a port to connect to")
    return text


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
