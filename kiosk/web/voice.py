"""How a call becomes sound on the board: the voice module's Announcer (kiosk/voice).

A chime, the call in the ticket's language, then in the branch's default language if
that differs; a language without a voice (Mongolian without a recorded pack) is left
out and named in the server's record. ``[voice] enabled = false``: the chime alone::

    voice = CallVoice(cfg)
    voice.prepare()            # at start: every language's clips ready in memory
    voice.render(call).wav     # b'RIFF…'
"""

from __future__ import annotations

import logging

from config.schema import BranchConfig
from kiosk.store import Call
from kiosk.voice.announcer import Announcer, Rendered

log = logging.getLogger("frontdesk.web.sound")


class CallVoice:
    """Renders the board's calls; safe to share between threads (the Announcer is)."""

    def __init__(self, cfg: BranchConfig) -> None:
        self.announcer = Announcer(cfg)
        # a call the phrasing cannot say (a four-digit number on a very busy day) still chimes
        self.chime = Announcer(cfg.model_copy(update={"voice": cfg.voice.model_copy(update={"enabled": False})}))

    def prepare(self) -> None:
        for lang, source in self.announcer.prepare().items():
            log.info("voice %s: %s", lang, source)

    def render(self, call: Call) -> Rendered:
        try:
            return self.announcer.render(call.number, call.counter or 0, call.language)
        except ValueError as err:
            log.warning("call %s is not spoken: %s", call.number, err)
            return self.chime.render("A001", 1, None)
