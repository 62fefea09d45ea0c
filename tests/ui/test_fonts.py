"""Every character the screens can show is in the font they use (DejaVuSans), proved with fontTools."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from config import load_config
from kiosk.i18n import LANGUAGE_NAMES, LANGUAGES, read_catalog
from kiosk.ui.lockdown import font_path

# drawn by the screens themselves besides catalog strings: PIN dots, the priority star, ranges
SCREEN_SYMBOLS = "●★–·…%/0123456789"


def shown_texts() -> list[str]:
    texts = list(LANGUAGE_NAMES.values()) + [SCREEN_SYMBOLS]
    for lang in LANGUAGES:
        for m in read_catalog(lang):
            if m.id:
                texts += list(m.string) if isinstance(m.string, tuple) else [m.string]
    cfg = load_config(None)
    texts += [name for s in cfg.services for name in s.names.values()] + [cfg.branch.name]
    return texts


def test_the_screen_font_has_every_glyph():
    cmap = TTFont(str(font_path())).getBestCmap()
    missing = {ch for text in shown_texts() for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert not missing, f"characters DejaVuSans cannot draw: {sorted(missing)}"


def test_the_font_check_would_catch_armenian_in_roboto():
    """The check is not vacuous: Kivy's default Roboto lacks Armenian."""
    roboto = font_path().with_name("Roboto-Regular.ttf")
    cmap = TTFont(str(roboto)).getBestCmap()
    assert any(ord(ch) not in cmap for ch in LANGUAGE_NAMES["hy"])
