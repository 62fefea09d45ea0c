"""espeak-ng, rendered once: each (voice, text) becomes a WAV in a cache directory, reused ever after.

A clip's file name is a hash of the espeak-ng version, the voice, the speed and
the text, so a new espeak-ng, another voice or a changed phrase renders afresh and
the old file is simply never asked for again. ``renders`` counts the espeak-ng
processes this object started: a warm cache starts none.

>>> import tempfile
>>> engine = Espeak(Path(tempfile.mkdtemp()))
>>> engine.installed and engine.has_voice("hy") and not engine.has_voice("mn")
True
>>> engine.render("hy", "յոթ") == engine.render("hy", "յոթ"), engine.renders
(True, 1)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

import platformdirs

EXECUTABLE = "espeak-ng"
DEFAULT_VOICES = {"en": "en-gb", "ru": "ru", "hy": "hy"}  # espeak-ng has no Mongolian voice
TIMEOUT_S = 30.0


def default_cache_dir() -> Path:
    """``~/.cache/frontdesk/voice`` on Linux (platformdirs)."""
    return Path(platformdirs.user_cache_dir("frontdesk")) / "voice"


class EspeakError(Exception):
    """espeak-ng failed to render a phrase (message: its own words)."""


class Espeak:
    """The espeak-ng on this machine and the cache of clips it has rendered."""

    def __init__(self, cache_dir: Path, speed_wpm: int = 150, executable: str = EXECUTABLE) -> None:
        self.cache_dir = cache_dir
        self.speed_wpm = speed_wpm
        self.executable = shutil.which(executable)
        self.renders = 0
        self._count = threading.Lock()

    @property
    def installed(self) -> bool:
        return self.executable is not None and self.version != ""

    @cached_property
    def version(self) -> str:
        """The first line of ``espeak-ng --version`` (number and data path); empty without espeak-ng."""
        if self.executable is None:
            return ""
        try:
            run = subprocess.run([self.executable, "--version"], capture_output=True, text=True, timeout=TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return run.stdout.strip().splitlines()[0] if run.returncode == 0 and run.stdout.strip() else ""

    @cached_property
    def voices(self) -> frozenset[str]:
        """Every name ``-v`` accepts here: languages (``en-gb``) and voice files (``gmw/en``, ``en``)."""
        if not self.installed:
            return frozenset()
        assert self.executable is not None
        run = subprocess.run([self.executable, "--voices"], capture_output=True, text=True, timeout=TIMEOUT_S)
        names: set[str] = set()
        for line in run.stdout.splitlines()[1:]:
            cols = line.split()
            if len(cols) >= 5:
                names |= {cols[1], cols[4], cols[4].rsplit("/", 1)[-1]}
        return frozenset(names)

    def has_voice(self, voice: str) -> bool:
        """Whether ``voice`` (a name, with an optional ``+variant``) exists in this espeak-ng."""
        return voice.split("+", 1)[0] in self.voices

    def clip_path(self, voice: str, text: str) -> Path:
        key = "\0".join((self.version, voice, str(self.speed_wpm), text))
        return self.cache_dir / f"{voice.replace('/', '_')}-{hashlib.sha256(key.encode()).hexdigest()[:20]}.wav"

    def render(self, voice: str, text: str) -> Path:
        """The clip of ``text`` in ``voice``: from the cache, else rendered into it now."""
        path = self.clip_path(voice, text)
        if path.exists():
            return path
        if not self.installed:
            raise EspeakError("espeak-ng is not installed")
        assert self.executable is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        os.close(fd)
        try:
            cmd = [self.executable, "-v", voice, "-s", str(self.speed_wpm), "-w", tmp, "--", text]
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
            with self._count:
                self.renders += 1
            if run.returncode != 0 or os.path.getsize(tmp) <= 44:
                raise EspeakError(run.stderr.strip() or f"espeak-ng -v {voice} wrote no sound for {text!r}")
            os.replace(tmp, path)  # atomic: another process never reads a half-written clip
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path

    def render_all(self, voice: str, texts: list[str]) -> list[Path]:
        """Clips of every text, the missing ones rendered in parallel (one espeak-ng per core)."""
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            return list(pool.map(lambda text: self.render(voice, text), texts))
