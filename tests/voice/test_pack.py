"""Voice packs made in the test: tones in every WAV format, one per key, heard back in the order the call says them."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from kiosk.voice.announcer import WORD_GAP_S, Announcer
from kiosk.voice.audio import RATE, read_clip
from kiosk.voice.pack import PackError, check_pack, load_pack, unexpected_files
from kiosk.voice.phrasing import phrase_keys, utterance
from tests.voice.conftest import (
    FORMATS,
    branch,
    dominant_hz,
    make_pack,
    needs_espeak,
    read_wav,
    sounds,
    spans,
    tone,
    write_clip,
)


def heard_tones(wav: bytes) -> list[float]:
    """The pitch of each sound in a call, chime first, to the nearest 5 Hz (the keys' tones are 45 Hz apart)."""
    return [round(dominant_hz(s) / 5) * 5 for s in sounds(read_wav(wav))]


def expected_tones(freqs: dict[str, float], ticket: str, counter: int, lang: str) -> list[float]:
    return [round(freqs[key] / 5) * 5 for key in utterance(ticket, counter, lang).keys]


@pytest.mark.parametrize(("rate", "channels", "how"), FORMATS)
def test_a_clip_in_any_format_is_read_as_mono_at_the_product_rate(tmp_path, rate, channels, how):
    path = tmp_path / "clip.wav"
    write_clip(path, tone(1000.0, rate, seconds=0.5), rate, channels, how)
    samples = read_clip(path)
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert len(samples) == pytest.approx(0.7 * RATE, abs=2)
    assert dominant_hz(samples) == pytest.approx(1000.0, abs=5)


def test_a_mongolian_pack_speaks_mongolian_in_the_order_of_the_call(tmp_path):
    freqs = make_pack(tmp_path / "mn", "mn")
    announcer = Announcer(branch("mn", packs={"mn": str(tmp_path / "mn")}), cache_dir=tmp_path / "cache")
    call = announcer.render("C115", 21, "mn")
    assert call.languages_spoken == ("mn",) and call.languages_silent == ()
    assert heard_tones(call.wav)[1:] == expected_tones(freqs, "C115", 21, "mn")
    assert announcer.espeak.renders == 0


def test_a_suffix_is_joined_closer_than_words(tmp_path):
    """Mongolian "гурав" + "дугаар" is one word, гуравдугаар: no word gap before the suffix."""
    make_pack(tmp_path / "mn", "mn")
    call = Announcer(branch("mn", packs={"mn": str(tmp_path / "mn")}), cache_dir=tmp_path).render("A001", 3, "mn")
    keys = utterance("A001", 3, "mn").keys
    assert keys[-3:] == ("num_3", "ordinal_back", "to_counter")
    heard = spans(read_wav(call.wav))[1:]
    assert len(heard) == len(keys)
    gap_before_suffix = heard[-2][0] - heard[-3][1]
    gap_after_suffix = heard[-1][0] - heard[-2][1]
    assert gap_before_suffix < gap_after_suffix - WORD_GAP_S * RATE * 0.9


def test_a_pack_takes_precedence_over_espeak_ng(tmp_path):
    freqs = make_pack(tmp_path / "en", "en")
    announcer = Announcer(branch("en", packs={"en": str(tmp_path / "en")}), cache_dir=tmp_path / "cache")
    assert announcer.prepare(("en",)) == {"en": f"voice pack {tmp_path / 'en'}"}
    call = announcer.render("A101", 12, "en")
    assert heard_tones(call.wav)[1:] == expected_tones(freqs, "A101", 12, "en")
    assert announcer.espeak.renders == 0


def test_clips_of_different_levels_are_levelled_alike(tmp_path):
    make_pack(tmp_path / "mn", "mn")
    write_clip(tmp_path / "mn" / "num_7.wav", tone(900.0, 16000, amplitude=0.05), 16000, 1, "pcm16")
    call = Announcer(branch("mn", packs={"mn": str(tmp_path / "mn")}), cache_dir=tmp_path).render("A007", 1, "mn")
    peaks = [float(np.abs(s).max()) for s in sounds(read_wav(call.wav))[1:]]
    assert max(peaks) - min(peaks) < 0.02


def test_check_names_every_missing_and_unreadable_clip(tmp_path):
    folder = tmp_path / "mn"
    make_pack(folder, "mn")
    (folder / "num_7.wav").unlink()
    (folder / "ticket.wav").write_bytes((folder / "ticket.wav").read_bytes()[:30])  # cut inside the header
    (folder / "letter_B.wav").write_text("not a sound")
    write_clip(folder / "num_5.wav", np.zeros(8000), 8000, 1, "pcm16")
    (folder / "num_07.wav").write_bytes((folder / "num_1.wav").read_bytes())
    problems = {p.path.name: p.problem for p in check_pack(folder, "mn")}
    assert set(problems) == {"num_7.wav", "ticket.wav", "letter_B.wav", "num_5.wav"}
    assert problems["num_7.wav"] == "missing"
    assert problems["ticket.wav"].startswith("unreadable") and problems["letter_B.wav"].startswith("unreadable")
    assert problems["num_5.wav"].startswith("silent")
    assert unexpected_files(folder, "mn") == [folder / "num_07.wav"]


def test_a_complete_pack_checks_clean(tmp_path):
    make_pack(tmp_path / "hy", "hy")
    assert check_pack(tmp_path / "hy", "hy") == []
    assert set(load_pack(tmp_path / "hy", "hy")) == set(phrase_keys("hy"))


def test_an_incomplete_pack_is_not_used_and_says_so_once(tmp_path, caplog):
    make_pack(tmp_path / "mn", "mn")
    (tmp_path / "mn" / "num_3.wav").unlink()
    with pytest.raises(PackError, match="num_3.wav: missing"):
        load_pack(tmp_path / "mn", "mn")
    announcer = Announcer(branch("mn", packs={"mn": str(tmp_path / "mn")}), cache_dir=tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
        calls = [announcer.render("A001", 1, "mn") for _ in range(3)]
    assert all(c.languages_silent == ("mn",) for c in calls)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2  # the pack's problem, then why mn has no voice at all
    assert "num_3.wav: missing" in messages[0] and "frontdesk voice check" in messages[0]
    assert "its voice pack is not usable" in messages[1]


@needs_espeak
def test_an_incomplete_pack_falls_back_to_espeak_ng_where_it_has_a_voice(tmp_path, caplog, shared_cache):
    make_pack(tmp_path / "en", "en")
    (tmp_path / "en" / "and.wav").write_bytes(b"")
    announcer = Announcer(branch("en", packs={"en": str(tmp_path / "en")}), cache_dir=shared_cache)
    with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
        assert announcer.prepare(("en",)) == {"en": "espeak-ng en-gb"}
    assert announcer.render("A101", 1, "en").languages_spoken == ("en",)
    assert [r.getMessage() for r in caplog.records if "and.wav: unreadable" in r.getMessage()]
