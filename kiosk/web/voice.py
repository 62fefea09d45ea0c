"""How a call becomes sound on the board: the chime alone until the voice module is merged."""

from __future__ import annotations

from config.schema import BranchConfig
from kiosk.web.sound import Render, chime_only


def call_renderer(cfg: BranchConfig) -> Render:
    return chime_only
