"""What every screen's presenter shares: listeners told of changes, and its language.

A presenter subclass sets ``self.tr`` (kiosk.i18n translations), ``self.lang`` and
``self._listeners = []`` in its ``__init__``; the screens subscribe and redraw::

    flow.subscribe(screen.refresh)
    flow.t("Thank you!")   # in the presenter's current language
    view.set_language("ru")  # what is on show is worded again, the screens redraw

A message that stays on show (a wrong PIN, a saved file) is kept as a :class:`Note`,
its source text and values, and worded in the current language each time it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kiosk.i18n import Translator


@dataclass(frozen=True)
class Note:
    """A message unworded: its msgid (or singular and plural, for a count) and its values::

    Note(N_("Wrong PIN. Please try again.")).worded(tr, "ru")     # 'Неверный PIN. …'
    saved = Note(N_plural("Saved %(n)d visit to %(path)s", "Saved %(n)d visits to %(path)s"),
                 {"n": 21, "path": "/tmp/day.csv"}, count=21)
    saved.worded(tr, "ru")                                        # 'Сохранён 21 визит …'
    """

    text: str | tuple[str, str]
    values: Mapping[str, object] = field(default_factory=dict)
    count: int | None = None  # picks the plural form; required when text is a pair

    def __post_init__(self) -> None:
        if isinstance(self.text, tuple) and self.count is None:
            raise ValueError(f"a message with a plural needs its count: {self.text[0]!r}")

    def worded(self, tr: Translator, lang: str) -> str:
        if isinstance(self.text, tuple):
            assert self.count is not None, "__post_init__ refuses a plural without its count"
            said = tr.ngettext(lang, *self.text, self.count)
        else:
            said = tr.gettext(lang, self.text)
        return said % self.values if self.values else said


class Presenter:
    tr: Translator
    lang: str
    _listeners: list[Callable[[], None]]

    def subscribe(self, listener: Callable[[], None]) -> None:
        """``listener()`` runs after every change of what the screens show."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def t(self, message: str) -> str:
        return self.tr.gettext(self.lang, message)

    def word(self, note: Note | None) -> str:
        """``note`` in the current language ("" for no note)."""
        return "" if note is None else note.worded(self.tr, self.lang)

    def set_language(self, lang: str) -> None:
        """Speak ``lang`` from now on: what is on show is worded again, then the screens redraw."""
        self.lang = lang
        self._reword()
        self._changed()

    def _reword(self) -> None:
        """Word again what was worded when it arrived.

        Nothing to do for a presenter that words its text each time a screen reads it
        (a :class:`Note` behind a property, as the PIN pad's message); one that keeps
        worded text (the manager's tiles) overrides this.
        """
