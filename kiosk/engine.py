"""The engine: the pure core driven against the store, with a clock.

Every user action is one serialised store transaction: read the day's live
tickets under the lock, let the core decide (lifecycle, who is next), write the
new periods. Adapters (kiosk screens, staff console, camera, devices, CLI) call
these methods and listen for what changed.

>>> from config import load_config
>>> from kiosk.store import open_store
>>> engine = Engine(load_config(None), open_store("sqlite:///:memory:"), clock=lambda: 1_700_000_000.0)
>>> issued = engine.issue("CASH")
>>> issued.ticket.number, issued.ahead
('A001', 0)
>>> engine.call_next(counter=1).ticket.number
'A001'
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from statistics import fmean
from zoneinfo import ZoneInfo

from config.schema import BranchConfig, ServiceConfig
from kiosk.core import closing, lifecycle, queue
from kiosk.core.estimate import STAFFED_WITHIN_SERVICES, EstimateInput, Situation, classic_wait, estimate_wait
from kiosk.core.model import (
    Action,
    Alert,
    Level,
    LiveTicket,
    Presence,
    QueueObservation,
    QueueSnapshot,
    State,
    Ticket,
    WaitEstimate,
)
from kiosk.core.staffing import StaffPeriod, StaffState, follow_tickets, next_staff_state
from kiosk.core.standards import alerts_in_force, diff_alerts, overall_level
from kiosk.errors import LifecycleError, UsageError
from kiosk.store import alert_state, estimate_log, reprints, staff_log
from kiosk.store.sql import Reader, SqlStore, Writer

RECENT_WINDOW_S = 2 * 3600  # service times older than this say little about now
ACTIVE_COUNTER_S = 30 * 60  # a counter that called someone this recently is staffed


@dataclass(frozen=True)
class Issued:
    """What the customer is shown at check-in."""

    ticket: Ticket
    service: str
    ahead: int
    estimate: WaitEstimate
    status_token: str  # names the ticket's "your place in line" page (kiosk.web.status_path)


@dataclass(frozen=True)
class Outlook:
    """What a ticket for one service would be told if it were issued now (nothing recorded)."""

    service: str
    waiting: int
    estimate: WaitEstimate


@dataclass(frozen=True)
class TicketChanged:
    live: LiveTicket  # the ticket with its new period (terminal states included)


@dataclass(frozen=True)
class StaffChanged:
    period: StaffPeriod  # the counter's clerk's new state


@dataclass(frozen=True)
class AlertsChanged:
    in_force: list[Alert]
    raised: list[Alert]
    cleared: list[Alert]
    level: Level
    unacknowledged: int = 0  # open alerts in the log that no console has acknowledged (branch-wide)


@dataclass(frozen=True)
class Reprinted:
    """A ticket to print again: the reprint's id in the log, the ticket as the printer needs it,
    and the counter that asked (None: the kiosk)."""

    reprint_id: int
    issued: Issued
    counter: int | None


Listener = Callable[[object], None]


class Engine:
    def __init__(self, cfg: BranchConfig, store: SqlStore, clock: Callable[[], float] = time.time):
        self.cfg = cfg
        self.store = store
        self.clock = clock
        self._tz = ZoneInfo(cfg.branch.timezone)
        self._listeners: list[Listener] = []
        self._observation: QueueObservation | None = None
        self._alerts: list[Alert] = [
            Alert(kind, subject, Level(level), 0.0, 0.0) for kind, subject, level, _ in store.open_alerts()
        ]
        self._lock = threading.Lock()  # one store connection: one caller at a time
        self._counter_numbers = frozenset(c.number for c in cfg.counters)  # checked on every counter action
        self._day_span: tuple[float, float, str] = (0.0, 0.0, "")  # see day_of

    # -- plumbing -------------------------------------------------------------
    def day_of(self, at: float) -> str:
        """The branch-local date a moment belongs to (ticket numbers restart daily).

        Every action asks; the answer is kept for the rest of the hour of POSIX time it fell in
        when the whole hour lies in one local day at one UTC offset, which is every hour but
        those that hold a local midnight (zones off the whole hour) or a clock change.
        """
        low, high, day = self._day_span  # one tuple: threads that ask at once see a whole one
        if low <= at < high:
            return day
        local = datetime.fromtimestamp(at, self._tz)
        day = local.date().isoformat()
        start = at // 3600 * 3600
        first = datetime.fromtimestamp(start, self._tz)
        into_day = first.hour * 3600 + first.minute * 60 + first.second + first.microsecond / 1e6
        next_hour = datetime.fromtimestamp(start + 3600, self._tz)
        if first.date() == local.date() and into_day + 3600 <= 86400 and first.utcoffset() == next_hour.utcoffset():
            # up to a second short of the hour's end: a time rounded to the microsecond stays inside
            self._day_span = (start, start + 3599, day)
        return day

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(event)`` for TicketChanged, AlertsChanged, Presence and QueueObservation."""
        self._listeners.append(listener)

    def _publish(self, event: object) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _service(self, code: str) -> ServiceConfig:
        try:
            return self.cfg.service(code)
        except KeyError:
            known = ", ".join(s.code for s in self.cfg.services)
            raise UsageError(f"unknown service {code!r} (this branch has {known})") from None

    def _counter(self, number: int) -> int:
        if number not in self._counter_numbers:
            known = ", ".join(str(c.number) for c in self.cfg.counters)
            raise UsageError(f"unknown counter {number} (this branch has {known})")
        return number

    # -- check-in -------------------------------------------------------------
    def issue(self, service: str, priority: bool = False, language: str | None = None) -> Issued:
        """Give a customer a ticket for ``service``; durable before it returns."""
        svc = self._service(service)
        now = self.clock()
        with self._lock, self.store.writing(self.day_of(now)) as w:
            ticket = w.issue(svc.prefix, svc.code, priority, language, now)
            live = next(t for t in w.live if t.ticket.id == ticket.id)  # read after the insert
            ahead = queue.ahead_of(w.live, live, self.cfg.priority.rule, self._head_start_s())
            estimate = self._estimate(w, svc, ticket, ahead, now)
            token = w.add_status_token(ticket.id)
        self._publish(TicketChanged(live))
        return Issued(ticket, svc.code, ahead, estimate, token)

    def _head_start_s(self) -> float:
        return self.cfg.priority.head_start_min * 60.0

    def _estimate(self, w: Writer, svc: ServiceConfig, ticket: Ticket, ahead: int, now: float) -> WaitEstimate:
        """The estimate for the ticket just issued in ``w``, recorded with the situation it saw."""
        inp = self._estimate_input(w, svc, ahead, ticket.priority, now)
        shown = estimate_wait(inp, estimate_log.learned_waits(w.store))
        situation = Situation(inp.ahead, inp.free, inp.priority)
        estimate_log.record_estimate(w.store, ticket.id, situation, shown, classic_wait(inp))
        return shown

    def _estimate_input(self, r: Reader, svc: ServiceConfig, ahead: int, priority: bool, now: float) -> EstimateInput:
        """What the estimate of a ticket of ``svc`` with ``ahead`` before it conditions on, read in ``r``.

        The learned estimate (kiosk.core.estimate.WaitHistory) conditions on the people
        ahead, the counters staffed and free now and the ticket's priority; a counter
        counts as staffed when it called someone within a few recent service times.
        """
        recent = r.recent_service_times(svc.code, now - RECENT_WINDOW_S)
        mean_service = fmean(recent) if recent else svc.target_service_s / 2
        staffed_s = STAFFED_WITHIN_SERVICES * mean_service
        seen = r.counters_seen(now - max(ACTIVE_COUNTER_S, staffed_s))
        counters = set(svc.counters)
        active = {c for c, at in seen.items() if at >= now - ACTIVE_COUNTER_S} & counters
        staffed = {c for c, at in seen.items() if at >= now - staffed_s} & counters
        busy = {t.period.counter for t in r.live if t.state in (State.CALLED, State.SERVING, State.ON_HOLD)}
        return EstimateInput(
            ahead=ahead,
            servers=len(active) or len(svc.counters),
            recent_service_s=recent,
            default_service_s=svc.target_service_s / 2,
            free=len(staffed - busy),
            priority=priority,
        )

    def outlook(self) -> list[Outlook]:
        """Per service, the people waiting and the estimate a new (not special-care) ticket would get now.

        Reads only: the hall board shows it without issuing or recording anything.
        """
        now = self.clock()
        with self._lock, self.store.reading(self.day_of(now)) as r:
            waiting = queue.waiting_order(r.live, self.cfg.priority.rule, self._head_start_s())
            learned = estimate_log.learned_waits(self.store)
            result = []
            for svc in self.cfg.services:
                ahead = sum(1 for t in waiting if t.service == svc.code)  # all before a ticket issued now
                inp = self._estimate_input(r, svc, ahead, False, now)
                result.append(Outlook(svc.code, ahead, estimate_wait(inp, learned)))
        return result

    def remaining_waits(self, tickets: list[LiveTicket]) -> list[tuple[int, WaitEstimate]]:
        """For each waiting ticket, the people ahead of it now and the estimate of its wait from now.

        One read transaction for all of them (the phone pages open at once); records nothing.
        """
        now = self.clock()
        result = []
        with self._lock, self.store.reading(self.day_of(now)) as r:
            learned = estimate_log.learned_waits(self.store)
            basis: dict[str, EstimateInput] = {}  # a service's counters and service times, read once
            for live in tickets:
                ahead = queue.ahead_of(r.live, live, self.cfg.priority.rule, self._head_start_s())
                if live.service not in basis:
                    basis[live.service] = self._estimate_input(r, self._service(live.service), 0, False, now)
                inp = replace(basis[live.service], ahead=ahead, priority=live.ticket.priority)
                result.append((ahead, estimate_wait(inp, learned)))
        return result

    # -- the counter's actions --------------------------------------------------
    def call_next(self, counter: int, staff: str | None = None) -> LiveTicket | None:
        """Call the next ticket this counter serves (``staff`` None: the clerk signed in there), or None."""
        self._counter(counter)
        services = self.cfg.services_of_counter(counter)
        now = self.clock()
        with self._lock, self.store.writing(self.day_of(now)) as w:
            chosen = queue.choose_next(
                w.live,
                counter,
                services,
                self.cfg.priority.rule,
                self._head_start_s(),
                prefer=self.cfg.counter(counter).prefer,
            )
            if chosen is None:
                return None
            moved = w.move(
                chosen, State.CALLED, Action.CALL, now, counter=counter, staff=self._caller(w, counter, staff)
            )
            clerks = self._follow_tickets(w, {counter}, now)
        self._publish(TicketChanged(moved))
        self._publish_all(clerks)
        return moved

    def act(
        self,
        number: str,
        action: Action,
        counter: int | None = None,
        staff: str | None = None,
        service: str | None = None,
    ) -> LiveTicket:
        """Apply a lifecycle ``action`` to today's ticket ``number``."""
        if counter is not None:
            self._counter(counter)
        if service is not None:
            self._service(service)
        number = number.strip().upper()
        now = self.clock()
        with self._lock, self.store.writing(self.day_of(now)) as w:
            live = w.find_live(number)
            if live is None:
                final = w.final_state(number)
                if final is None:
                    raise UsageError(f"no ticket {number} today")
                if action is not Action.RECALL or final is not State.NO_SHOW:
                    lifecycle.next_state(final, action)  # raises with the reason
                live = w.revive(number)
            state = lifecycle.next_state(live.state, action)
            if action is Action.TRANSFER:
                if service is None and counter is None:
                    raise UsageError("a transfer needs a service or a counter to go to")
                moved = w.move(live, state, action, now, service=service, counter=counter, staff=staff)
            else:
                keep_counter = counter if counter is not None else live.period.counter
                keep_staff = staff if staff is not None else live.period.staff
                moved = w.move(live, state, action, now, counter=keep_counter, staff=keep_staff)
            at_counters = {c for c in (live.period.counter, moved.period.counter) if c is not None}
            clerks = self._follow_tickets(w, at_counters, now)
        self._publish(TicketChanged(moved))
        self._publish_all(clerks)
        return moved

    def call(self, number: str, counter: int, staff: str | None = None) -> LiveTicket:
        return self.act(number, Action.CALL, counter=counter, staff=staff)

    def call_ticket(self, number: str, counter: int, staff: str | None = None) -> LiveTicket:
        """Call one particular waiting ticket (the customer at the counter shows their number).

        Recorded as a call like :meth:`call_next`; the ticket must be waiting and be one this
        counter may call (its service, or transferred to it), else a LifecycleError says why.
        """
        self._counter(counter)
        number = number.strip().upper()
        now = self.clock()
        with self._lock, self.store.writing(self.day_of(now)) as w:
            live = w.find_live(number)
            current = live.state if live is not None else w.final_state(number)
            if current is None:
                raise UsageError(f"no ticket {number} today")
            lifecycle.next_state(current, Action.CALL)  # raises with the reason (already called, served…)
            assert live is not None  # only a waiting ticket may be called, and a waiting one is live
            if not queue.eligible(live, counter, self.cfg.services_of_counter(counter)):
                raise LifecycleError(f"ticket {number} is for {live.service}, which counter {counter} does not serve")
            moved = w.move(live, State.CALLED, Action.CALL, now, counter=counter, staff=self._caller(w, counter, staff))
            clerks = self._follow_tickets(w, {counter}, now)
        self._publish(TicketChanged(moved))
        self._publish_all(clerks)
        return moved

    @staticmethod
    def _caller(w: Writer, counter: int, staff: str | None) -> str | None:
        """Who calls: ``staff``, or for a call from a script the clerk signed in at the counter, if any."""
        if staff is not None:
            return staff
        clerk = staff_log.open_period(w.store, counter)
        return clerk.staff if clerk is not None and clerk.state is not StaffState.SIGNED_OUT else None

    def reprint(self, number: str, counter: int | None = None) -> Reprinted:
        """Print today's ticket ``number`` again: the same number, recorded in the log.

        ``counter`` None: asked at the kiosk, which prints it at once (the log says printed);
        a counter's request waits in the log for the kiosk that holds the printer
        (:meth:`pending_reprints`). What to print comes back (its wait as of now).
        """
        if counter is not None:
            self._counter(counter)
        now = self.clock()
        ticket = self.store.find_ticket(self.day_of(now), number.strip().upper())
        if ticket is None:
            raise UsageError(f"no ticket {number.strip().upper()} today")
        with self._lock:
            reprint_id = reprints.request(self.store, ticket.id, now, counter, printed=counter is None)
        return self._reprinted(ticket, reprint_id, counter)

    def pending_reprints(self) -> list[Reprinted]:
        """Reprints asked for at a counter, each claimed for this kiosk to print (never two kiosks)."""
        now = self.clock()
        claimed = []
        for request in reprints.pending(self.store):
            with self._lock:
                taken = reprints.claim(self.store, request.id, now)
            ticket = self.store.find_ticket(request.day, request.number) if taken else None
            if ticket is not None:
                claimed.append(self._reprinted(ticket, request.id, request.counter))
        return claimed

    def _reprinted(self, ticket: Ticket, reprint_id: int, counter: int | None) -> Reprinted:
        """The ticket as issued, with the people ahead and the wait as of now (while it still waits)."""
        day = ticket.day
        with self._lock:
            live = next((t for t in self.store.live(day) if t.ticket.id == ticket.id), None)
            token = reprints.status_token(self.store, ticket.id)
        if live is not None and live.state is State.WAITING:
            ((ahead, estimate),) = self.remaining_waits([live])
        else:
            ahead, estimate = 0, WaitEstimate(0.0, 0.0, 0.0)
        service = live.service if live is not None else self._last_service(ticket)
        issued = Issued(ticket, service, ahead, estimate, token or "")
        return Reprinted(reprint_id, issued, counter)

    def _last_service(self, ticket: Ticket) -> str:
        """A finished ticket's service: the one its last period was for."""
        _, periods = self.store.day_history(ticket.day)
        return [p.service for p in periods if p.ticket_id == ticket.id][-1]

    def rate(self, number: str, rating: int, day: str | None = None) -> bool:
        """Store the customer's 1-5 rating of a finished ticket (once)."""
        if not 1 <= rating <= 5:
            raise UsageError(f"a rating is 1 to 5, not {rating}")
        now = self.clock()
        ticket = self.store.find_ticket(day or self.day_of(now), number.strip().upper())
        if ticket is None:
            raise UsageError(f"no ticket {number} today")
        with self._lock:
            return self.store.record_feedback(ticket.id, rating, now)

    # -- closing the day (kiosk.core.closing decides) ------------------------------------
    def close_overdue(self) -> list[LiveTicket]:
        """Close every ticket the branch's closing has closed by now (past days, today after closing).

        What the running kiosk and consoles call at start and every little while: a machine
        that was off at closing time closes the day, at its closing time, when it starts.
        Reads first and writes only when something is due; idempotent.
        """
        now = self.clock()
        today = self.day_of(now)
        hours = self.cfg.branch.opening_hours
        with self._lock, self.store.reading(today) as r:
            if not closing.due_closes(r.open_through(today), now, hours, self._tz):
                return []
        with self._lock, self.store.writing(today) as w:  # decided again under the lock: another may have closed
            closed = [self._close(w, c) for c in closing.due_closes(w.open_through(today), now, hours, self._tz)]
            moved = self._follow_tickets(w, {c.period.counter for c in closed if c.period.counter is not None}, now)
        for live in closed:
            self._publish(TicketChanged(live))
        self._publish_all(moved)
        return closed

    def close_day(self, day: str) -> list[LiveTicket]:
        """Close every open ticket of the branch-local ``day`` by hand (``frontdesk day close``).

        Closed at the day's closing time, or now when closing it early; idempotent.
        """
        now = self.clock()
        if day > self.day_of(now):
            raise UsageError(f"--day {day} is in the future (today is {self.day_of(now)})")
        with self._lock, self.store.writing(day) as w:
            due = closing.closes_of_day(w.live, day, now, self.cfg.branch.opening_hours, self._tz)
            closed = [self._close(w, c) for c in due]
            moved = self._follow_tickets(w, {c.period.counter for c in closed if c.period.counter is not None}, now)
        for live in closed:
            self._publish(TicketChanged(live))
        self._publish_all(moved)
        return closed

    @staticmethod
    def _close(w: Writer, close: closing.Close) -> LiveTicket:
        live = close.live
        state = lifecycle.next_state(live.state, Action.CLOSE_DAY)
        return w.move(live, state, Action.CLOSE_DAY, close.at, counter=live.period.counter, staff=live.period.staff)

    # -- the clerks' states (kiosk.core.staffing) -----------------------------------------
    def sign_in(self, counter: int, staff: str) -> StaffPeriod:
        """``staff`` starts at ``counter``: whoever was signed in there is signed out first
        (a console that stopped without signing out). Serving at once if a customer is there."""
        self._counter(counter)
        now = self.clock()
        with self._lock, self.store.writing(self.day_of(now)) as w:
            before = staff_log.open_period(w.store, counter)
            if before is not None and before.state is not StaffState.SIGNED_OUT:
                staff_log.begin(w.store, counter, before.staff, StaffState.SIGNED_OUT, None, now)
            period = staff_log.begin(w.store, counter, staff, StaffState.SIGNED_IN, None, now)
            period = (self._follow_tickets(w, {counter}, now) or [period])[-1]
        self._publish(StaffChanged(period))
        return period

    def set_staff_state(
        self, counter: int, state: StaffState, reason: str | None = None, staff: str | None = None
    ) -> StaffPeriod:
        """Move the clerk signed in at ``counter`` to ``state`` (a break with one of ``[staff]
        break_reasons``); the same state again records nothing. Signing in is :meth:`sign_in`."""
        self._counter(counter)
        if state is StaffState.SERVING:
            raise UsageError("serving follows the counter's tickets: call a customer")
        now = self.clock()
        with self._lock, self.store.writing(self.day_of(now)) as w:
            current = staff_log.open_period(w.store, counter)
            if current is None or current.state is StaffState.SIGNED_OUT:
                raise UsageError(f"nobody is signed in at counter {counter}")
            if staff is not None and staff != current.staff:
                raise UsageError(f"{staff} is not signed in at counter {counter} ({current.staff} is)")
            wanted = next_staff_state(current.state, state, reason, self.cfg.staff.break_reasons)
            if wanted is current.state:
                return current
            period = staff_log.begin(w.store, counter, current.staff, wanted, reason, now)
            if wanted is StaffState.SIGNED_IN:  # back at the counter with a customer waiting there
                period = (self._follow_tickets(w, {counter}, now) or [period])[-1]
        self._publish(StaffChanged(period))
        return period

    def sign_out(self, counter: int) -> StaffPeriod | None:
        """The clerk at ``counter`` leaves it (None: nobody was signed in)."""
        self._counter(counter)
        now = self.clock()
        with self._lock, self.store.writing(self.day_of(now)) as w:
            current = staff_log.open_period(w.store, counter)
            if current is None or current.state is StaffState.SIGNED_OUT:
                return None
            period = staff_log.begin(w.store, counter, current.staff, StaffState.SIGNED_OUT, None, now)
        self._publish(StaffChanged(period))
        return period

    def staff_state(self, counter: int) -> StaffPeriod | None:
        """The clerk's state at ``counter`` now (None: nobody has signed in there yet)."""
        now = self.clock()
        with self._lock, self.store.reading(self.day_of(now)) as r:
            return staff_log.open_period(r.store, counter)

    def _follow_tickets(self, w: Writer, counters: set[int], now: float) -> list[StaffPeriod]:
        """Serving starts and ends with the counter's customer (inside the ticket's transaction)."""
        moved = []
        for counter in sorted(counters):
            current = staff_log.open_period(w.store, counter)
            if current is None:
                continue
            busy = any(t.period.counter == counter and t.state in (State.CALLED, State.SERVING) for t in w.live)
            wanted = follow_tickets(current.state, busy)
            if wanted is not None:
                moved.append(staff_log.begin(w.store, counter, current.staff, wanted, None, now))
        return moved

    def _publish_all(self, periods: list[StaffPeriod]) -> None:
        for period in periods:
            self._publish(StaffChanged(period))

    # -- what the adapters observe ------------------------------------------------
    def observe(self, obs: QueueObservation) -> None:
        """The camera's latest count; logged, and used by alerts and estimates.

        One more person in line than a moment ago is someone walking up: the kiosk
        hears it as a Presence from the camera and wakes to greet them.
        """
        previous, self._observation = self._observation, obs
        with self._lock:
            self.store.record_observation(obs)
        self._publish(obs)
        if previous is not None and obs.people > previous.people:
            self._publish(Presence(at=obs.at, source="camera"))

    def notify_presence(self, presence: Presence) -> None:
        """Someone walked up to the kiosk: the kiosk wakes and greets."""
        self._publish(presence)

    # -- state out -------------------------------------------------------------
    def snapshot(self) -> QueueSnapshot:
        now = self.clock()
        day = self.day_of(now)
        with self._lock, self.store.reading(day) as r:
            live = r.live
            clerks = staff_log.open_periods(r.store)
        obs = self._observation
        fresh = obs if obs is not None and now - obs.at < 10.0 else None
        return QueueSnapshot(at=now, day=day, tickets=tuple(live), observation=fresh, staff=tuple(clerks))

    def waiting_order(self, snap: QueueSnapshot) -> list[LiveTicket]:
        return queue.waiting_order(snap.tickets, self.cfg.priority.rule, self._head_start_s())

    def tick(self) -> AlertsChanged:
        """Evaluate the standard now; log alerts raised and cleared; tell listeners.

        Whether the alerts are acknowledged is the branch's one answer, read from the log.
        """
        snap = self.snapshot()
        in_force = alerts_in_force(snap, self.cfg)
        changes = diff_alerts(self._alerts, in_force)
        with self._lock:
            if changes.raised or changes.cleared:
                self.store.log_alert_changes(changes.raised, changes.cleared, snap.at)
            open_unacknowledged = alert_state.unacknowledged(self.store)
        self._alerts = in_force
        event = AlertsChanged(in_force, changes.raised, changes.cleared, overall_level(in_force), open_unacknowledged)
        if changes.raised or changes.cleared:
            self._publish(event)
        return event

    def acknowledge_alerts(self, counter: int) -> AlertsChanged:
        """Acknowledge the alerts in force for the whole branch, from ``counter`` (written to the log).

        Every console and the alert light see it at their next read, whichever console drives
        the light; listeners here hear it at once.
        """
        self._counter(counter)
        with self._lock:
            alert_state.acknowledge(self.store, self.clock(), counter)
            left = alert_state.unacknowledged(self.store)
        event = AlertsChanged(list(self._alerts), [], [], overall_level(self._alerts), left)
        self._publish(event)
        return event
