"""The engine's worker thread: a quick answer comes back at once, a slow one later, an error as an error."""

from __future__ import annotations

import threading
import time

from kiosk.errors import StoreError
from kiosk.ui.backend import EngineHandle, ThreadRunner


class Deliveries:
    """Stands in for Kivy's Clock: collects what the worker hands back, run later by the test."""

    def __init__(self):
        self.waiting: list = []
        self.lock = threading.Lock()

    def __call__(self, fn):
        with self.lock:
            self.waiting.append(fn)

    def run_all(self):
        with self.lock:
            todo, self.waiting = self.waiting, []
        for fn in todo:
            fn()


def test_quick_answers_inline_slow_ones_later_and_errors_as_errors(handle):
    handle.call(lambda e: None)
    later = Deliveries()
    # a wait long enough for any quick job on a loaded machine: what answers in it is inline
    runner = ThreadRunner(handle, later, wait_s=10.0)
    got = []
    runner(lambda e: e.issue("CASH").ticket.number, got.append, got.append)
    assert got == ["A001"] and runner.idle()  # answered in the caller's frame

    release = threading.Event()  # a job that cannot answer before the test lets it
    runner.wait_s = 0.05
    runner(lambda e: release.wait(30) and "slow", got.append, got.append)
    assert got == ["A001"] and not runner.idle()  # the caller did not wait for it
    release.set()
    deadline = time.monotonic() + 30
    while not later.waiting and time.monotonic() < deadline:
        time.sleep(0.01)
    later.run_all()
    runner.wait_s = 10.0
    assert got == ["A001", "slow"] and runner.idle()

    def broken(_engine):
        raise StoreError("database gone")

    runner(broken, got.append, lambda err: got.append(type(err).__name__))
    assert got[-1] == "StoreError"
    assert handle.engine is None  # dropped: the next call opens it again
    runner(lambda e: e.snapshot().day, got.append, got.append)
    assert isinstance(got[-1], str)
    runner.stop()


def test_a_job_started_before_the_database_exists_reports_store_error(cfg, tmp_path):
    from kiosk.engine import Engine
    from kiosk.store import open_store

    url = f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"
    handle = EngineHandle(lambda: Engine(cfg, open_store(url)))
    runner = ThreadRunner(handle, Deliveries())
    errors = []
    runner(lambda e: e.snapshot(), errors.append, errors.append)
    assert len(errors) == 1 and isinstance(errors[0], StoreError)
    runner.stop()


def test_a_guarded_read_asked_again_while_busy_runs_once_more_after_it(handle):
    """A change heard during a read is not lost: the asks fold into one more read, never two at once."""
    from kiosk.ui.backend import GuardedPoll

    held = []  # a runner that holds each job, as the worker thread does while the database reads
    poll = GuardedPoll(lambda job, done, failed: held.append((job, done, failed)))
    answers = []
    poll(lambda e: "first", answers.append, answers.append)
    for n in range(3):  # three changes heard while the first read is under way
        poll(lambda e, n=n: f"again {n}", answers.append, answers.append)
    assert len(held) == 1
    job, done, _ = held.pop()
    done(job(None))
    assert answers == ["first"] and len(held) == 1  # one more read, with the latest job
    job, _, failed = held.pop()
    assert job(None) == "again 2"
    failed(StoreError("gone"))
    assert [str(a) for a in answers] == ["first", "gone"] and held == [] and not poll.busy
    poll(lambda e: "later", answers.append, answers.append)
    assert len(held) == 1  # free again
