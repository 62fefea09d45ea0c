"""What every screen's presenter shares: listeners told of changes, and its language.

A presenter subclass sets ``self.tr`` (kiosk.i18n translations), ``self.lang`` and
``self._listeners = []`` in its ``__init__``; the screens subscribe and redraw::

    flow.subscribe(screen.refresh)
    flow.t("Thank you!")   # in the presenter's current language
    view.set_language("ru")  # what is on show is worded again, the screens redraw
"""

from __future__ import annotations

from collections.abc import Callable


class Presenter:
    tr: object
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

    def set_language(self, lang: str) -> None:
        """Speak ``lang`` from now on: what is on show is worded again, then the screens redraw."""
        self.lang = lang
        self._reword()
        self._changed()

    def _reword(self) -> None:
        """Word again what was worded when it arrived.

        Nothing to do for a presenter that words its text each time a screen reads it;
        one that keeps worded text (the manager's tiles) overrides this.
        """
