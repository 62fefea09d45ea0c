"""The customer's path through the kiosk, without a window.

greeting -> (language) -> service -> (ticket issued) -> ticket -> greeting, with a
rating screen offered at the greeting after a ticket is finished, and an
out-of-service screen whenever the database fails. The screens only show what
this object holds and forward taps to it; every tap is checked against the step
it belongs to, so a tap that lands during a screen change, or a second tap on a
service while the first is being issued, does nothing::

    flow = KioskFlow(cfg, Translator.load(), InlineRunner(handle))
    flow.choose_language("en")
    flow.choose_service("CASH")
    flow.step, flow.ticket.number      # (Step.TICKET, 'A001')
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from config.schema import BranchConfig
from kiosk.core.model import QueueSnapshot
from kiosk.engine import Issued
from kiosk.errors import FrontdeskError, StoreError
from kiosk.i18n import N_, Translator
from kiosk.ui import wording
from kiosk.ui.backend import Runner
from kiosk.ui.presenter import Presenter
from kiosk.web import status_url

AWAKE_S = 30.0  # the greeting stays lit this long after someone was last seen
RETRY_S = 5.0  # out of service: try the database again this often
THANKS_S = 4.0  # the thank-you after a rating stays this long
FEEDBACK_KEEP_S = 600.0  # a rating not given within this is not asked for any more
SLOW_S = 5.0  # a check-in the database has not answered by now: say the kiosk is out of service

CATEGORY_NAMES = {
    "elderly": N_("older customers"),
    "disabled": N_("customers with a disability"),
    "pregnant": N_("expectant mothers"),
    "infant": N_("parents with a baby"),
}


class Step(str, Enum):
    GREETING = "greeting"
    SERVICE = "service"
    TICKET = "ticket"
    FEEDBACK = "feedback"
    OUT_OF_SERVICE = "out_of_service"


@dataclass(frozen=True)
class ServiceChoice:
    code: str
    name: str
    apology: bool


@dataclass(frozen=True)
class TicketView:
    """Everything the ticket screen says, already in the customer's language."""

    number: str
    service_name: str
    heading: str  # a warm "here is your ticket", or the apology for a complaint
    ahead: str
    wait: str
    priority: str  # empty unless special care was asked for
    farewell: str
    wait_low_min: int
    wait_high_min: int
    status_url: str | None = None  # the phone page's address for the QR code; None without [web] public_url


@dataclass(frozen=True)
class FeedbackView:
    number: str
    lang: str
    thanked: bool = False


@dataclass
class _Finished:
    number: str
    lang: str
    at: float


