"""Voice fixtures: branch configs with a chosen default language and packs, real espeak-ng, synthetic packs.

Rendering with espeak-ng is real; the clip cache of a session is shared by the
tests that do not test the cache itself, so espeak-ng renders each phrase once.
"""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile

from config import load_config
from config.schema import BranchConfig, VoiceConfig
from kiosk.voice.audio import RATE
from kiosk.voice.phrasing import phrase_keys

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def branch(default: str = "mn", **voice: object) -> BranchConfig:
    """The example branch with ``default`` as its default language and ``voice`` as its [voice] section."""
    cfg = load_config(None)
    return cfg.model_copy(
        update={
            "branch": cfg.branch.model_copy(update={"default_language": default}),
            "voice": VoiceConfig.model_validate(voice),
        }
    )


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice-cache")


def key_frequency(index: int) -> float:
    """The tone of the ``index``-th key of a synthetic pack: distinct, and below 4 kHz (8 kHz files)."""
    return 300.0 + 45.0 * index


def tone(freq: float, rate: int, seconds: float = 0.3, amplitude: float = 0.5) -> np.ndarray:
    """A tone with short fades, padded with silence as a recording would be."""
    n = int(rate * seconds)
    t = np.arange(n) / rate
    fade = np.minimum(1.0, np.minimum(np.arange(n), n - np.arange(n)) / (0.01 * rate))
    pad = np.zeros(int(rate * 0.1))
    return np.concatenate([pad, amplitude * fade * np.sin(2 * np.pi * freq * t), pad])


# (sample rate, channels, how it is written): every format a pack may come in
FORMATS = [
    (8000, 1, "u8"),
    (16000, 1, "pcm16"),
    (22050, 2, "pcm16"),
    (44100, 1, "PCM_24"),
    (48000, 2, "FLOAT"),
]


def write_clip(path: Path, samples: np.ndarray, rate: int, channels: int, how: str) -> None:
    """8- and 16-bit with the stdlib ``wave`` (independent of the reader); others with soundfile."""
    data = np.repeat(samples[:, None], channels, axis=1) * (np.array([1.0, 0.6])[:channels])
    if how in ("u8", "pcm16"):
        width = 1 if how == "u8" else 2
        pcm = (data * 127 + 128).astype(np.uint8) if width == 1 else (data * 32767).astype("<i2")
        with wave.open(str(path), "wb") as w:
            w.setnchannels(channels)
            w.setsampwidth(width)
            w.setframerate(rate)
            w.writeframes(pcm.tobytes())
    else:
        soundfile.write(str(path), data, rate, subtype=how)


def make_pack(folder: Path, language: str) -> dict[str, float]:
    """A complete synthetic pack: one tone per key, formats cycling through ``FORMATS``; {key: Hz}."""
    folder.mkdir(parents=True, exist_ok=True)
    freqs = {}
    for i, key in enumerate(phrase_keys(language)):
        rate, channels, how = FORMATS[i % len(FORMATS)]
        freqs[key] = key_frequency(i)
        write_clip(folder / f"{key}.wav", tone(freqs[key], rate), rate, channels, how)
    return freqs


def read_wav(data: bytes) -> np.ndarray:
    """A rendered call's samples, after checking it is the one format the board is promised."""
    import io

    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32767


def spans(samples: np.ndarray, min_gap_s: float = 0.025) -> list[tuple[int, int]]:
    """(start, end) of each stretch of sound between silences of at least ``min_gap_s``."""
    loud = np.abs(samples) > 0.01
    edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(np.int8), [0]])))
    merged: list[list[int]] = []
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if merged and start - merged[-1][1] < min_gap_s * RATE:
            merged[-1][1] = int(end)
        else:
            merged.append([int(start), int(end)])
    return [(a, b) for a, b in merged]


def sounds(samples: np.ndarray) -> list[np.ndarray]:
    """The stretches of sound in ``samples``."""
    return [samples[a:b] for a, b in spans(samples)]


def dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[int(np.argmax(spectrum))])
