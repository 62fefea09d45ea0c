"""The sound the hall board plays for a call, rendered once per call and served as WAV.

The hub hands every new call to :meth:`CallSounds.prepare` the moment it sees it, so the
sound is ready before the board asks for it (``GET /board/sound/<call id>.wav``). Every
sound served is logged, one line a sound (the server's record of what it played)::

    sounds = CallSounds(render=CallVoice(cfg).render, keep=10)    # kiosk.web.voice
    sounds.prepare(call, key)            # in a worker thread
    sounds.serve(call, key)              # b'RIFF…'

Only the sounds a board can still ask for are kept: the route serves the calls the board
lists, and those are the newest ``keep`` calls (the current ones and the recent ones), so
older sounds are dropped as new calls come, and never more than ``max_bytes`` are held.
A sound asked for after it was dropped (a call listed at start) is rendered again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from kiosk.store import Call
from kiosk.voice.announcer import Rendered

log = logging.getLogger("frontdesk.web.sound")

# A call in two languages is about 0.35 MB of WAV; the most a board lists (4 current and 20
# recent calls) fits in this, and so does anything a misconfiguration could ask to keep.
MAX_BYTES = 12_000_000

Render = Callable[[Call], Rendered]


class CallSounds:
    """Each listed call's sound, rendered at most once while it is kept; safe to share between threads."""

    def __init__(
        self, render: Render, keep: int, max_bytes: int = MAX_BYTES, clock: Callable[[], float] = time.time
    ) -> None:
        self.render = render
        self.keep = keep
        self.max_bytes = max_bytes
        self.clock = clock
        self._ready: OrderedDict[str, tuple[Rendered, float]] = OrderedDict()  # oldest call first
        self._bytes = 0
        self._lock = threading.Lock()

    def prepare(self, call: Call, key: str) -> Rendered:
        """Render ``call``'s sound now unless it is ready already."""
        with self._lock:
            ready = self._ready.get(key)
        if ready is not None:
            return ready[0]
        rendered = self.render(call)
        with self._lock:
            if key not in self._ready:
                self._ready[key] = (rendered, self.clock() - call.at)
                self._bytes += len(rendered.wav)
                self._drop_oldest()
        return rendered

    def _drop_oldest(self) -> None:
        # the newest sound stays, whatever its size: it is the one a board is about to ask for
        while len(self._ready) > 1 and (len(self._ready) > self.keep or self._bytes > self.max_bytes):
            _key, (rendered, _ready_s) = self._ready.popitem(last=False)
            self._bytes -= len(rendered.wav)

    def held(self) -> tuple[int, int]:
        """How many calls' sounds are kept, and their bytes of WAV."""
        with self._lock:
            return len(self._ready), self._bytes

    def serve(self, call: Call, key: str) -> bytes:
        """The WAV for ``call`` (rendered now if it was not prepared or was dropped), logged as served."""
        rendered = self.prepare(call, key)
        with self._lock:
            ready_s = self._ready[key][1] if key in self._ready else 0.0
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
