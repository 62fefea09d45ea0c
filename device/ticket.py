"""The paper ticket: what it says in each language, and the ESC/POS bytes that print it.

python-escpos does the ESC/POS (text sizes, code-page switching, raster images, cut)
into its :class:`~escpos.printer.Dummy` printer; this module only decides the layout
and, line by line, whether the printer's own code pages can print a line or it must
be drawn (see :mod:`device.raster`)::

    slip = TicketSlip("Sukhbaatar Square Branch", "A042", "Бэлэн мөнгө, төлбөр",
                      datetime(2026, 11, 24, 10, 42), ahead=3, wait_low_min=10, wait_high_min=15, lang="mn")
    job = compose(slip)
    job.data          # bytes for the printer
    job.raster_lines  # 3: service name, people ahead, wait (Ө/Ү); the rest is native text

With ``status_url`` set (``[web] public_url`` plus the ticket's status path) the ticket
carries a QR code of the customer's phone page, drawn by the printer itself (ESC/POS
``GS ( k``) where the profile says it can, else as a raster image.

The ticket number is always native text at 6x size: it is what the customer must
read from across the room, and native glyphs cost a few bytes where an image of the
same size costs kilobytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from device.raster import render_line

if TYPE_CHECKING:  # python-escpos takes ~0.3 s to import: loaded when a ticket is composed
    from escpos.printer import Dummy

LANGUAGES = ("mn", "hy", "en", "ru")

# The words on the ticket, per language, in one place so that they can move into
# the gettext catalogs later. {n}, {wait} are filled in by ticket_lines().
TICKET_TEXTS: dict[str, dict[str, str]] = {
    "mn": {"ahead": "Таны өмнө: {n} хүн", "wait": "Хүлээх хугацаа: {wait} мин", "thanks": "Баярлалаа!"},
    "hy": {"ahead": "Ձեզնից առաջ՝ {n} հոգի", "wait": "Սպասում՝ {wait} րոպե", "thanks": "Շնորհակալություն"},
    "en": {"ahead": "People ahead: {n}", "wait": "Estimated wait: {wait} min", "thanks": "Thank you!"},
    "ru": {"ahead": "Перед вами: {n} чел.", "wait": "Ожидание: {wait} мин", "thanks": "Спасибо!"},
}

DEFAULT_PROFILE = "TM-T20II"  # 80 mm paper, 576 dots, 203 dpi; a common ESC/POS kiosk printer
QR_MODULE_DOTS = 6  # 0.75 mm a module at 203 dpi: a 50-character address is about 25 mm square
NUMBER_SCALE = 6  # Font A 12x24 dots -> 72x144: about 9 mm wide, 18 mm tall per character
BODY_PX, TITLE_PX = 26, 30  # raster text height in dots (203 dpi: 26 dots = 3.3 mm, like Font A)


@dataclass(frozen=True, slots=True)
class TicketSlip:
    """Everything printed on one ticket; all text already in the customer's language."""

    branch: str
    number: str
    service_name: str
    issued_at_local: datetime
    ahead: int
    wait_low_min: int
    wait_high_min: int
    lang: str
    status_url: str | None = None  # the ticket's phone page, printed as a QR code (None: no code)

    def __post_init__(self) -> None:
        if self.lang not in TICKET_TEXTS:
            raise ValueError(f"no ticket texts for language {self.lang!r} (have {', '.join(TICKET_TEXTS)})")


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    size_px: int = BODY_PX
    bold: bool = False


@dataclass(frozen=True, slots=True)
class PrintJob:
    data: bytes
    native_lines: int
    raster_lines: int
    raster_bytes: int
    paper_mm: float  # estimated length of paper fed, for the print-time estimate


def ticket_lines(slip: TicketSlip) -> tuple[Line, Line, list[Line], Line]:
    """(branch, service, detail lines, thanks) of the ticket; the number goes between branch and service."""
    texts = TICKET_TEXTS[slip.lang]
    low, high = sorted((slip.wait_low_min, slip.wait_high_min))
    wait = f"{low}" if low == high else f"{low}-{high}"
    details = [
        Line(slip.issued_at_local.strftime("%Y-%m-%d %H:%M")),
        Line(texts["ahead"].format(n=slip.ahead)),
        Line(texts["wait"].format(wait=wait)),
    ]
    return (
        Line(slip.branch, bold=True),
        Line(slip.service_name, TITLE_PX, bold=True),
        details,
        Line(texts["thanks"], bold=True),
    )


