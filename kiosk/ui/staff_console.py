"""The counter clerk's console, without a window.

It holds the queue as the clerk sees it (each waiting ticket's wait coloured
against its service's target), the ticket at this counter, which buttons make
sense now (from the lifecycle), the camera's count, and the alert banner that
stays until acknowledged, and the clerk's own state (kiosk.core.staffing), recorded by the
engine: signed in, serving (follows the counter's ticket), on a break with a reason, back
office, signed out::

    console = StaffConsole(cfg, counter=1, tr=tr, lang="en", run=run)
    console.sign_in("Saraa")
    console.press("call_next")
    console.current.ticket.number          # 'A001'
    console.press("break")                 # later, with nobody at the counter: the reasons to choose
    console.take_break("lunch")            # one tap; "back_office" for back-office work
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from config.schema import BranchConfig
from kiosk.core.lifecycle import allowed_actions
from kiosk.core.model import Action, Alert, Level, LiveTicket, QueueObservation, QueueSnapshot, State
from kiosk.core.queue import eligible, waiting_order
from kiosk.core.staffing import StaffPeriod, StaffState
from kiosk.core.standards import level_of
from kiosk.engine import AlertsChanged, Engine, Reprinted
from kiosk.errors import FrontdeskError, StoreError
from kiosk.i18n import N_, Translator
from kiosk.store.history import observations
from kiosk.ui import wording
from kiosk.ui.backend import Job, Runner
from kiosk.ui.presenter import Note, Presenter

BUTTONS = (
    "call_next",
    "recall",
    "start",
    "finish",
    "no_show",
    "transfer",
    "hold",
    "break",
    "call_number",
    "reprint",
)
MAX_TICKET_CHOICES = 15  # the numbers offered to call or print again (one screen of buttons)
_ACTION_OF = {
    "recall": Action.RECALL,
    "start": Action.START,
    "finish": Action.FINISH,
    "no_show": Action.NO_SHOW,
    "hold": Action.HOLD,
    "transfer": Action.TRANSFER,
}
# the states of a ticket that is "at" a counter
_AT_COUNTER = (State.CALLED, State.SERVING, State.ON_HOLD)
STATE_WORDS = {
    State.CALLED: N_("Called"),
    State.SERVING: N_("Serving"),
    State.ON_HOLD: N_("On hold"),
}
BACK_OFFICE = "back_office"  # the last of the break choices: away from the counter, not on a break


@dataclass(frozen=True)
class QueueRow:
    number: str
    service: str
    waited: str
    level: Level
    priority: bool
    for_this_counter: bool


@dataclass(frozen=True)
class AlertLine:
    text: str
    level: Level


class StaffConsole(Presenter):
    def __init__(
        self,
        cfg: BranchConfig,
        counter: int,
        tr: Translator,
        lang: str,
        run: Runner,
        clock: Callable[[], float] = time.time,
    ):
        self.cfg = cfg
        self.counter = counter
        self.tr = tr
        self.lang = lang
        self.run = run
        self.clock = clock
        self.services = cfg.services_of_counter(counter)
        self.staff: str | None = None
        self.staff_state: StaffState | None = None  # as the engine recorded it
        self.break_reason: str | None = None
        self.state_since: float | None = None
        self.choosing_break = False
        self.busy = False
        self.snapshot: QueueSnapshot | None = None
        self.current: LiveTicket | None = None
        self.held: list[LiveTicket] = []
        self.rows: list[QueueRow] = []
        self._note: Note | None = None  # the message line, worded when read (the language may change)
        self.in_force: list[Alert] = []
        self.alert_level = Level.WITHIN
        self.unacknowledged = False
        self.choosing_transfer = False
        self.choosing_ticket: str | None = None  # "call_number" or "reprint": the clerk picks a number
        self.out_of_service = False
        self._listeners: list[Callable[[], None]] = []
        self._alert_listeners: list[Callable[[list[Alert]], None]] = []

    # -- plumbing ------------------------------------------------------------------
    def on_alerts_raised(self, listener: Callable[[list[Alert]], None]) -> None:
        """``listener(raised)`` for new alerts (the app rings its chime)."""
        self._alert_listeners.append(listener)

    def service_name(self, code: str) -> str:
        try:
            return self.cfg.service(code).names.get(self.lang, code)
        except KeyError:
            return code

    @property
    def message(self) -> str:
        """The console's message line ("Nobody is waiting…"), in the current language."""
        return self.word(self._note)

    def header(self) -> str:
        return self.t(N_("Counter %(counter)d: %(staff)s")) % {"counter": self.counter, "staff": self.staff or ""}

    # -- sign in and out, and the clerk's state -------------------------------------------------
    def sign_in(self, staff: str) -> None:
        """``staff`` signed in with their PIN: recorded, and the console is theirs."""
        self.staff = staff
        self._note = None
        self._changed()
        counter = self.counter
        self.run(lambda e: e.sign_in(counter, staff), self._staff_moved, self.failed)

    def sign_out(self) -> None:
        counter = self.counter
        if self.staff is not None:
            self.run(lambda e: e.sign_out(counter), lambda _period: None, self.failed)
        self.staff = None
        self.staff_state = self.break_reason = self.state_since = None
        self.choosing_transfer = self.choosing_break = False
        self.choosing_ticket = None
        self._changed()

    @property
    def on_break(self) -> bool:
        return self.staff_state is StaffState.ON_BREAK

    @property
    def away(self) -> bool:
        """On a break or in the back office: no customer is called."""
        return self.staff_state is not None and self.staff_state.away

    def break_choices(self) -> list[tuple[str, str]]:
        """(choice, words) for each break reason of the branch, then the back office."""
        reasons = [(r, wording.break_reason(self.tr, self.lang, r)) for r in self.cfg.staff.break_reasons]
        return [*reasons, (BACK_OFFICE, self.t(N_("Back office")))]

    def take_break(self, choice: str | None) -> None:
        """Leave the counter for a break with reason ``choice``, or the back office (None: cancel)."""
        self.choosing_break = False
        if choice is None or self.staff is None:
            self._changed()
            return
        if choice == BACK_OFFICE:
            self._change_state(StaffState.BACK_OFFICE, None)
        else:
            self._change_state(StaffState.ON_BREAK, choice)

    def state_line(self) -> str:
        """The clerk's state and for how long ('On a break: Lunch · 12 min')."""
        if self.staff is None:
            return ""
        words = {
            StaffState.SIGNED_IN: N_("At the counter"),
            StaffState.SERVING: N_("Serving a customer"),
            StaffState.ON_BREAK: N_("On a break: %(reason)s"),
            StaffState.BACK_OFFICE: N_("Back office"),
        }
        if self.staff_state not in words:
            return ""
        text = self.t(words[self.staff_state]) % {"reason": wording.break_reason(self.tr, self.lang, self.break_reason)}
        if self.state_since is None:
            return text
        now = self.snapshot.at if self.snapshot else self.clock()
        return f"{text} · {wording.short_minutes(self.tr, self.lang, max(0.0, now - self.state_since))}"

    def _change_state(self, state: StaffState, reason: str | None) -> None:
        counter, staff = self.counter, self.staff
        self.busy = True
        self._changed()
        self.run(
            lambda e: e.set_staff_state(counter, state, reason, staff=staff), self._staff_moved, self._staff_failed
        )

    def _staff_moved(self, period: StaffPeriod | None) -> None:
        """The engine recorded the clerk's new state."""
        self.busy = False
        if period is not None and period.staff == self.staff:
            self._show_state(period)
        self._changed()

    def _show_state(self, period: StaffPeriod) -> None:
        moved = period.state is not self.staff_state
        self.staff_state, self.break_reason, self.state_since = period.state, period.reason, period.started_at
        if not moved:
            return
        if period.state is StaffState.ON_BREAK:
            self._note = Note(N_("On a break: no customers are called."))
        elif period.state is StaffState.BACK_OFFICE:
            self._note = Note(N_("In the back office: no customers are called."))
        elif self._note is not None and self._note.text in _AWAY_NOTES:
            self._note = None  # back at the counter

    def _staff_failed(self, err: FrontdeskError) -> None:
        if isinstance(err, StoreError):
            self.failed(err)
            return
        self.busy = False  # another console signed in at this counter meanwhile, for example
        self._note = Note(N_("That was not possible: your state has changed. Here it is now."))
        self._changed()
        self.refresh()

    # -- what the engine tells us -----------------------------------------------------------
    def apply_snapshot(self, snap: QueueSnapshot) -> None:
        self.snapshot = snap
        self.out_of_service = False
        mine = [t for t in snap.tickets if t.period.counter == self.counter and t.state in _AT_COUNTER]
        active = [t for t in mine if t.state is not State.ON_HOLD]
        # the most recently moved ticket is the one in front of the clerk
        self.current = max(active, key=lambda t: t.since) if active else None
        self.held = [t for t in mine if t.state is State.ON_HOLD]
        clerk = next((p for p in snap.staff if p.counter == self.counter and p.staff == self.staff), None)
        if clerk is not None:
            self._show_state(clerk)
        if self.current is None and self.held:
            self.current = max(self.held, key=lambda t: t.since)
        rule, head = self.cfg.priority.rule, self.cfg.priority.head_start_min * 60
        frac = self.cfg.standards.warning_fraction
        rows = []
        for t in waiting_order(snap.tickets, rule, head):
            target = self._target_wait(t.service)
            waited = snap.at - t.since
            rows.append(
                QueueRow(
                    number=t.ticket.number,
                    service=self.service_name(t.service),
                    waited=wording.short_minutes(self.tr, self.lang, waited),
                    level=level_of(waited, target, frac) if target else Level.WITHIN,
                    priority=t.ticket.priority,
                    for_this_counter=eligible(t, self.counter, self.services),
                )
            )
        self.rows = rows
        self._changed()

    def _target_wait(self, code: str) -> float:
        try:
            return float(self.cfg.service(code).target_wait_s)
        except KeyError:
            return 0.0

    def apply_alerts(self, event: AlertsChanged) -> None:
        """The standard as evaluated, and the branch's acknowledgement from the log: the banner
        stays while any open alert is unacknowledged, whichever console acknowledges it."""
        self.in_force = list(event.in_force)
        self.alert_level = event.level
        if event.raised:
            for listener in list(self._alert_listeners):
                listener(event.raised)
        self.unacknowledged = bool(event.unacknowledged) and bool(event.in_force)
        self._changed()

    def acknowledge(self) -> None:
        """Acknowledge the alerts for the whole branch (written to the log with this counter)."""
        self.unacknowledged = False
        self._changed()
        counter = self.counter
        self.run(lambda e: e.acknowledge_alerts(counter), self.apply_alerts, self.failed)

    @property
    def alerts(self) -> list[AlertLine]:
        """The alerts in force, worded in the console's current language."""
        return [AlertLine(self.alert_text(a), a.level) for a in self.in_force]

    def alert_text(self, a: Alert) -> str:
        return wording.alert_sentence(self.tr, self.lang, a.kind, a.subject, a.value, a.limit)

    def banner(self) -> str:
        """The banner's text: the worst alert first, and how many more."""
        if not self.alerts:
            return ""
        more = len(self.alerts) - 1
        first = self.alerts[0].text
        if more:
            first += "  " + self.t(N_("(+%(n)d more)")) % {"n": more}
        return first

    def level_word(self) -> str:
        if self.alert_level is Level.BREACH:
            return self.t(N_("Standard broken"))
        if self.alert_level is Level.WARNING:
            return self.t(N_("Standard at risk"))
        return self.t(N_("Within the standard"))

    def camera_lines(self) -> list[str]:
        """The camera's count and anonymous waiting times, when vision is on."""
        obs = self.snapshot.observation if self.snapshot else None
        if obs is None:
            return []
        lines = [wording.people_in_line(self.tr, self.lang, obs.people)]
        if obs.mean_recent_wait_s is not None:
            lines.append(
                self.t(N_("Recent waits in line: about %(n)d min")) % {"n": round(obs.mean_recent_wait_s / 60)}
            )
        if obs.longest_wait_s is not None:
            lines.append(wording.longest_in_line(self.tr, self.lang, obs.longest_wait_s))
        return lines

    def current_lines(self) -> tuple[str, str, str]:
        """(number, service, state and for how long) of the ticket at this counter."""
        cur = self.current
        if cur is None:
            return "", "", self.t(N_("No customer at this counter"))
        since = wording.short_minutes(
            self.tr, self.lang, (self.snapshot.at if self.snapshot else self.clock()) - cur.since
        )
        state = self.t(STATE_WORDS.get(cur.state, cur.state.value))
        return cur.ticket.number, self.service_name(cur.service), f"{state} · {since}"

    # -- buttons ----------------------------------------------------------------------------
    def enabled(self) -> dict[str, bool]:
        signed = self.staff is not None and not self.busy and not self.out_of_service
        cur_actions = set(allowed_actions(self.current.state)) if self.current else set()
        busy_with_someone = self.current is not None and self.current.state in (State.CALLED, State.SERVING)
        on = {
            "call_next": signed and not self.away and not busy_with_someone,
            "break": signed and not busy_with_someone,
            "call_number": signed and not self.on_break and not busy_with_someone and bool(self._callable()),
            # printed by the kiosk's printer: offered when the branch has one
            "reprint": signed and self.cfg.devices.printer is not None and bool(self._printable()),
        }
        for name, action in _ACTION_OF.items():
            on[name] = signed and not self.away and action in cur_actions
        return on

    def press(self, button: str) -> None:
        if not self.enabled().get(button):
            return  # a disabled button, or a tap during a pending action
        if button == "break":
            if self.away:
                self._change_state(StaffState.SIGNED_IN, None)
            else:
                self.choosing_break, self.choosing_transfer = True, False
                self._changed()
            return
        if button == "transfer":
            self.choosing_transfer = True
            self._changed()
            return
        if button in ("call_number", "reprint"):
            self.choosing_ticket = button
            self._note = Note(
                N_("Tap the number the customer shows you.")
                if button == "call_number"
                else N_("Tap the number to print again at the kiosk.")
            )
            self._changed()
            return
        counter, staff = self.counter, self.staff
        if button == "call_next":
            self._do(lambda e: e.call_next(counter, staff))
            return
        if self.current is None:  # enabled() offers a ticket's actions only while there is one
            return
        number = self.current.ticket.number
        action = _ACTION_OF[button]
        self._do(lambda e: e.act(number, action, counter=counter, staff=staff))

    # -- a particular number: call it, or print it again ------------------------------------
    def _callable(self) -> list[str]:
        """The waiting tickets this counter may call, by number (the customer shows theirs)."""
        tickets = self.snapshot.tickets if self.snapshot else ()
        return sorted(t.ticket.number for t in tickets if eligible(t, self.counter, self.services))

    def _printable(self) -> list[str]:
        """The tickets that may be printed again: the one at this counter and every waiting one."""
        tickets = self.snapshot.tickets if self.snapshot else ()
        waiting = sorted(t.ticket.number for t in tickets if t.state is State.WAITING)
        return ([self.current.ticket.number] if self.current else []) + waiting

    def ticket_choices(self) -> list[str]:
        """The numbers offered while choosing one (at most a screenful)."""
        choices = self._callable() if self.choosing_ticket == "call_number" else self._printable()
        return choices[:MAX_TICKET_CHOICES]

    def choose_ticket(self, number: str | None) -> None:
        """Call ticket ``number``, or have the kiosk print it again (None: cancel the choice)."""
        choosing, self.choosing_ticket = self.choosing_ticket, None
        if number is None or choosing is None:
            self._note = None
            self._changed()
            return
        counter, staff = self.counter, self.staff
        if choosing == "call_number":
            self._do(lambda e: e.call_ticket(number, counter, staff))
            return
        self._do(lambda e: e.reprint(number, counter=counter))

    def transfer_choices(self) -> list[tuple[str, str]]:
        here = self.current.service if self.current else None
        return [(s.code, s.names.get(self.lang, s.code)) for s in self.cfg.services if s.code != here]

    def transfer_to(self, service: str | None) -> None:
        """Send the current ticket to ``service`` (None: cancel the choice)."""
        self.choosing_transfer = False
        if service is None or self.current is None:
            self._changed()
            return
        number, staff = self.current.ticket.number, self.staff
        self._do(lambda e: e.act(number, Action.TRANSFER, staff=staff, service=service))

    def _do(self, job: Job) -> None:
        self.busy = True
        self._note = None
        self._changed()
        self.run(job, self._done, self.failed)

    def _done(self, result: LiveTicket | Reprinted | None) -> None:
        self.busy = False
        if result is None:
            self._note = Note(N_("Nobody is waiting for this counter."))
        elif isinstance(result, Reprinted):
            number = result.issued.ticket.number
            self._note = Note(N_("Ticket %(number)s is being printed again at the kiosk."), {"number": number})
        self._changed()
        self.refresh()

    def failed(self, err: FrontdeskError) -> None:
        """An action or a read went wrong: say so, and show the queue as it is now."""
        self.busy = False
        if isinstance(err, StoreError):
            self.out_of_service = True
            self._note = Note(N_("The database cannot be reached. Retrying…"))
        else:  # another counter moved the ticket first, for example: show the queue as it is now
            self._note = Note(N_("That was not possible: the ticket has changed. Here is the queue now."))
            self._changed()
            self.refresh()
            return
        self._changed()

    def refresh(self) -> None:
        """Read the queue and the standard again (the app calls this every second)."""
        self.run(read_queue, self.refreshed, self.failed)

    def refreshed(self, result: tuple[QueueSnapshot, AlertsChanged]) -> None:
        """Show a read of the queue and the standard (``read_queue``'s answer)."""
        snap, alerts = result
        self.apply_snapshot(snap)
        self.apply_alerts(alerts)


_AWAY_NOTES = ("On a break: no customers are called.", "In the back office: no customers are called.")
CAMERA_FRESH_S = 10.0  # an older count says nothing about the line now


def read_queue(engine: Engine) -> tuple[QueueSnapshot, AlertsChanged]:
    """The live queue and the standard, with the camera's latest count from the log when
    the camera publishes in another process (the engine only knows its own observations)."""
    snap = engine.snapshot()
    if snap.observation is None:
        seen = observations(engine.store, snap.at - CAMERA_FRESH_S, snap.at + 1.0)
        if seen:
            at, people = seen[-1]
            snap = replace(snap, observation=QueueObservation(at=at, people=people))
    return snap, engine.tick()
