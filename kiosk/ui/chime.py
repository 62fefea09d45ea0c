"""The alert chime: a short two-tone sound written once at start, played through Kivy.

The sound is synthesised (no media file in the repository). Where the machine
has no audio device Kivy cannot load it; ``ring()`` then still counts the ring,
and the banner alone carries the alert.
"""

from __future__ import annotations

import math
import struct
import tempfile
import wave
from pathlib import Path

RATE = 22050


def write_chime(path: Path) -> Path:
    """Two soft tones (E5, C5), 0.25 s each, with a fade so they do not click."""
    frames = bytearray()
    for freq in (659.25, 523.25):
        n = int(RATE * 0.25)
        for i in range(n):
            fade = min(1.0, i / 400, (n - i) / 400)
            frames += struct.pack("<h", int(12000 * fade * math.sin(2 * math.pi * freq * i / RATE)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    return path


class Chime:
    def __init__(self) -> None:
        self.rings = 0
        self._sound = None
        self._dir = tempfile.TemporaryDirectory(prefix="frontdesk-chime-")
        try:
            from kivy.core.audio import SoundLoader

            self._sound = SoundLoader.load(str(write_chime(Path(self._dir.name) / "chime.wav")))
        except Exception:  # no audio provider or device: the banner still shows the alert
            self._sound = None

    def ring(self) -> None:
        self.rings += 1
        if self._sound is not None:
            self._sound.stop()
            self._sound.play()