class KioskFlow(Presenter):
    def __init__(
        self,
        cfg: BranchConfig,
        tr: Translator,
        run: Runner,
        clock: Callable[[], float] = time.monotonic,
        print_ticket: Callable[[Issued, TicketView, str], None] | None = None,
    ):
        self.cfg = cfg
        self.tr = tr
        self.run = run
        self.clock = clock
        self.print_ticket = print_ticket
        self.lang = cfg.branch.default_language
        self.step = Step.GREETING
        self.awake = False
        self.priority = False
        self.busy = False  # a ticket is being issued: further service taps are ignored
        self.ticket: TicketView | None = None
        self.feedback: FeedbackView | None = None
        self.print_failed = False
        self.reprinted = False  # the ticket on the screen was printed again
        self.issued: Issued | None = None  # the ticket on the screen, as issued (printed again on request)
        self._finished: deque[_Finished] = deque(maxlen=20)
        self._asked: set[str] = set()
        now = clock()
        self._last_touch = now
        self._last_seen = -AWAKE_S
        self._next_retry = now
        self._thanked_at = 0.0
        self._busy_since = 0.0
        self._listeners: list[Callable[[], None]] = []

    # -- for the screens -------------------------------------------------------
    def services(self) -> list[ServiceChoice]:
        return [ServiceChoice(s.code, s.names.get(self.lang, s.code), s.apology) for s in self.cfg.services]

    def priority_hint(self) -> str:
        """Who special care is for, from the branch's list of categories."""
        names = [self.t(CATEGORY_NAMES[c]) if c in CATEGORY_NAMES else c for c in self.cfg.priority.categories]
        return ", ".join(names)

    def greeting_languages(self) -> list[str]:
        return list(self.cfg.branch.languages)

    # -- inputs ------------------------------------------------------------------
    def touched(self) -> None:
        self._last_touch = self.clock()

    def presence(self) -> None:
        """Someone walked up: light the greeting (the app calls this within a frame)."""
        self._last_seen = self.clock()
        if not self.awake:
            self.awake = True
            self._changed()

    def choose_language(self, lang: str) -> None:
        if self.step is not Step.GREETING or lang not in self.cfg.branch.languages:
            return
        self.touched()
        self.lang, self.priority, self.awake = lang, False, True
        self.step = Step.SERVICE
        self._changed()

    def set_priority(self, on: bool) -> None:
        if self.step is Step.SERVICE and not self.busy:
            self.touched()
            self.priority = on
            self._changed()

    def back(self) -> None:
        if self.step is Step.SERVICE and not self.busy:
            self._to_greeting()

    def choose_service(self, code: str) -> None:
        if self.step is not Step.SERVICE or self.busy:
            return  # a second tap, or a tap left over from a screen change
        self.touched()
        self.busy = True
        self._busy_since = self.clock()
        lang, priority = self.lang, self.priority
        self.run(lambda e: e.issue(code, priority=priority, language=lang), self._issued, self._failed)

    def _issued(self, issued: Issued) -> None:
        self.busy = False
        self.issued = issued
        self.ticket = self.ticket_view(issued, self.lang)
        self.print_failed = False
        self.reprinted = False
        self.step = Step.TICKET
        self.touched()
        self._changed()
        if self.print_ticket is not None:
            self.print_ticket(issued, self.ticket, self.lang)

    def ticket_view(self, issued: Issued, lang: str) -> TicketView:
        """What the ticket screen and the printed ticket say of ``issued``, in ``lang``."""

        def t(message: str) -> str:
            return self.tr.gettext(lang, message)

        svc = self.cfg.service(issued.service)
        low, high = wording.minutes_range(issued.estimate)
        heading = t(N_("We are sorry something went wrong. A senior officer will listen and put it right."))
        if not svc.apology:
            heading = t(N_("Here is your number"))
        priority = ""
        if issued.ticket.priority:
            priority = t(
                N_("Special care: you will be called first.")
                if self.cfg.priority.rule == "strict"
                else N_("Special care: you will be called sooner.")
            )
        return TicketView(
            number=issued.ticket.number,
            service_name=svc.names.get(lang, svc.code),
            heading=heading,
            ahead=wording.ahead_text(self.tr, lang, issued.ahead),
            wait=wording.wait_text(self.tr, lang, issued.estimate),
            priority=priority,
            farewell=t(N_("Thank you! Please take a seat; we will call your number.")),
            wait_low_min=low,
            wait_high_min=high,
            status_url=status_url(self.cfg.web.public_url, issued.status_token),
        )

    def reprint(self) -> None:
        """Print the ticket on the screen again (a paper jam): the same number, recorded in the log."""
        if self.step is not Step.TICKET or self.issued is None or self.busy or self.reprinted:
            return  # once per ticket on the screen (a second jam: the desk helps)
        if self.print_ticket is None:
            return
        self.touched()
        self.busy = True
        issued, view, lang = self.issued, self.ticket, self.lang
        number = issued.ticket.number

        def recorded(_reprinted: object) -> None:
            self.busy = False
            self.print_failed = False
            self.reprinted = True
            self._changed()
            if self.print_ticket is not None and view is not None:
                self.print_ticket(issued, view, lang)

        self.run(lambda e: e.reprint(number), recorded, self._failed)

    def printing_failed(self) -> None:
        """The printer could not print this ticket: ask the customer to remember the number."""
        if self.step is Step.TICKET:
            self.print_failed = True
            self._changed()

    def done(self) -> None:
        if self.step is Step.TICKET:
            self._to_greeting()

    # -- feedback --------------------------------------------------------------
    def ticket_finished(self, number: str, lang: str | None) -> None:
        """A ticket was served to the end: offer its customer a rating (once)."""
        if self.cfg.kiosk.feedback_on != "kiosk" or number in self._asked:
            return
        self._asked.add(number)
        self._finished.append(_Finished(number, lang or self.cfg.branch.default_language, self.clock()))
        self._offer_feedback()

    def _offer_feedback(self) -> None:
        if self.step is not Step.GREETING:
            return  # never interrupt a customer checking in
        now = self.clock()
        while self._finished:
            item = self._finished.popleft()
            if now - item.at <= FEEDBACK_KEEP_S:
                self.lang = item.lang
                self.feedback = FeedbackView(item.number, item.lang)
                self.step = Step.FEEDBACK
                self.touched()
                self._changed()
                return

    def rate(self, rating: int) -> None:
        fb = self.feedback
        if self.step is not Step.FEEDBACK or fb is None or fb.thanked:
            return
        self.touched()
        self.feedback = FeedbackView(fb.number, fb.lang, thanked=True)
        self._thanked_at = self.clock()
        self._changed()
        self.run(lambda e: e.rate(fb.number, rating), lambda _stored: None, self._failed)

    def skip_feedback(self) -> None:
        if self.step is Step.FEEDBACK:
            self._to_greeting()

    # -- time and faults ----------------------------------------------------------
    def tick(self) -> None:
        """Called about twice a second: idle return, greeting dimming, recovery."""
        now = self.clock()
        if self.step is Step.OUT_OF_SERVICE:
            if now >= self._next_retry and not self.busy:
                self._next_retry = now + RETRY_S
                self.busy = True
                self.run(lambda e: e.snapshot(), self._recovered, self._still_failing)
            return
        if self.step is Step.SERVICE and self.busy and now - self._busy_since >= SLOW_S:
            # the database hangs: tell the customer; if the ticket does come, it is shown
            self.step = Step.OUT_OF_SERVICE
            self._next_retry = now + RETRY_S
            self._changed()
            return
        idle = now - self._last_touch
        if self.step is Step.FEEDBACK and self.feedback and self.feedback.thanked:
            if now - self._thanked_at >= THANKS_S:
                self._to_greeting()
            return
        if self.step in (Step.SERVICE, Step.TICKET, Step.FEEDBACK) and idle >= self.cfg.kiosk.idle_return_s:
            if not self.busy:
                self._to_greeting()
            return
        if self.step is Step.GREETING and self.awake and now - self._last_seen > AWAKE_S and idle > AWAKE_S:
            self.awake = False
            self._changed()

    def _failed(self, err: FrontdeskError) -> None:
        self.busy = False
        if isinstance(err, StoreError):
            self.out_of_service()
        else:  # a config/engine refusal cannot be fixed by the customer: start again
            self._to_greeting()

    def out_of_service(self) -> None:
        self.step = Step.OUT_OF_SERVICE
        self.ticket = self.feedback = None
        self._next_retry = self.clock() + RETRY_S
        self._changed()

    def out_of_service_lines(self) -> list[str]:
        """The notice in every language of the branch: nobody has chosen one yet."""
        message = N_("Sorry, this kiosk is not working right now. Please ask at the desk.")
        return [self.tr.gettext(lang, message) for lang in self.cfg.branch.languages]

    def _recovered(self, _snapshot: QueueSnapshot) -> None:
        self.busy = False
        if self.step is Step.OUT_OF_SERVICE:
            self._to_greeting()

    def _still_failing(self, _err: FrontdeskError) -> None:
        self.busy = False

    def _to_greeting(self) -> None:
        self.step = Step.GREETING
        self.lang = self.cfg.branch.default_language
        self.priority = False
        self.ticket = self.feedback = None
        self.issued = None
        self.print_failed = self.reprinted = False
        self.touched()
        self._changed()
        self._offer_feedback()
