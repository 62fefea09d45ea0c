"""How the screens reach the engine: opened lazily, reopened after a database fault.

Every engine call from a screen is a *job* ``fn(engine) -> result`` handed to a
runner with what to do next. :class:`InlineRunner` runs it at once (tests of the
presenters); the Kivy app uses :class:`ThreadRunner`, which runs jobs one at a time
on a worker thread and hands the answer back on Kivy's thread, so a slow or
unreachable database never freezes the screen::

    handle = EngineHandle(lambda: open_engine(None, None))
    run = InlineRunner(handle)
    run(lambda e: e.issue("CASH"), on_done=print, on_error=print)
"""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

from kiosk.engine import Engine
from kiosk.errors import FrontdeskError, StoreError

Job = Callable[[Engine], Any]
Done = Callable[[Any], None]
Failed = Callable[[FrontdeskError], None]


class EngineHandle:
    """One engine, opened on first use and dropped when its database fails.

    ``on_open`` callbacks run for every engine opened (to subscribe listeners again).
    """

    def __init__(self, opener: Callable[[], Engine]):
        self._opener = opener
        self._engine: Engine | None = None
        self._on_open: list[Callable[[Engine], None]] = []

    def on_open(self, callback: Callable[[Engine], None]) -> None:
        self._on_open.append(callback)
        if self._engine is not None:
            callback(self._engine)

    @property
    def engine(self) -> Engine | None:
        return self._engine

    def call(self, job: Job) -> Any:
        """Run ``job`` on the engine; a StoreError closes it so that the next call reopens."""
        if self._engine is None:
            engine = self._opener()  # StoreError when the database is unreachable
            self._engine = engine
            for callback in self._on_open:
                callback(engine)
        try:
            return job(self._engine)
        except StoreError:
            self.drop()
            raise

    def drop(self) -> None:
        if self._engine is not None:
            self._engine.store.close()
            self._engine = None


class Runner(Protocol):
    def __call__(self, job: Job, on_done: Done, on_error: Failed) -> None: ...


class InlineRunner:
    """Runs each job at once on the caller's thread."""

    def __init__(self, handle: EngineHandle):
        self.handle = handle

    def __call__(self, job: Job, on_done: Done, on_error: Failed) -> None:
        try:
            result = self.handle.call(job)
        except FrontdeskError as err:
            on_error(err)
            return
        on_done(result)


class ThreadRunner:
    """Runs jobs in order on one worker thread; answers arrive on the UI thread.

    The caller waits up to ``wait_s`` for the answer: a healthy database answers in
    a millisecond or two, and the screen then changes in the same frame as the tap.
    A slow or hung database never blocks the screen longer than that: the answer
    is handed back later through ``deliver(fn)``, which must run ``fn`` on the UI
    thread (the app passes a wrapper around ``Clock.schedule_once``).
    """

    def __init__(self, handle: EngineHandle, deliver: Callable[[Callable[[], None]], None], wait_s: float = 0.05):
        self.handle = handle
        self._deliver = deliver
        self.wait_s = wait_s
        self._jobs: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._pending = 0  # jobs submitted whose answer has not been handed back yet
        self._count = threading.Lock()
        self._worker = threading.Thread(target=self._work, name="frontdesk-engine", daemon=True)
        self._worker.start()

    def __call__(self, job: Job, on_done: Done, on_error: Failed) -> None:
        item = _Item(job, on_done, on_error)
        with self._count:
            self._pending += 1
        self._jobs.put(item)
        if item.finished.wait(self.wait_s):
            with item.lock:
                item.claimed = True
        else:
            with item.lock:  # the worker may finish right now: exactly one side hands it back
                item.claimed = item.finished.is_set()
        if item.claimed:
            self._settle(item)

    def idle(self) -> bool:
        """No job queued, running, or waiting to be handed back."""
        return self._pending == 0

    def stop(self) -> None:
        self._jobs.put(None)
        self._worker.join(timeout=5)

    def _settle(self, item: "_Item") -> None:
        with self._count:
            self._pending -= 1
        if item.error is not None:
            if isinstance(item.error, FrontdeskError):
                item.on_error(item.error)
            else:  # a bug in a job: raise it on the UI thread, where it is seen
                raise item.error
        else:
            item.on_done(item.result)

    def _work(self) -> None:
        while (item := self._jobs.get()) is not None:
            try:
                item.result = self.handle.call(item.job)
            except Exception as err:  # handed to the UI thread; the worker lives on
                item.error = err
            with item.lock:
                item.finished.set()
                late = item.claimed is False  # None: the caller is still waiting and takes it
            if late:
                self._deliver(functools.partial(self._settle, item))


class GuardedPoll:
    """A background read that runs one at a time: asked again while one is under way, it
    runs once more when that one ends (with the latest job), never twice at once, so a slow
    database is not asked twice for the same thing and a change heard meanwhile is not lost::

        poll = GuardedPoll(runner)
        poll(lambda e: e.snapshot(), on_done=show, on_error=say_so)   # at every change
    """

    def __init__(self, runner: Runner):
        self.runner = runner
        self.busy = False
        self._again: tuple[Job, Done, Failed] | None = None

    def __call__(self, job: Job, on_done: Done, on_error: Failed) -> None:
        if self.busy:
            self._again = (job, on_done, on_error)  # asks during a read fold into one more read
            return
        self.busy = True

        def done(result: Any) -> None:
            self.busy = False
            on_done(result)
            self._rerun()

        def failed(err: FrontdeskError) -> None:
            self.busy = False
            on_error(err)
            self._rerun()

        self.runner(job, done, failed)

    def _rerun(self) -> None:
        if self._again is not None and not self.busy:
            job, on_done, on_error = self._again
            self._again = None
            self(job, on_done, on_error)


class _Item:
    __slots__ = ("job", "on_done", "on_error", "result", "error", "finished", "lock", "claimed")

    def __init__(self, job: Job, on_done: Done, on_error: Failed):
        self.job, self.on_done, self.on_error = job, on_done, on_error
        self.result: Any = None
        self.error: Exception | None = None
        self.finished = threading.Event()
        self.lock = threading.Lock()
        self.claimed: bool | None = None  # None: the caller still waits; True: it took the answer
