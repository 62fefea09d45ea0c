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

import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from kiosk.errors import FrontdeskError, UsageError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
FOLDER_FPS = 1.0  # a folder of stills has no frame rate: one image per second of "source time"


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
    def __init__(self, spec: str, target, live: bool):
        self._cap = cv2.VideoCapture(target)
        if not self._cap.isOpened():
            self._cap.release()
            if live:
                raise CameraUnavailable(f"camera {spec!r} is unavailable (cannot open it)")
            raise UsageError(f"{spec}: cannot decode this file as video or GIF")
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.info = SourceInfo(
            spec,
            live,
            fps if fps and 0 < fps < 1000 else 25.0,
            int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )
        self._index = -1
        self._t0 = time.monotonic()
        self._t = 0.0

    def grab(self) -> tuple[int, float] | None:
        if not self._cap.grab():
            return None
        self._index += 1
        self._t = time.monotonic() - self._t0 if self.info.live else self._index / self.info.fps
        return self._index, self._t

    def retrieve(self) -> np.ndarray:
        ok, image = self._cap.retrieve()
        if not ok or image is None:
            raise CameraUnavailable(f"{self.info.spec}: frame {self._index} could not be decoded")
        return image

    def close(self) -> None:
        self._cap.release()


class _FolderSource:
    def __init__(self, spec: str, folder: Path):
        self._files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise UsageError(f"{spec}: the folder holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
        first = self._read(self._files[0])
        self.info = SourceInfo(spec, False, FOLDER_FPS, first.shape[1], first.shape[0])
        self._index = -1

    @staticmethod
    def _read(path: Path) -> np.ndarray:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise UsageError(f"{path}: not a readable image")
        return image

    def grab(self) -> tuple[int, float] | None:
        if self._index + 1 >= len(self._files):
            return None
        self._index += 1
        return self._index, self._index / FOLDER_FPS

    def retrieve(self) -> np.ndarray:
        return self._read(self._files[self._index])

    def close(self) -> None:
        pass


class FrameSource:
    """An opened source; use as a context manager."""

    def __init__(self, impl):
        self._impl = impl
        self.info: SourceInfo = impl.info

    def grab(self) -> tuple[int, float] | None:
        """Advance one frame: its 0-based index and time in the source, None at the end."""
        return self._impl.grab()

    def retrieve(self) -> np.ndarray:
        """The BGR image of the frame grabbed last."""
        return self._impl.retrieve()

    def close(self) -> None:
        self._impl.close()

    def __enter__(self) -> "FrameSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def is_live(spec: str) -> bool:
    return spec.strip().isdigit() or "://" in spec


def open_source(spec: str) -> FrameSource:
    """Open a source given as on the command line or in ``[camera] source``.

    Raises UsageError for a missing or undecodable file, CameraUnavailable for a
    camera or stream that cannot be opened.
    """
    spec = str(spec).strip()
    if not spec:
        raise UsageError("no source given (a camera index, a URL, a video or GIF file, or a folder of images)")
    if spec.isdigit():
        return FrameSource(_CvSource(spec, int(spec), live=True))
    if "://" in spec:
        return FrameSource(_CvSource(spec, spec, live=True))
    path = Path(spec).expanduser()
    if path.is_dir():
        return FrameSource(_FolderSource(spec, path))
    if not path.is_file():
        raise UsageError(f"{spec}: no such file, folder or camera")
    return FrameSource(_CvSource(spec, str(path), live=False))


def backoff_delays(first_s: float = 1.0, longest_s: float = 60.0):
    """1, 2, 4 … seconds, capped: how long to wait before each new try of a camera."""
    delay = first_s
    while True:
        yield delay
        delay = min(longest_s, delay * 2)
