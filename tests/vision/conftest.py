"""Shared fixtures of the vision tests: the real footage in ../shared/footage."""

from __future__ import annotations

from pathlib import Path

import pytest

from vision.models import ModelMissing, detector_model

FOOTAGE = Path(__file__).resolve().parents[2].parent / "shared" / "footage"
WALKING_GIF = FOOTAGE / "facing_camera" / "face-demographics-walking.gif"
TUD_CAMPUS = FOOTAGE / "tud_campus" / "TUD-Campus.mp4"
TUD_STADTMITTE = FOOTAGE / "tud_stadtmitte" / "TUD-Stadtmitte.mp4"


def need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"real footage not found at {path} (the shared footage folder is absent)")
    return path


def need_model() -> Path:
    """The camera's detector model; skip (saying why) where set-up could not make it.
    In CI set-up must make it (``make models`` fails the run otherwise)."""
    try:
        return detector_model()
    except ModelMissing as err:
        pytest.skip(f"the camera model is not there: {err}")


def need_counting(path: Path) -> Path:
    """Real footage and the model to count on it."""
    need(path)
    need_model()
    return path
