"""Voice packs: a folder of recorded WAV clips, one per phrase key of a language (``num_7.wav``…).

A pack is how a branch gives the board a voice espeak-ng does not have (Mongolian)
or a voice of its own (a staff member's). It holds ``<key>.wav`` for every key of
``phrasing.phrase_keys(language)``; any WAV soundfile reads will do (8/16/24-bit or
float, mono or stereo, any rate): each clip is mixed to mono, resampled, trimmed of
the silence around it and levelled when the pack is loaded.

``check_pack`` names every clip that is missing, unreadable or silent; a pack with
any such clip is not used (``load_pack`` raises), so a call is never half spoken.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.voice.audio import ClipError, Samples, level, read_clip, trim
from kiosk.voice.phrasing import phrase_keys

SILENT_PEAK = 10 ** (-50 / 20)  # a clip whose loudest sample is under -50 dBFS holds no speech


@dataclass(frozen=True)
class PackProblem:
    """One clip a pack cannot use: its path and what is wrong with it."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class PackError(Exception):
    """A pack that cannot be used; ``problems`` names every bad clip."""

    def __init__(self, folder: Path, problems: list[PackProblem]) -> None:
        self.folder, self.problems = folder, problems
        super().__init__(f"voice pack {folder}: {len(problems)} clip(s) missing or unreadable (first: {problems[0]})")


def clip_file(folder: Path, key: str) -> Path:
    return folder / f"{key}.wav"


def _read_key(folder: Path, key: str) -> Samples | PackProblem:
    path = clip_file(folder, key)
    if not path.is_file():
        return PackProblem(path, "missing")
    try:
        samples = read_clip(path)
    except ClipError as err:
        return PackProblem(path, f"unreadable: {err}")
    except OSError as err:
        return PackProblem(path, f"unreadable: {err.strerror or err}")
    if float(abs(samples).max()) < SILENT_PEAK:
        return PackProblem(path, "silent (no sound above -50 dBFS)")
    return level(trim(samples))


def read_pack(folder: Path, language: str) -> tuple[dict[str, Samples], list[PackProblem]]:
    """The clips of a pack that could be read, and a problem for each one that could not."""
    clips: dict[str, Samples] = {}
    problems: list[PackProblem] = []
    for key in phrase_keys(language):
        got = _read_key(folder, key)
        if isinstance(got, PackProblem):
            problems.append(got)
        else:
            clips[key] = got
    return clips, problems


def check_pack(folder: Path, language: str) -> list[PackProblem]:
    """Every missing, unreadable or silent clip of the pack in ``folder`` (empty: complete)."""
    if not folder.is_dir():
        return [PackProblem(folder, "no such folder")]
    return read_pack(folder, language)[1]


def unexpected_files(folder: Path, language: str) -> list[Path]:
    """WAV files in the pack that no key asks for (a misspelt name, such as ``num_07.wav``)."""
    wanted = {clip_file(folder, key).name for key in phrase_keys(language)}
    return sorted(p for p in folder.glob("*") if p.suffix.lower() == ".wav" and p.name not in wanted)


def load_pack(folder: Path, language: str) -> dict[str, Samples]:
    """Every clip of a complete pack, ready to join; :class:`PackError` if any clip is not usable."""
    if not folder.is_dir():
        raise PackError(folder, [PackProblem(folder, "no such folder")])
    clips, problems = read_pack(folder, language)
    if problems:
        raise PackError(folder, problems)
    return clips
