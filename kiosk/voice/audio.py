"""Samples in one format: mono float32 in -1..1 at ``RATE``; reading, trimming, levelling, WAV bytes.

Every clip, synthesised or recorded, is brought to this one format when it is
loaded, so that joining a call is only concatenating arrays.

>>> tone = np.concatenate([np.zeros(2205), 0.1 * np.sin(np.arange(4410) / 3.0), np.zeros(2205)]).astype(np.float32)
>>> len(trim(tone)) < len(tone), round(float(abs(level(tone)).max()), 2)
(True, 0.7)
>>> wav_bytes(tone)[:4], len(wav_bytes(tone)) == 44 + 2 * len(tone)
(b'RIFF', True)
"""

from __future__ import annotations

import wave
from io import BytesIO
from math import gcd
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

Samples = npt.NDArray[np.float32]

RATE = 22050  # the rate of every sound the product plays (espeak-ng's own)
SPEECH_PEAK = 0.7  # every clip is levelled to this peak, so clips and voices sound alike loud
SILENCE_DB = -40.0  # below this much under a clip's peak counts as the silence around it
KEEP_S = 0.015  # kept on each side of the sound, so a trimmed word does not start with a click


class ClipError(Exception):
    """A file that is not a sound we can read; ``str`` says why in a few words."""


def read_clip(path: Path) -> Samples:
    """Any WAV soundfile reads (8/16/24/32-bit, float, mono or more channels, any rate) in our format."""
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as err:
        raise ClipError(f"not a readable WAV file ({err})") from None
    if data.shape[0] == 0:
        raise ClipError("no sound in it (0 frames)")
    mono: Samples = data.mean(axis=1, dtype=np.float32)
    return resample(mono, rate)


def resample(samples: Samples, rate: int) -> Samples:
    """``samples`` at ``rate`` brought to ``RATE`` (polyphase filter, so no aliasing from 44.1/48 kHz)."""
    if rate == RATE:
        return samples
    from scipy.signal import resample_poly  # only recorded packs need it; keep it off the import path

    common = gcd(RATE, rate)
    return np.asarray(resample_poly(samples, RATE // common, rate // common), dtype=np.float32)


def trim(samples: Samples) -> Samples:
    """The clip without the silence before and after it (a recording's or espeak-ng's)."""
    peak = float(np.abs(samples).max()) if len(samples) else 0.0
    if peak == 0.0:
        return samples[:0]
    loud = np.flatnonzero(np.abs(samples) >= peak * 10 ** (SILENCE_DB / 20))
    keep = int(KEEP_S * RATE)
    return samples[max(0, int(loud[0]) - keep) : int(loud[-1]) + keep + 1]


def level(samples: Samples) -> Samples:
    """The clip scaled to ``SPEECH_PEAK`` (recordings made closer or farther sound alike)."""
    peak = float(np.abs(samples).max()) if len(samples) else 0.0
    return samples if peak == 0.0 else (samples * (SPEECH_PEAK / peak)).astype(np.float32)


def silence(seconds: float) -> Samples:
    return np.zeros(int(round(seconds * RATE)), dtype=np.float32)


def rms(samples: Samples) -> float:
    """Root mean square level, 0..1."""
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0


def to_pcm16(samples: Samples) -> bytes:
    """Float samples (-1..1, clipped) as little-endian 16-bit PCM."""
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def wav_bytes(samples: Samples) -> bytes:
    """A mono 16-bit WAV file at ``RATE`` holding ``samples``."""
    out = BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(to_pcm16(samples))
    return out.getvalue()
