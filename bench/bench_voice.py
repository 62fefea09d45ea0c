"""Voice benchmarks: from a call to its WAV ready, per language; the one-time prepare.

Run: .venv/bin/python bench/bench_voice.py   (about 30 s; prints the figures for docs/voice.md)

- prepare, first: an empty clip cache, every phrase rendered by espeak-ng (the first start on a machine;
  for a pack, the first load in the process, which also imports scipy's resampler);
- prepare, again: the clips read back from the disk cache or the pack (every later start);
- first call without prepare: a fresh announcer whose cache is warm on disk (the clips load inside the call);
- call: ``Announcer.render`` with the voices in memory, over random tickets and counters, p50/p95/max.

Mongolian is timed from a voice pack of tones made here (0.6 s clips, 48 kHz stereo 24-bit, as a
recorder writes them), since espeak-ng has no Mongolian voice; a real pack loads alike, its clips
being of the same number and similar length.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import load_config  # noqa: E402
from config.schema import BranchConfig, VoiceConfig  # noqa: E402
from kiosk.voice.announcer import Announcer  # noqa: E402
from kiosk.voice.phrasing import phrase_keys  # noqa: E402

CALLS = 300


def branch(default: str, packs: dict[str, str]) -> BranchConfig:
    cfg = load_config(None)
    return cfg.model_copy(
        update={
            "branch": cfg.branch.model_copy(update={"default_language": default}),
            "voice": VoiceConfig.model_validate({"packs": packs}),
        }
    )


def recorded_pack(folder: Path, language: str) -> None:
    folder.mkdir(parents=True)
    rate = 48000
    t = np.arange(int(0.6 * rate)) / rate
    for i, key in enumerate(phrase_keys(language)):
        wave = 0.3 * np.sin(2 * np.pi * (200 + 20 * i) * t)
        soundfile.write(str(folder / f"{key}.wav"), np.stack([wave, wave], axis=1), rate, subtype="PCM_24")


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f} ms"


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="frontdesk-bench-voice-"))
    try:
        recorded_pack(work / "mn", "mn")
        packs = {"mn": str(work / "mn")}
        rng = random.Random(13)
        for lang in ("en", "ru", "hy", "mn"):
            cache = work / f"cache-{lang}"
            cfg = branch(lang, packs)  # the ticket's language is the default: one language per call
            cold = Announcer(cfg, cache_dir=cache)
            t_cold = timed(lambda a=cold, lang=lang: a.prepare((lang,)))
            warm = Announcer(cfg, cache_dir=cache)
            t_warm = timed(lambda a=warm, lang=lang: a.prepare((lang,)))
            fresh = Announcer(cfg, cache_dir=cache)
            t_first = timed(lambda a=fresh, lang=lang: a.render("A007", 3, lang))
            times = []
            for _ in range(CALLS):
                ticket, counter = f"{rng.choice('ABCD')}{rng.randint(1, 999):03d}", rng.randint(1, 99)
                times.append(timed(lambda a=warm, t=ticket, c=counter, lang=lang: a.render(t, c, lang)))
            times.sort()
            p50, p95 = statistics.median(times), times[int(0.95 * len(times)) - 1]
            source = warm.prepare((lang,))[lang]
            print(
                f"{lang} ({source.replace(str(work), '…')}): prepare first {ms(t_cold)} ({cold.espeak.renders} "
                f"espeak-ng runs), again {ms(t_warm)}; first call without prepare {ms(t_first)}; "
                f"call p50 {ms(p50)}, p95 {ms(p95)}, max {ms(times[-1])} over {CALLS} calls"
            )
        both = Announcer(branch("ru", packs), cache_dir=work / "cache-ru")
        both.prepare(("hy", "ru"))
        times = sorted(timed(lambda: both.render("C115", 12, "hy")) for _ in range(CALLS))
        print(
            f"hy then ru (two languages in one call): p50 {ms(statistics.median(times))}, "
            f"p95 {ms(times[int(0.95 * len(times)) - 1])}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
