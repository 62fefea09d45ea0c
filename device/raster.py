"""Text the printer's code pages cannot print, drawn as a 1-bit image in the screen's font.

No ESC/POS code page that python-escpos knows holds Mongolian Ө/Ү, the tugrik sign
or Armenian, so such lines are drawn with Pillow in DejaVuSans, the font Kivy ships
and the kiosk screen uses, and sent as a raster image. The image is cropped to the
ink (the printer centres it), because every blank column is bytes on a slow line::

    >>> img = render_line("Таны өмнө: 3 хүн", size_px=26, max_width=576)
    >>> img.mode, img.width <= 576
    ('1', True)
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from device.errors import DeviceError


class FontMissing(DeviceError):
    """The screen font is not where the kivy package keeps it."""


def screen_font_path() -> Path:
    """Kivy's bundled DejaVuSans, found from the installed package without importing Kivy.

    (Importing kivy would configure logging and look for a window; a printer needs neither.)
    """
    spec = importlib.util.find_spec("kivy")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        path = Path(root) / "data" / "fonts" / "DejaVuSans.ttf"
        if path.is_file():
            return path
    raise FontMissing("DejaVuSans.ttf not found in the kivy package (is kivy installed?)")


@lru_cache(maxsize=16)
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(screen_font_path()), size_px)


def render_line(text: str, size_px: int, max_width: int, bold: bool = False) -> Image.Image:
    """``text`` as a black-on-white mode "1" image at most ``max_width`` dots wide.

    Text too wide for the paper is drawn smaller rather than cut off. A hard threshold
    (not dithering) keeps glyph edges clean on a thermal head.
    """
    font = _font(size_px)
    stroke = 1 if bold else 0
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    while right - left > max_width and size_px > 10:
        size_px -= 2
        font = _font(size_px)
        left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    ascent, descent = font.getmetrics()
    width = max(8, min(max_width, right - left))
    # Line height from the font's metrics, not the ink: lines with and without
    # descenders then sit on the same baseline grid.
    gray = Image.new("L", (int(width), ascent + descent), 255)
    ImageDraw.Draw(gray).text((-left, 0), text, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
    return gray.point(lambda v: 0 if v < 128 else 255).convert("1", dither=Image.Dither.NONE)
