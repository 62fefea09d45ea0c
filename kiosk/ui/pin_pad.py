"""Signing in on the on-screen keypad: pick your name, type your PIN.

The answer to a wrong PIN is the same whether the name has a PIN or not, and the
digits are never shown, only dots::

    pad = PinPad("staff", pins, tr, "en", run_pin)
    pad.choose("Saraa"); [pad.key(d) for d in "2580"]; pad.enter()
    pad.signed_in        # 'Saraa'

A message (wrong PIN, locked out) is kept unworded and worded when read, so a change of
the staff language (``pad.set_language("ru")``) words it again.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kiosk.i18n import N_, N_plural, Translator
from kiosk.store.pins import PinCheck
from kiosk.ui.presenter import Note, Presenter

MAX_DIGITS = 8
# A PIN check takes ~50 ms of scrypt; the app runs it off the UI thread.
Check = Callable[[str, str, str, Callable[[PinCheck], None]], None]


class PinPad(Presenter):
    def __init__(self, role: str, names: list[str], tr: Translator, lang: str, check: Check):
        self.role = role
        self.names = names
        self.tr = tr
        self.lang = lang
        self._check = check
        self.name: str | None = names[0] if len(names) == 1 else None
        self.digits = ""
        self._note: Note | None = None  # the message on show, unworded
        self.checking = False
        self.signed_in: str | None = None
        self._listeners: list[Callable[[], None]] = []

    def title(self) -> str:
        return self.t(N_("Manager sign-in") if self.role == "manager" else N_("Staff sign-in"))

    def prompt(self) -> str:
        if not self.names:
            return self.t(N_("No PIN has been set for this role. Use: frontdesk pin set"))
        if self.name is None:
            return self.t(N_("Touch your name"))
        return self.t(N_("%(name)s, enter your PIN")) % {"name": self.name}

    @property
    def message(self) -> str:
        """What the pad has to say (wrong PIN, locked out…), in the current language."""
        return self.word(self._note)

    def dots(self) -> str:
        return "●" * len(self.digits)

    def reset(self, names: list[str] | None = None) -> None:
        if names is not None:
            self.names = names
        self.name = self.names[0] if len(self.names) == 1 else None
        self.digits, self._note, self.checking, self.signed_in = "", None, False, None
        self._changed()

    def choose(self, name: str) -> None:
        if name in self.names and not self.checking:
            self.name, self.digits, self._note = name, "", None
            self._changed()

    def key(self, digit: str) -> None:
        if self.checking or self.name is None or len(self.digits) >= MAX_DIGITS or not digit.isdigit():
            return
        self.digits += digit
        self._note = None
        self._changed()

    def clear(self) -> None:
        if not self.checking:
            self.digits = ""
            self._changed()

    def enter(self) -> None:
        if self.checking or self.name is None or not self.digits:
            return
        self.checking = True
        self._changed()
        pin, self.digits = self.digits, ""
        self._check(self.role, self.name, pin, self._answered)

    def unavailable(self) -> None:
        """The PIN could not be checked (the database is down): say so, not "wrong PIN"."""
        self.checking = False
        self._note = Note(N_("The PIN cannot be checked now: the database cannot be reached."))
        self._changed()

    def _answered(self, check: PinCheck) -> None:
        self.checking = False
        if check.ok:
            self.signed_in = self.name
            self._note = None
        elif check.locked_for_s > 0:
            minutes = max(1, math.ceil(check.locked_for_s / 60))
            self._note = Note(
                N_plural(
                    "Too many wrong tries. Try again in %(n)d minute.",
                    "Too many wrong tries. Try again in %(n)d minutes.",
                ),
                {"n": minutes},
                count=minutes,
            )
        else:
            self._note = Note(N_("Wrong PIN. Please try again."))
        self._changed()
