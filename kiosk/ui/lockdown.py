"""Kivy's settings for a kiosk, set before the window exists.

Full screen, no cursor, the screen never blanks, Esc does not quit, and the app
keeps no per-user Kivy settings file. The default font becomes Kivy's bundled
DejaVuSans, which has Mongolian Cyrillic (Ө, Ү), the tugrik sign and Armenian;
Kivy's own default (Roboto) has no Armenian::

    prepare_kivy(fullscreen=True)         # before importing kiosk.ui.app
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

from kiosk.errors import FrontdeskError

FONT_NAME = "DejaVuSans.ttf"


def font_path() -> Path:
    """Kivy's bundled DejaVuSans, found without importing Kivy (importing it sets up its logging)."""
    spec = importlib.util.find_spec("kivy")
    if spec is None or spec.origin is None:  # a broken set-up: say so rather than crash
        raise FrontdeskError("Kivy is not installed in this environment (make run sets it up)")
    return Path(spec.origin).parent / "data" / "fonts" / FONT_NAME


def prepare_kivy(fullscreen: bool = False, size: tuple[int, int] = (1280, 800), cursor: bool = True) -> None:
    """Configure Kivy for the screens; must run before ``kivy.core.window`` is imported."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # our options are not Kivy's
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    # Kivy's own console log is chatty at start; keep its warnings and errors only
    os.environ.setdefault("KIVY_LOG_MODE", "MIXED")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    from kivy.config import Config
    from kivy.logger import Logger

    if not any(isinstance(h, logging.StreamHandler) for h in Logger.handlers):
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        console.setFormatter(logging.Formatter("kivy %(levelname)s: %(message)s"))
        Logger.addHandler(console)

    Config.set("kivy", "exit_on_escape", "0")  # Esc asks for a manager PIN instead
    Config.set("kivy", "log_level", "warning")
    Config.set("graphics", "allow_screensaver", "0")  # the screen never blanks while open
    Config.set("graphics", "show_cursor", "1" if cursor else "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "resizable", "1")
    # touch panels only; no red multitouch-emulation dots from a right click
    Config.set("input", "mouse", "mouse,disable_multitouch")
    from kivy.core.text import DEFAULT_FONT, LabelBase

    LabelBase.register(DEFAULT_FONT, str(font_path()))
