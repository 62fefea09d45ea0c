"""The manager's Camera zone page, without a window: the zone being adjusted, what the
counter sees now, and Save.

The page lives in the kiosk's process, beside the watcher that holds the camera:
frames never leave that process (a staff console elsewhere gets counts only).
Save applies the zone to the running counter at once and writes it into the
branch's config file, so that it survives a restart::

    page = CameraZonePage(watcher, Path("branch.toml"), tr, "en")
    page.open()                           # the editor starts from the zone in use
    page.editor.press(0.05, 0.35); page.editor.drag(0.1, 0.4); page.editor.release()
    page.save()
    page.message                          # 'Saved: the counter uses the new zone now.'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from config.writer import write_zone
from kiosk.errors import FrontdeskError
from kiosk.i18n import N_, Translator
from kiosk.ui import wording
from kiosk.ui.presenter import Note, Presenter
from vision.zone_editor import ZoneEditor

if TYPE_CHECKING:  # the watcher comes from the kiosk command, which started it
    from vision.watch import QueueWatcher


class CameraZonePage(Presenter):
    def __init__(self, watcher: QueueWatcher, config_path: Path | None, tr: Translator, lang: str) -> None:
        """``watcher``: the running vision.watch.QueueWatcher; ``config_path``: the branch
        file the kiosk was started from (None: the built-in example, not to be written)."""
        self.watcher = watcher
        self.config_path = config_path
        self.tr = tr
        self.lang = lang
        self.editor = ZoneEditor(watcher.zone.corners)
        self.failed = False  # the message is a problem, not a confirmation
        self._note: Note | None = None  # the message, worded when shown (the language may change)
        self._listeners: list[Callable[[], None]] = []

    def open(self) -> None:
        """Start from the zone the counter uses now; forget what a Back left unsaved."""
        self.editor = ZoneEditor(self.watcher.zone.corners)
        self._say(None)

    def zone_moved(self) -> None:
        if self._note is not None:
            self._say(None)

    def save(self) -> None:
        """Apply the zone to the counter now, then write it into the config file; if the
        file cannot be written the zone stays applied until the kiosk restarts."""
        self.watcher.set_zone(self.editor.corners)
        if self.config_path is None:
            self._say(
                Note(N_("Applied now. This kiosk runs on the example settings, so the zone is lost when it restarts.")),
                failed=True,
            )
            return
        try:
            write_zone(self.config_path, self.editor.corners)
        except FrontdeskError:
            self._say(
                Note(
                    N_("Applied now, but %(path)s cannot be written: the zone is lost when the kiosk restarts."),
                    {"path": str(self.config_path)},
                ),
                failed=True,
            )
        else:
            self._say(Note(N_("Saved: the counter uses the new zone now.")))

    def _say(self, note: Note | None, failed: bool = False) -> None:
        self._note, self.failed = note, failed
        self._changed()

    @property
    def message(self) -> str:
        return self.word(self._note)

    # -- what the page shows ---------------------------------------------------------------------
    def live_lines(self) -> list[str]:
        """What the counter sees now, worded as on the staff console."""
        obs = self.watcher.last_observation
        if obs is None:
            return []
        lines = [wording.people_in_line(self.tr, self.lang, obs.people)]
        if obs.longest_wait_s is not None:
            lines.append(wording.longest_in_line(self.tr, self.lang, obs.longest_wait_s))
        return lines

    def picture_note(self, has_picture: bool) -> str:
        """What stands in for the picture while there is none."""
        if has_picture:
            return ""
        if not self.watcher.available:
            return self.t(N_("The camera is not available now."))
        return self.t(N_("Waiting for the picture…"))
