"""Stop a long-running command cleanly on SIGTERM (``systemctl stop``) or SIGINT (Ctrl-C).

The handler only *asks* the command to stop: ``request_stop`` runs on the main thread
between two Python statements, so it must not block or take a lock. It sets an event
or schedules a callback on the command's own loop, which then stops its threads in
order (the inputs that feed the engine first, then the engine's queued transactions,
then the store) and returns, and the command exits 0::

    with stop_on_signals(watcher.stop):
        watcher.run()                                # returns after the frame under way

    with stop_on_signals() as asked:                 # a loop that polls: Kivy's clock
        Clock.schedule_interval(lambda _dt: app.stop() if asked.is_set() else None, 0.1)
        app.run()

A second signal while stopping is ignored: the stop already under way finishes what
is recorded. The previous handlers come back when the block ends. A server that
handles its own signals (uvicorn) does not need this; its shutdown hook stops the
rest.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_on_signals(
    request_stop: Callable[[], None] | None = None, signals: tuple[signal.Signals, ...] = STOP_SIGNALS
) -> Iterator[threading.Event]:
    """Call ``request_stop`` once when one of ``signals`` arrives; yields an event set then
    (a loop that cannot be woken from a signal handler polls it instead).

    Outside the main thread (where Python cannot install handlers) it does nothing.
    """
    asked = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield asked
        return

    def handle(_signum: int, _frame: FrameType | None) -> None:
        if not asked.is_set():
            asked.set()
            if request_stop is not None:
                request_stop()

    previous = {sig: signal.signal(sig, handle) for sig in signals}
    try:
        yield asked
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
