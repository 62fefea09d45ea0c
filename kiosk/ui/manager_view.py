"""The manager's screen, without a window: today's figures as tiles, waiting by hour, breaches.

The figures come from :func:`kiosk.reports.build_report`; this class only words
and formats them (no figure is computed here)::

    view = ManagerView(cfg, tr, "en")
    view.show(build_report(store, cfg, today, today))
    [(t.label, t.value) for t in view.tiles][:2]     # [('Arrived', '42'), ('Served', '37')]
    view.set_language("ru")                            # the same figures, worded again
    [t.label for t in view.tiles][:2]                  # ['Пришли', 'Обслужено']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from config.schema import BranchConfig
from kiosk.i18n import N_, N_plural, Translator
from kiosk.reports.report_shape import Report
from kiosk.ui import wording
from kiosk.ui.presenter import Note, Presenter

NO_VALUE = "–"


@dataclass(frozen=True)
class Tile:
    label: str
    value: str


@dataclass(frozen=True)
class HourBar:
    hour: int
    wait_min: float  # mean wait of those served who arrived in this hour
    arrived: int


class ManagerView(Presenter):
    def __init__(self, cfg: BranchConfig, tr: Translator, lang: str):
        self.cfg = cfg
        self.tr = tr
        self.lang = lang
        self.tiles: list[Tile] = []
        self.hours: list[HourBar] = []
        self.breaches: list[str] = []
        self.day = ""
        self._listeners: list[Callable[[], None]] = []
        # what is on show, kept unworded so that a change of language can word it again
        self._report: Report | None = None
        self._note: Note | None = None

    def _minutes(self, seconds: float | None) -> str:
        return NO_VALUE if seconds is None else wording.short_minutes(self.tr, self.lang, seconds)

    def show(self, report: Report) -> None:
        """Word the figures of a report (what ``kiosk.reports.build_report`` returns)."""
        self._report, self._note = report, None
        self._reword()
        self._changed()

    @property
    def message(self) -> str:
        """The export's or a failure's message, in the current language."""
        return self.word(self._note)

    def _reword(self) -> None:
        report = self._report
        if report is None:
            return
        k = report["totals"]
        level = k.get("service_level")
        rating = k.get("rating_mean")
        self.day = report.get("to") or report.get("from") or ""
        self.tiles = [
            Tile(self.t(N_("Arrived")), str(k["arrived"])),
            Tile(self.t(N_("Served")), str(k["served"])),
            Tile(self.t(N_("Walked away")), str(k["abandoned"])),
            Tile(self.t(N_("Did not come")), str(k["no_show"])),
            Tile(self.t(N_("Average wait")), self._minutes(k.get("wait_mean_s"))),
            Tile(self.t(N_("9 in 10 waited under")), self._minutes(k.get("wait_p90_s"))),
            Tile(self.t(N_("Served within the standard")), NO_VALUE if level is None else f"{round(level * 100)} %"),
            Tile(self.t(N_("Average service time")), self._minutes(k.get("service_mean_s"))),
            Tile(self.t(N_("Customer rating")), NO_VALUE if rating is None else f"{rating:.1f} / 5"),
        ]
        self.hours = [
            HourBar(int(h["hour"]), (h.get("wait_mean_s") or 0.0) / 60.0, int(h["arrived"]))
            for h in report.get("by_hour", [])
        ]
        self.breaches = [
            f"{(b.get('raised_at') or '')[11:16]}  "
            + wording.alert_sentence(self.tr, self.lang, b["kind"], b["subject"], b["value"], b["limit"])
            for b in report.get("breaches", [])
            if b.get("level") == "breach"
        ]

    def no_breaches_text(self) -> str:
        return self.t(N_("No breaches of the standard today."))

    def exported(self, rows: int, path: str) -> None:
        self._say(
            Note(
                N_plural("Saved %(n)d visit to %(path)s", "Saved %(n)d visits to %(path)s"),
                {"n": rows, "path": path},
                count=rows,
            )
        )

    def failed(self) -> None:
        """The figures could not be read: the last ones stay on show under the message."""
        self._say(Note(N_("The figures cannot be read now. Please try again.")))

    def _say(self, note: Note) -> None:
        self._note = note
        self._changed()
