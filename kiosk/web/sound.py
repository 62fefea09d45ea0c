"""The sound the hall board plays for a call, rendered once per call and served as WAV.

The hub hands every new call to :meth:`CallSounds.prepare` the moment it sees it, so the
sound is ready before the board asks for it (``GET /board/sound/<call id>.wav``). What was
served for which call is kept (:attr:`CallSounds.served`) and logged, one line a sound::

    sounds = CallSounds(render=CallVoice(cfg).render)     # kiosk.web.voice
    sounds.prepare(call)                 # in a worker thread
    sounds.wav(call)                     # b'RIFF…'
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.store import Call
from kiosk.voice.announcer import Rendered

log = logging.getLogger("frontdesk.web.sound")

KEEP = 64  # rendered calls kept (a board asks for a call's sound once, a recall is a new call)

Render = Callable[[Call], Rendered]


@dataclass(frozen=True)
class Served:
    call_id: str
    ticket: str
    spoken: tuple[str, ...]  # the languages spoken after the chime, in order
    silent: tuple[str, ...]  # wanted but without a voice
    ready_s: float  # from the call's moment to the sound being rendered


class CallSounds:
    """Each call's sound, rendered at most once, and the record of which sound was served for which call."""

    def __init__(self, render: Render, clock: Callable[[], float] = time.time) -> None:
        self.render = render
        self.clock = clock
        self.served: deque[Served] = deque(maxlen=KEEP * 16)  # the latest sounds served, oldest first
        self._ready: OrderedDict[str, tuple[Rendered, float]] = OrderedDict()
        self._lock = threading.Lock()

    def prepare(self, call: Call, key: str) -> Rendered:
        """Render ``call``'s sound now unless it is ready already."""
        with self._lock:
            ready = self._ready.get(key)
        if ready is not None:
            return ready[0]
        rendered = self.render(call)
        with self._lock:
            self._ready[key] = (rendered, self.clock() - call.at)
            while len(self._ready) > KEEP:
                self._ready.popitem(last=False)
        return rendered

    def serve(self, call: Call, key: str) -> bytes:
        """The WAV for ``call`` (rendered now if it was not prepared), recorded as served."""
        rendered = self.prepare(call, key)
        with self._lock:
            ready_s = self._ready[key][1] if key in self._ready else 0.0
        self.served.append(Served(key, call.number, rendered.languages_spoken, rendered.languages_silent, ready_s))
        log.info(
            "sound served call=%s ticket=%s spoken=%s silent=%s ready_after_call_s=%.3f bytes=%d",
            key,
            call.number,
            ",".join(rendered.languages_spoken) or "-",
            ",".join(rendered.languages_silent) or "-",
            ready_s,
            len(rendered.wav),
        )
        return rendered.wav
