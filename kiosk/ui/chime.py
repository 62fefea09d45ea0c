"""The alert chime: a short two-tone sound written once at start, played through Kivy.

The sound is synthesised in ``kiosk/voice/chime.py`` (no media file in the
repository), the same chime that opens every spoken call. Where the machine
has no audio device Kivy cannot load it; ``ring()`` then still counts the ring,
and the banner alone carries the alert.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kiosk.voice.chime import write_chime


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
