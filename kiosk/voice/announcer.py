"""The spoken call: a chime, the call in the ticket's language, then in the branch's default language.

Each language's clips are made ready once (``prepare``: a voice pack read from its
folder, else espeak-ng's clips rendered into the cache or read back from it), so
that a call only joins arrays in memory:

>>> import tempfile
>>> from config import load_config
>>> announcer = Announcer(load_config(None), cache_dir=Path(tempfile.mkdtemp()))
>>> call = announcer.render("A007", 3, "ru")
>>> call.languages_spoken, call.languages_silent   # the example branch's default is mn, with no pack
(('ru',), ('mn',))
>>> call.wav[:4], call.duration_s > 2
(b'RIFF', True)

A language with neither a pack nor an espeak-ng voice is logged once (logger
``kiosk.voice``) and its part of the call is left out; the chime always plays.
With ``[voice] enabled = false`` every call is the chime alone.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kiosk.voice.audio import RATE, ClipError, Samples, level, read_clip, silence, trim, wav_bytes
from kiosk.voice.chime import chime_samples
from kiosk.voice.espeak import DEFAULT_VOICES, Espeak, EspeakError, default_cache_dir
from kiosk.voice.pack import PackError, load_pack
from kiosk.voice.phrasing import LANGUAGES, PHRASES, SUFFIXES, Utterance, phrase_keys, utterance

if TYPE_CHECKING:
    from config.schema import BranchConfig

log = logging.getLogger("kiosk.voice")

AFTER_CHIME_S = 0.30
WORD_GAP_S = 0.06  # between the clips of one phrase: close, as words in a sentence
PHRASE_GAP_S = 0.25  # at a comma: "Ticket A seven, | please go to counter three"
BETWEEN_LANGUAGES_S = 0.70
TAIL_S = 0.15  # so a player that cuts the last buffer short does not cut the last word


@dataclass(frozen=True)
class Rendered:
    """One call's whole sound, ready to play, and which languages are in it."""

    wav: bytes  # a mono 16-bit WAV at audio.RATE
    languages_spoken: tuple[str, ...]
    languages_silent: tuple[str, ...]  # wanted but without a voice: the board shows them only
    duration_s: float


@dataclass(frozen=True)
class Voice:
    """The clips of one language, every phrase key present, and where they came from."""

    language: str
    source: str  # "voice pack /path" or "espeak-ng hy"
    clips: dict[str, Samples] = field(repr=False)