class TicketComposer:
    """Turns slips into print jobs for one printer profile (python-escpos profile name)."""

    def __init__(self, profile: str = DEFAULT_PROFILE, pad_rasters: bool = False) -> None:
        self.profile = profile
        # pad_rasters: some clones ignore ESC a for images; padding to full width centres
        # them anyway at the cost of more bytes.
        self.pad_rasters = pad_rasters
        from escpos.magicencode import Encoder
        from escpos.printer import Dummy

        probe = Dummy(profile=profile)
        self._encoder = Encoder(probe.profile.get_code_pages())
        self._pages = list(probe.profile.get_code_pages())
        media = probe.profile.profile_data.get("media", {})
        try:
            self.width_dots = int(media["width"]["pixels"])
            self.dpi = int(media["dpi"])
        except (KeyError, TypeError, ValueError):
            self.width_dots, self.dpi = 576, 203
        font_a = probe.profile.profile_data.get("fonts", {}).get("0", {})
        self.columns = int(font_a.get("columns", 48))

    def native(self, text: str) -> bool:
        """True if some code page of the profile holds every character of ``text``."""
        return all(any(self._encoder.can_encode(page, ch) for page in self._pages) for ch in text)

    def compose(self, slip: TicketSlip) -> PrintJob:
        from escpos.printer import Dummy

        p = Dummy(profile=self.profile)
        stats = {"native": 0, "raster": 0, "raster_bytes": 0, "dots": 0}
        branch, service, details, thanks = ticket_lines(slip)
        p.hw("INIT")
        p.set(align="center", normal_textsize=True)
        self._line(p, branch, stats)
        p.ln()
        p.set(align="center", bold=True, custom_size=True, width=NUMBER_SCALE, height=NUMBER_SCALE)
        p.textln(slip.number)
        stats["dots"] += 24 * NUMBER_SCALE
        p.set(align="center", bold=False, normal_textsize=True)
        p.ln()
        self._line(p, service, stats)
        for line in details:
            self._line(p, line, stats)
        if slip.status_url:
            self._qr(p, slip.status_url, stats)
        p.ln()
        self._line(p, thanks, stats)
        p.cut()  # python-escpos feeds 6 lines before it cuts
        stats["dots"] += 30 * (3 + 6)  # blank lines and the feed before the cut
        return PrintJob(
            p.output, stats["native"], stats["raster"], stats["raster_bytes"], paper_mm=stats["dots"] * 25.4 / self.dpi
        )

    def _qr(self, p: Dummy, url: str, stats: dict[str, int]) -> None:
        """The phone page's QR code: drawn by the printer where its profile can, else as an image."""
        p.set(align="center")
        if p.profile.supports("qrCode"):
            p.qr(url, size=QR_MODULE_DOTS, native=True)
        else:
            before = len(p.output)
            p.qr(url, size=QR_MODULE_DOTS, native=False, center=self.pad_rasters)
            stats["raster"] += 1
            stats["raster_bytes"] += len(p.output) - before
        stats["dots"] += 40 * QR_MODULE_DOTS  # a version 3-4 code and its quiet zone

    def _line(self, p: Dummy, line: Line, stats: dict[str, int]) -> None:
        if self.native(line.text) and len(line.text) <= self.columns:
            p.set(bold=line.bold)
            p.textln(line.text)
            p.set(bold=False)
            stats["native"] += 1
            stats["dots"] += 30  # 24-dot font + default line spacing
            return
        image = render_line(line.text, line.size_px, self.width_dots, bold=line.bold)
        before = len(p.output)
        p.image(image, center=self.pad_rasters)
        stats["raster"] += 1
        stats["raster_bytes"] += len(p.output) - before
        stats["dots"] += image.height


def compose(slip: TicketSlip, profile: str = DEFAULT_PROFILE) -> PrintJob:
    return TicketComposer(profile).compose(slip)
