"""The sound the hall board plays for a call, rendered once per call and served as WAV.

The hub hands every new call to :meth:`CallSounds.prepare` the moment it sees it, so the
sound is ready before the board asks for it (``GET /board/sound/<call id>.wav``). What was
served for which call is kept (:attr:`CallSounds.served`) and logged, one line a sound::

    sounds = CallSounds(render=chime_only)
    sounds.prepare(call)                 # in a worker thread
    sounds.wav(call)                     # b'RIFF…'
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.store import Call
from kiosk.ui.chime import write_chime

log = logging.getLogger("frontdesk.web.sound")

KEEP = 64  # rendered calls kept (a board asks for a call's sound once, a recall is a new call)

Render = Callable[[Call], "Rendered"]


@dataclass(frozen=True)
class Rendered:
    wav: bytes
    languages: tuple[str, ...]  # the languages spoken, in order (empty: the chime alone)


@dataclass(frozen=True)
class Served:
    call_id: str
    ticket: str
    languages: tuple[str, ...]
    ready_s: float  # from the call's moment to the sound being rendered


def chime_only(call: Call) -> Rendered:
    """The chime without words (no voice for the call)."""
    with tempfile.TemporaryDirectory(prefix="frontdesk-sound-") as folder:
        return Rendered(write_chime(Path(folder) / "chime.wav").read_bytes(), ())


class CallSounds:
    """Each call's sound, rendered at most once, and the record of which sound was served for which call."""

    def __init__(self, render: Render = chime_only, clock: Callable[[], float] = time.time) -> None:
        self.render = render
        self.clock = clock
        self.served: list[Served] = []
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
        self.served.append(Served(key, call.number, rendered.languages, ready_s))
        log.info("sound served call=%s ticket=%s languages=%s ready_after_call_s=%.3f bytes=%d",
                 key, call.number, ",".join(rendered.languages) or "-", ready_s, len(rendered.wav))
        return rendered.wav
