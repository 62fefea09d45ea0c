"""The chime: two soft tones (E5, C5) synthesised in memory, no media file in the repository.

One sound for the staff console's alert (``kiosk/ui/chime.py`` plays it through
Kivy) and for the start of every spoken call (``kiosk/voice/announcer.py``); the
voice package never imports Kivy.

>>> samples = chime_samples()
>>> len(samples) == int(RATE * 0.25) * 2, round(float(abs(samples).max()), 2)
(True, 0.37)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.voice.audio import RATE, Samples, wav_bytes

TONES_HZ = (659.25, 523.25)
TONE_S = 0.25
PEAK = 12000 / 32768  # softer than speech: a chime at speech level startles
FADE = 400  # samples of fade in and out, so the tones do not click


def chime_samples() -> Samples:
    """The chime as float samples in -1..1 at ``RATE``."""
    n = int(RATE * TONE_S)
    i = np.arange(n)
    fade = np.minimum(1.0, np.minimum(i / FADE, (n - i) / FADE))
    tones = [PEAK * fade * np.sin(2 * np.pi * freq * i / RATE) for freq in TONES_HZ]
    chime: Samples = np.concatenate(tones).astype(np.float32)
    return chime


def write_chime(path: Path) -> Path:
    """The chime as a WAV file at ``path`` (for players that want a file)."""
    path.write_bytes(wav_bytes(chime_samples()))
    return path