class Announcer:
    """Renders calls for one branch; safe to share between threads."""

    def __init__(self, cfg: BranchConfig, cache_dir: Path | None = None) -> None:
        self.settings = cfg.voice
        self.packs = {str(lang): folder for lang, folder in cfg.voice.packs.items()}
        self.espeak_voices = {**DEFAULT_VOICES, **{str(lang): voice for lang, voice in cfg.voice.espeak_voices.items()}}
        self.default_language = cfg.branch.default_language
        self.branch_languages = tuple(cfg.branch.languages)
        self.espeak = Espeak(cache_dir or default_cache_dir(), speed_wpm=cfg.voice.speed_wpm)
        self._voices: dict[str, Voice | None] = {}
        self._why_silent: dict[str, str] = {}
        self._lock = threading.Lock()
        self._chime = chime_samples()

    def prepare(self, languages: tuple[str, ...] | None = None) -> dict[str, str]:
        """Make every language's clips ready (the branch's by default); ``{language: source or why not}``."""
        if not self.settings.enabled:
            return {}
        ready = {}
        for lang in languages or self.branch_languages:
            voice = self.voice(lang)
            ready[lang] = voice.source if voice else "no voice"
        return ready

    def voice(self, language: str) -> Voice | None:
        """The language's voice, loaded on first use; None (and one log line, once) if it has none."""
        with self._lock:
            if language not in self._voices:
                self._voices[language] = self._load_voice(language)
            return self._voices[language]

    def why_silent(self, language: str) -> str | None:
        """Why ``language`` has no voice, with what to do about it; None if it has one (or is not loaded yet)."""
        return self._why_silent.get(language)

    def render(self, ticket: str, counter: int, language: str | None) -> Rendered:
        """The whole sound of calling ``ticket`` to ``counter`` for a customer who chose ``language``.

        ``language`` None (a ticket issued without one) is the branch's default language.
        ``ValueError`` for a ticket number, counter or language the phrasing does not know.
        """
        first = language or self.default_language
        wanted = (first,) if first == self.default_language else (first, self.default_language)
        calls = [utterance(ticket, counter, lang) for lang in wanted]  # validates before anything is played
        parts: list[Samples] = [self._chime]
        spoken: list[str] = []
        silent: list[str] = []
        if self.settings.enabled:
            for call in calls:
                voice = self.voice(call.language)
                if voice is None:
                    silent.append(call.language)
                    continue
                parts += [silence(BETWEEN_LANGUAGES_S if spoken else AFTER_CHIME_S), *self._join(call, voice)]
                spoken.append(call.language)
        parts.append(silence(TAIL_S))
        samples = np.concatenate(parts) * np.float32(self.settings.volume)
        return Rendered(wav_bytes(samples), tuple(spoken), tuple(silent), len(samples) / RATE)

    @staticmethod
    def _join(call: Utterance, voice: Voice) -> list[Samples]:
        parts: list[Samples] = []
        for i, phrase in enumerate(call.phrases):
            if i:
                parts.append(silence(PHRASE_GAP_S))
            for j, key in enumerate(phrase):
                if j and key not in SUFFIXES:
                    parts.append(silence(WORD_GAP_S))
                parts.append(voice.clips[key])
        return parts

    def _load_voice(self, language: str) -> Voice | None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r} (one of {', '.join(LANGUAGES)})")
        folder = self.packs.get(language)
        if folder is not None:
            try:
                return Voice(language, f"voice pack {folder}", load_pack(Path(folder), language))
            except PackError as err:
                log.warning(
                    "voice: the %s voice pack is not used: %s; run `frontdesk voice check %s --lang %s`",
                    language,
                    err,
                    folder,
                    language,
                )
        return self._espeak_voice(language, pack_failed=folder is not None)

    def _espeak_voice(self, language: str, pack_failed: bool) -> Voice | None:
        name = self.espeak_voices.get(language)
        why = self._why_no_espeak(language, name)
        if why is None and name is not None:
            try:
                return Voice(language, f"espeak-ng {name}", self._espeak_clips(language, name))
            except (EspeakError, ClipError) as err:
                why = f"espeak-ng failed ({err})"
            except OSError as err:  # the clip cache cannot be written (a read-only home, a full disk)
                why = f"espeak-ng's clips cannot be cached in {self.espeak.cache_dir} ({err.strerror or err})"
        pack = "its voice pack is not usable" if pack_failed else f"no voice pack is set ([voice] packs.{language})"
        self._why_silent[language] = f"{why} and {pack}; record a pack (docs/voice.md)"
        log.warning("voice: calls in %s play the chime only: %s", language, self._why_silent[language])
        return None

    def _why_no_espeak(self, language: str, name: str | None) -> str | None:
        if not self.espeak.installed:
            return "espeak-ng is not installed (apt-get install espeak-ng)"
        if name is None:
            return f"espeak-ng has no {language} voice"
        if not self.espeak.has_voice(name):
            return f"espeak-ng has no voice {name!r}"
        return None

    def _espeak_clips(self, language: str, name: str) -> dict[str, Samples]:
        keys = phrase_keys(language)
        paths = self.espeak.render_all(name, [PHRASES[language][key].synth_text for key in keys])
        return {key: level(trim(read_clip(path))) for key, path in zip(keys, paths, strict=True)}
