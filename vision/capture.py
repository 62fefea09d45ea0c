"""Frames from a camera index, an RTSP/HTTP URL, a video or GIF file, or a folder of images.

Everything goes through OpenCV (4.11 decodes GIFs itself). Frames are numpy
arrays in memory and nothing else: no frame is ever written anywhere.

``grab`` advances one frame without converting it, ``retrieve`` decodes the
frame grabbed last: a counter that looks at every n-th frame pays for the
colour conversion of those frames only.

    with open_source("clip.mp4") as src:
        while (tick := src.grab()) is not None:
            index, t = tick
            image = src.retrieve()       # BGR, only when wanted
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.errors import FrontdeskError, UsageError, shown
from vision.sources import parse_source

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
FOLDER_FPS = 1.0  # a folder of stills has no frame rate: one image per second of "source time"
# A file that ends before this share of the frames its container declares was cut short
# (the count of a container without an index is an estimate from its duration: a margin)
CUT_SHORT_SHARE = 0.95
FILE_BACKENDS = (cv2.CAP_FFMPEG, cv2.CAP_IMAGES)

# A bad file is answered in one line of ours: OpenCV's warnings and FFmpeg's complaints about
# it ("moov atom not found") would go to the terminal around it. Either can be turned back on.
if "OPENCV_LOG_LEVEL" not in os.environ:
    cv2.setLogLevel(1)  # fatal only: every failure is raised and answered by us
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET, read when FFmpeg opens a file


Image = npt.NDArray[np.uint8]  # a BGR frame, height x width x 3


class CameraUnavailable(FrontdeskError):
    """The camera or stream cannot be opened or stopped delivering frames."""

    exit_code = 5


@dataclass(frozen=True, slots=True)
class SourceInfo:
    spec: str
    live: bool  # a camera or a stream: time is the wall clock, frames can stop coming
    fps: float
    width: int
    height: int


class _CvSource:
    def __init__(self, spec: str, target: int | str, live: bool) -> None:
        self._cap = cv2.VideoCapture(target) if live else _file_capture(str(target))
        # the first frame is grabbed here: a source that opens but yields none is refused now
        self._first_grabbed = self._cap.isOpened() and self._cap.grab()
        if not self._first_grabbed:
            opened = self._cap.isOpened()
            self._cap.release()
            if live:
                why = "it opens but delivers no frame" if opened else "cannot open it"
                raise CameraUnavailable(f"camera {shown(spec)!r} is unavailable ({why})")
            why = "no frame in it can be decoded" if opened else "cannot decode this file as video or GIF"
            raise UsageError(f"{shown(spec)}: {why}")
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.info = SourceInfo(
            spec,
            live,
            fps if fps and 0 < fps < 1000 else 25.0,
            int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )
        self._declared_frames = 0 if live else int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT))
        self._index = -1
        self._t0 = time.monotonic()
        self._t = 0.0

    def grab(self) -> tuple[int, float] | None:
        """The next frame; for a file that ends well before the frames it declares, UsageError."""
        grabbed, self._first_grabbed = self._first_grabbed or self._cap.grab(), False
        if not grabbed:
            frames = self._index + 1
            if frames < CUT_SHORT_SHARE * self._declared_frames:
                raise UsageError(
                    f"{shown(self.info.spec)}: the file ends after frame {frames} of the"
                    f" {self._declared_frames} it declares (cut short or damaged)"
                )
            return None
        self._index += 1
        self._t = time.monotonic() - self._t0 if self.info.live else self._index / self.info.fps
        return self._index, self._t

    def retrieve(self) -> Image:
        ok, image = self._cap.retrieve()
        if not ok or image is None:
            if not self.info.live:  # a file's frame that does not decode: the file is damaged
                raise UsageError(f"{shown(self.info.spec)}: frame {self._index} could not be decoded")
            raise CameraUnavailable(f"{shown(self.info.spec)}: frame {self._index} could not be decoded")
        return cast(Image, image)  # OpenCV's stubs say any matrix; a video frame is 8-bit BGR

    def close(self) -> None:
        self._cap.release()


def _file_capture(path: str) -> cv2.VideoCapture:
    """FFmpeg, else OpenCV's reader of stills: OpenCV's own choice for a file in this build, less
    its AVI reader (FFmpeg reads those files too, and it prints to the terminal on a bad one)."""
    for backend in FILE_BACKENDS:
        cap = cv2.VideoCapture(path, backend)
        if cap.isOpened():
            return cap
        cap.release()
    return cap


class _FolderSource:
    def __init__(self, spec: str, folder: Path) -> None:
        try:
            self._files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        except OSError as err:
            raise UsageError(f"{shown(spec)}: cannot read the folder ({err.strerror})") from None
        if not self._files:
            raise UsageError(f"{shown(spec)}: the folder holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
        first = self._read(self._files[0])
        self.info = SourceInfo(spec, False, FOLDER_FPS, first.shape[1], first.shape[0])
        self._index = -1

    @staticmethod
    def _read(path: Path) -> Image:
        # decoded from its bytes: cv2.imread crashes the process on a name that is not UTF-8
        try:
            data = np.frombuffer(path.read_bytes(), np.uint8)
        except OSError as err:
            raise UsageError(f"{shown(str(path))}: cannot read it ({err.strerror})") from None
        image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
        if image is None:
            raise UsageError(f"{shown(str(path))}: not a readable image")
        return cast(Image, image)  # IMREAD_COLOR decodes to 8-bit BGR

    def grab(self) -> tuple[int, float] | None:
        if self._index + 1 >= len(self._files):
            return None
        self._index += 1
        return self._index, self._index / FOLDER_FPS

    def retrieve(self) -> Image:
        return self._read(self._files[self._index])

    def close(self) -> None:
        pass


class FrameSource:
    """An opened source; use as a context manager."""

    def __init__(self, impl: _CvSource | _FolderSource) -> None:
        self._impl = impl
        self.info: SourceInfo = impl.info
        self.frames = 0  # grabbed so far

    def grab(self) -> tuple[int, float] | None:
        """Advance one frame: its 0-based index and time in the source, None at the end."""
        tick = self._impl.grab()
        if tick is not None:
            self.frames += 1
        return tick

    def check_end(self) -> None:
        """After ``grab`` returned None: a file that ends is done, but a camera or a stream has
        no end, so one that stops delivering frames was unplugged or dropped: CameraUnavailable."""
        if self.info.live:
            frames = "1 frame" if self.frames == 1 else f"{self.frames} frames"
            raise CameraUnavailable(
                f"camera {shown(self.info.spec)!r} stopped delivering frames after {frames}"
                " (unplugged, or the stream dropped)"
            )

    def retrieve(self) -> Image:
        """The BGR image of the frame grabbed last."""
        return self._impl.retrieve()

    def close(self) -> None:
        self._impl.close()

    def __enter__(self) -> "FrameSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_live(spec: str) -> bool:
    text = spec.strip()
    return (text.isascii() and text.isdigit()) or "://" in text


def open_source(spec: str) -> FrameSource:
    """Open a source given as on the command line or in ``[camera] source``.

    Raises UsageError for text that names no source (see :mod:`vision.sources`), a missing,
    undecodable or cut-short file; CameraUnavailable for a well-formed camera index or
    stream address that cannot be opened now or delivers no frame (plug it in, retry).
    """
    source = parse_source(spec)
    spec = str(spec).strip()
    if source.kind != "path":
        return FrameSource(_CvSource(spec, source.target, live=True))
    path = Path(spec).expanduser()
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
    except OSError as err:
        raise UsageError(f"{shown(spec)}: cannot look it up ({err.strerror})") from None
    if is_dir:
        return FrameSource(_FolderSource(spec, path))
    if not is_file:
        raise UsageError(f"{shown(spec)}: no such file, folder or camera")
    return FrameSource(_CvSource(spec, str(path), live=False))


def backoff_delays(first_s: float = 1.0, longest_s: float = 60.0) -> Iterator[float]:
    """1, 2, 4 … seconds, capped: how long to wait before each new try of a camera."""
    delay = first_s
    while True:
        yield delay
        delay = min(longest_s, delay * 2)
