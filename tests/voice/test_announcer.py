"""Calls rendered with the real espeak-ng: a valid WAV, speech where speech is expected, the cache, the log line."""

from __future__ import annotations

import logging
import subprocess

import numpy as np
import pytest

from kiosk.voice.announcer import AFTER_CHIME_S, TAIL_S, Announcer
from kiosk.voice.audio import RATE, SPEECH_PEAK, rms
from kiosk.voice.chime import chime_samples
from kiosk.voice.phrasing import PHRASES, phrase_keys
from tests.voice.conftest import branch, needs_espeak, read_wav

pytestmark = needs_espeak
CHIME = len(chime_samples())


def speech_of(samples: np.ndarray) -> np.ndarray:
    """What follows the chime and its pause."""
    return samples[CHIME + int(AFTER_CHIME_S * RATE) :]


@pytest.mark.parametrize("lang", ["hy", "ru", "en"])
def test_a_call_is_a_chime_then_audible_speech(lang, shared_cache):
    call = Announcer(branch(default=lang), cache_dir=shared_cache).render("A007", 3, lang)
    samples = read_wav(call.wav)
    assert call.languages_spoken == (lang,) and call.languages_silent == ()
    assert np.allclose(samples[:CHIME], chime_samples() * 0.8, atol=2 / 32767)  # the chime, at the volume
    speech = speech_of(samples)
    assert rms(speech) > 0.03, "speech expected after the chime"
    assert abs(float(np.abs(speech).max()) - SPEECH_PEAK * 0.8) < 0.01
    assert call.duration_s == pytest.approx(len(samples) / RATE)


@pytest.mark.parametrize("lang", ["hy", "ru", "en"])
def test_a_longer_call_lasts_longer(lang, shared_cache):
    announcer = Announcer(branch(default=lang), cache_dir=shared_cache)
    short, middle, long = (announcer.render(t, c, lang).duration_s for t, c in (("A001", 1), ("A020", 2), ("D777", 77)))
    assert short < middle < long


def test_the_call_follows_in_the_default_language_when_it_differs(shared_cache):
    announcer = Announcer(branch(default="ru"), cache_dir=shared_cache)
    both = announcer.render("A007", 3, "hy")
    one = announcer.render("A007", 3, "ru")
    assert both.languages_spoken == ("hy", "ru") and one.languages_spoken == ("ru",)
    hy_alone = Announcer(branch(default="hy"), cache_dir=shared_cache).render("A007", 3, "hy")
    assert both.duration_s > hy_alone.duration_s + one.duration_s - 1.0  # both calls, one chime


def test_a_ticket_without_a_language_is_called_in_the_default_one(shared_cache):
    call = Announcer(branch(default="ru"), cache_dir=shared_cache).render("A007", 3, None)
    assert call.languages_spoken == ("ru",)


def test_volume_scales_the_whole_call(shared_cache):
    loud = read_wav(Announcer(branch("en", volume=0.8), cache_dir=shared_cache).render("A007", 3, "en").wav)
    soft = read_wav(Announcer(branch("en", volume=0.2), cache_dir=shared_cache).render("A007", 3, "en").wav)
    assert len(loud) == len(soft)
    assert rms(soft) / rms(loud) == pytest.approx(0.25, abs=0.005)


def test_voice_off_is_the_chime_alone(shared_cache):
    announcer = Announcer(branch("en", enabled=False), cache_dir=shared_cache)
    call = announcer.render("A007", 3, "hy")
    assert call.languages_spoken == () and call.languages_silent == ()
    assert len(read_wav(call.wav)) == CHIME + int(round(TAIL_S * RATE))
    assert announcer.espeak.renders == 0


def test_mongolian_without_a_pack_is_the_chime_and_one_log_line_however_many_calls(shared_cache, caplog):
    announcer = Announcer(branch("mn"), cache_dir=shared_cache)
    with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
        calls = [announcer.render(f"A{n:03d}", 1 + n % 4, "mn") for n in range(1, 6)]
    for call in calls:
        assert call.languages_spoken == () and call.languages_silent == ("mn",)
        assert len(read_wav(call.wav)) == CHIME + int(round(TAIL_S * RATE))
    lines = [r.getMessage() for r in caplog.records if r.name == "kiosk.voice"]
    assert len(lines) == 1, lines
    assert "mn" in lines[0] and "espeak-ng has no mn voice" in lines[0] and "docs/voice.md" in lines[0]


def test_a_call_in_a_voiced_language_still_names_the_silent_default(shared_cache):
    call = Announcer(branch("mn"), cache_dir=shared_cache).render("B012", 2, "en")
    assert call.languages_spoken == ("en",) and call.languages_silent == ("mn",)
    assert rms(speech_of(read_wav(call.wav))) > 0.03


def test_clips_are_rendered_once_then_read_from_the_cache(tmp_path):
    first = Announcer(branch("en"), cache_dir=tmp_path)
    first.prepare(("en",))
    assert first.espeak.renders == len(phrase_keys("en"))
    first.render("C123", 4, "en")
    assert first.espeak.renders == len(phrase_keys("en")), "a call rendered something"
    again = Announcer(branch("en"), cache_dir=tmp_path)
    assert again.render("C123", 4, "en").wav == first.render("C123", 4, "en").wav
    assert again.espeak.renders == 0


def test_a_changed_speed_renders_afresh(tmp_path):
    Announcer(branch("en"), cache_dir=tmp_path).prepare(("en",))
    faster = Announcer(branch("en", speed_wpm=180), cache_dir=tmp_path)
    faster.prepare(("en",))
    assert faster.espeak.renders == len(phrase_keys("en"))


def test_prepare_says_where_each_voice_comes_from(shared_cache):
    ready = Announcer(branch("mn"), cache_dir=shared_cache).prepare()
    assert ready == {"mn": "no voice", "hy": "espeak-ng hy", "en": "espeak-ng en-gb", "ru": "espeak-ng ru"}


def test_bad_calls_are_refused_before_anything_is_rendered(shared_cache):
    announcer = Announcer(branch("en"), cache_dir=shared_cache)
    for ticket, counter, lang in (("A7x", 1, "en"), ("A007", 0, "en"), ("A007", 1, "de")):
        with pytest.raises(ValueError):
            announcer.render(ticket, counter, lang)


@pytest.mark.parametrize(
    ("lang", "voice", "key", "phonemes"),
    [
        ("ru", "ru", "to_counter", "pVZ'Alujsta# pVdVjd;'it;i kakn'u n'om;ir"),  # [kɐknu], not "ка окну"
        ("hy", "hy", "to_counter", "X@ndr'um enk# m,oten'al t#'iv"),  # the spoken schwa of խնդրում
        ("hy", "hy", "num_11", "t,asn@m'ek"),
        ("en", "en-gb", "letter_A", "'eI"),  # the letter's name, not the article
    ],
)
def test_espeak_ng_reads_the_phrase_as_intended(lang, voice, key, phonemes):
    """espeak-ng's own phoneme transcription of what it renders for the key."""
    text = PHRASES[lang][key].synth_text
    run = subprocess.run(["espeak-ng", "-v", voice, "-q", "-x", "--", text], capture_output=True, text=True, check=True)
    assert " ".join(run.stdout.split()) == phonemes  # one line per clause


def test_an_unwritable_cache_leaves_the_language_silent_with_a_reason(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    announcer = Announcer(branch("en"), cache_dir=blocker / "voice")
    with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
        call = announcer.render("A007", 3, "en")
    assert call.languages_silent == ("en",)
    assert "cannot be cached" in (announcer.why_silent("en") or "")
