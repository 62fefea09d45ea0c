"""The small customer-facing screen at a counter, without a window.

It greets the customer called to this counter in their own language, and when
the clerk finishes, asks them for a rating there (``[kiosk] feedback_on =
"counter"``) instead of at the kiosk::

    display = CounterDisplay(cfg, counter=4, tr=tr, run=run)
    display.apply_snapshot(engine.snapshot())     # the app does this every second
    display.step, display.number                  # ('called', 'D001')
"""

from __future__ import annotations

import time
from collections.abc import Callable

from config.schema import BranchConfig
from kiosk.core.model import QueueSnapshot, State
from kiosk.errors import FrontdeskError
from kiosk.i18n import N_, Translator
from kiosk.ui.backend import Runner
from kiosk.ui.kiosk_flow import THANKS_S, FeedbackView
from kiosk.ui.presenter import Presenter

FEEDBACK_S = 60.0  # an unanswered rating gives way to the next customer after this


class CounterDisplay(Presenter):
    def __init__(
        self, cfg: BranchConfig, counter: int, tr: Translator, run: Runner, clock: Callable[[], float] = time.monotonic
    ):
        self.cfg = cfg
        self.counter = counter
        self.tr = tr
        self.run = run
        self.clock = clock
        self.lang = cfg.branch.default_language
        self.step = "idle"  # idle | called | serving | feedback
        self.number = ""
        self.feedback: FeedbackView | None = None
        self.asks = cfg.kiosk.feedback_on == "counter"
        self._serving: dict[str, str | None] = {}
        self._asked: set[str] = set()
        self._since = clock()
        self._listeners: list[Callable[[], None]] = []

    def title(self) -> str:
        return self.t(N_("Counter %(n)d")) % {"n": self.counter}

    def message(self) -> str:
        if self.step == "called":
            return self.t(N_("Ticket %(number)s, please come to this counter.")) % {"number": self.number}
        if self.step == "serving":
            return self.t(N_("Welcome! We are glad to help you."))
        return self.t(N_("Please wait until your number is called."))

    def apply_snapshot(self, snap: QueueSnapshot) -> None:
        """Follow the ticket at this counter; a served ticket that is gone was finished."""
        live = {t.ticket.number for t in snap.tickets}
        for number, lang in self._serving.items():
            if number not in live:
                self.ticket_finished(number, lang)
        here = [
            t for t in snap.tickets if t.period.counter == self.counter and t.state in (State.CALLED, State.SERVING)
        ]
        self._serving = {t.ticket.number: t.ticket.language for t in here if t.state is State.SERVING}
        if self.step == "feedback":
            if not here or self.clock() - self._since < FEEDBACK_S:
                return  # let the customer answer before showing the next one
            self.feedback = None
        current = max(here, key=lambda t: t.since) if here else None
        step = "idle" if current is None else ("serving" if current.state is State.SERVING else "called")
        number = current.ticket.number if current else ""
        lang = (current.ticket.language if current else None) or self.cfg.branch.default_language
        if (step, number, lang) != (self.step, self.number, self.lang):
            self.step, self.number, self.lang = step, number, lang
            self._changed()

    def ticket_finished(self, number: str, lang: str | None) -> None:
        if not self.asks or number in self._asked:
            return
        self._asked.add(number)
        self.lang = lang or self.cfg.branch.default_language
        self.feedback = FeedbackView(number, self.lang)
        self.step, self.number = "feedback", number
        self._since = self.clock()
        self._changed()

    def rate(self, rating: int) -> None:
        fb = self.feedback
        if self.step != "feedback" or fb is None or fb.thanked:
            return
        self.feedback = FeedbackView(fb.number, fb.lang, thanked=True)
        self._since = self.clock() - FEEDBACK_S + THANKS_S  # the thanks stays a few seconds
        self._changed()
        self.run(lambda e: e.rate(fb.number, rating), lambda _stored: None, self._failed)

    def skip_feedback(self) -> None:
        if self.step == "feedback":
            self._to_idle()

    def tick(self) -> None:
        if self.step == "feedback" and self.clock() - self._since >= FEEDBACK_S:
            self._to_idle()

    def _to_idle(self) -> None:
        self.feedback = None
        self.step, self.number, self.lang = "idle", "", self.cfg.branch.default_language
        self._changed()

    def _failed(self, _err: FrontdeskError) -> None:
        """The rating could not be stored (database down): nothing to show the customer."""
