"""What a window reads again when the log changes in another process: pushed, not polled.

The change feed (:class:`kiosk.store.changes.ChangeFeed`: PostgreSQL ``LISTEN/NOTIFY``,
SQLite ``PRAGMA data_version``) says *that* something was written; :class:`LiveUpdates`
decides what each presenter of this window reads again, one read at a time per presenter
(:class:`kiosk.ui.backend.GuardedPoll`: changes heard during a read fold into one more)::

    live = LiveUpdates(runner, console=console, flow=flow, print_again=app.print_again)
    feed = ChangeFeed(url, on_change=on_ui_thread(live.changed), on_status=on_ui_thread(live.link))

- the console reads the queue and the branch's alert state (an acknowledgement given at
  another console turns its banner off, and the light it drives);
- the kiosk sees tickets finished at a counter (to ask for a rating) and prints the
  reprints a counter asked for (when it holds the printer);
- the counter screen reads its counter's ticket.

When the database goes away (``link(False)``) the kiosk shows its out-of-service screen and
the console says it is retrying; the feed's return brings one ``changed()``. Both methods run
on the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.core.model import QueueSnapshot, State
from kiosk.engine import Reprinted
from kiosk.errors import FrontdeskError, StoreError
from kiosk.ui.backend import GuardedPoll, Runner
from kiosk.ui.counter_display import CounterDisplay
from kiosk.ui.kiosk_flow import KioskFlow, Step
from kiosk.ui.staff_console import StaffConsole, read_queue

log = logging.getLogger(__name__)


class LiveUpdates:
    """Routes "the log changed" to the presenters of one window."""

    def __init__(
        self,
        run: Runner,
        console: StaffConsole | None = None,
        flow: KioskFlow | None = None,
        display: CounterDisplay | None = None,
        print_again: Callable[[Reprinted], None] | None = None,
    ):
        self.console, self.flow, self.display, self.print_again = console, flow, display, print_again
        self._console_read, self._kiosk_read, self._display_read, self._reprints = (GuardedPoll(run) for _ in range(4))
        self.serving: dict[str, str | None] = {}  # the kiosk's last read: number -> language, being served
        self.serving_day = ""

    def read_console(self) -> None:
        """Read the queue and the standard for the console (also as time passes: see the app)."""
        if self.console is not None and self.console.staff is not None:
            self._console_read(read_queue, self.console.refreshed, self.console.failed)

    def changed(self) -> None:
        """Something was written to the log (here or elsewhere): read again what is on show."""
        self.read_console()
        if self.flow is not None and self.flow.step is not Step.OUT_OF_SERVICE:
            self._kiosk_read(lambda e: e.snapshot(), self._kiosk_snapshot, self._kiosk_failed)
        if self.display is not None:
            self._display_read(lambda e: e.snapshot(), self.display.apply_snapshot, self._logged("counter screen"))
        if self.print_again is not None:
            self._reprints(lambda e: e.pending_reprints(), self._print_all, self._logged("reprints"))

    def link(self, connected: bool) -> None:
        """The feed's word on the database: gone (say so at once) or back (a read follows)."""
        if connected:
            return
        lost = StoreError("the database cannot be reached")
        if self.flow is not None:
            self.flow.out_of_service()
        if self.console is not None and self.console.staff is not None:
            self.console.failed(lost)

    def _kiosk_snapshot(self, snap: QueueSnapshot) -> None:
        """Tickets served at a counter and now gone from the live queue were finished: ask for a rating."""
        assert self.flow is not None
        live = {t.ticket.number for t in snap.tickets}
        if snap.day == self.serving_day:
            for number, lang in self.serving.items():
                if number not in live:  # finish is the only way out of serving
                    self.flow.ticket_finished(number, lang)
        self.serving_day = snap.day
        self.serving = {t.ticket.number: t.ticket.language for t in snap.tickets if t.state is State.SERVING}

    def _kiosk_failed(self, err: FrontdeskError) -> None:
        if isinstance(err, StoreError) and self.flow is not None:
            self.flow.out_of_service()

    def _print_all(self, claimed: list[Reprinted]) -> None:
        assert self.print_again is not None
        for reprinted in claimed:
            self.print_again(reprinted)

    @staticmethod
    def _logged(what: str) -> Callable[[FrontdeskError], None]:
        return lambda err: log.warning("%s: reading the log failed: %s", what, err)
