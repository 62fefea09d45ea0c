"""Ticket bytes as python-escpos's Dummy printer records them, for every language."""

from __future__ import annotations

from datetime import datetime

import pytest
from escpos.constants import PAPER_FULL_CUT
from PIL import Image, ImageChops

from device.raster import render_line, screen_font_path
from device.ticket import LANGUAGES, NUMBER_SCALE, TICKET_TEXTS, TicketComposer, TicketSlip, compose, ticket_lines
from tests.device.conftest import slip

GS_V0 = b"\x1dv0"


def rasters(data: bytes) -> list[Image.Image]:
    """Every GS v 0 image in ``data``, back as a black-on-white mode "1" image."""
    out, i = [], 0
    while (i := data.find(GS_V0, i)) >= 0:
        width_bytes = data[i + 4] | data[i + 5] << 8
        height = data[i + 6] | data[i + 7] << 8
        body = data[i + 8 : i + 8 + width_bytes * height]
        # ESC/POS: a set bit prints a dot. PIL mode "1": a set bit is white.
        img = Image.frombytes("1", (width_bytes * 8, height), bytes(b ^ 0xFF for b in body))
        out.append(img)
        i += 8 + len(body)
    return out


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    a = a.crop((0, 0, b.width, b.height))
    return ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def test_the_screen_font_is_kivys_dejavu():
    path = screen_font_path()
    assert path.name == "DejaVuSans.ttf" and "kivy" in path.parts


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_latin_and_russian_tickets_are_all_native_text(lang):
    job = compose(slip(lang))
    assert job.raster_lines == 0 and GS_V0 not in job.data
    assert TICKET_TEXTS[lang]["thanks"].encode("cp866" if lang == "ru" else "ascii") in job.data


@pytest.mark.parametrize("lang", ["mn", "hy"])
def test_lines_no_code_page_holds_are_rasters_of_the_screen_font(lang):
    s = slip(lang)
    job = compose(s)
    branch, service, details, thanks = ticket_lines(s)
    composer = TicketComposer()
    drawn = [line for line in [branch, service, *details, thanks] if not composer.native(line.text)]
    assert job.raster_lines == len(drawn) > 0
    images = rasters(job.data)
    assert len(images) == len(drawn)
    for line, image in zip(drawn, images):
        expected = render_line(line.text, line.size_px, composer.width_dots, bold=line.bold)
        assert same_pixels(image, expected), line.text
    # Mongolian Ө/Ү and Armenian are drawn; the date line is plain digits and stays text.
    assert b"2026-11-24 10:42" in job.data


def test_mongolian_letters_are_what_forces_the_raster():
    composer = TicketComposer()
    assert composer.native("Баярлалаа!")  # Russian Cyrillic letters only: CP866 has them
    assert not composer.native("Таны өмнө")  # ө is in no code page python-escpos knows
    assert not composer.native("5000₮")
    assert not composer.native("Շնորհակալություն")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_number_is_native_and_six_times_the_size_then_cut(lang):
    data = compose(slip(lang, number="B117")).data
    size = bytes([0x1D, 0x21, (NUMBER_SCALE - 1) << 4 | (NUMBER_SCALE - 1)])
    assert size + b"\x1bE\x01\x1ba\x01B117\n" in data
    assert data.startswith(b"\x1b@")  # initialise: no leftover modes from a previous job
    assert data.endswith(b"\x1bd\x06" + PAPER_FULL_CUT)  # feed past the cutter, then cut


def test_rasters_fit_the_paper_and_are_cropped():
    composer = TicketComposer()
    for image in rasters(compose(slip("hy")).data):
        assert image.width <= composer.width_dots
    too_long = render_line("Ա" * 80, 26, composer.width_dots)
    assert too_long.width <= composer.width_dots


def test_wait_range_and_people_ahead_are_filled_in():
    branch, service, details, thanks = ticket_lines(slip("en", ahead=0, wait_low_min=5, wait_high_min=5))
    assert [d.text for d in details[1:]] == ["People ahead: 0", "Estimated wait: 5 min"]
    _, _, details, _ = ticket_lines(slip("ru", wait_low_min=20, wait_high_min=10))
    assert details[2].text == "Ожидание: 10-20 мин"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="no ticket texts"):
        TicketSlip("B", "A001", "S", datetime(2026, 1, 1), 0, 1, 2, lang="fr")


# -- the QR code of the phone page ---------------------------------------------------------------

STATUS_URL = "http://192.168.1.20:8080/t/q3V9dQ2f8mX1pB7sK0aL4w"
GS_K_STORE = b"\x1d(k"  # GS ( k pL pH cn fn ...: cn 49 (QR), fn 80 stores the data


def native_qr_data(data: bytes) -> list[bytes]:
    """The contents of every QR code the printer is asked to store (GS ( k, cn 49, fn 80)."""
    out, i = [], 0
    while (i := data.find(GS_K_STORE, i)) >= 0:
        size = data[i + 3] | data[i + 4] << 8
        cn, fn = data[i + 5], data[i + 6]
        if (cn, fn) == (49, 80):
            out.append(data[i + 8 : i + 5 + size])  # after cn, fn and m (48)
        i += 5 + size
    return out


def test_ticket_carries_the_phone_page_as_a_native_qr_code():
    job = TicketComposer("TM-T20II").compose(slip("en", status_url=STATUS_URL))
    assert native_qr_data(job.data) == [STATUS_URL.encode()]
    assert b"\x1d(k\x03\x001Q0" in job.data  # and then prints it (fn 81)


def test_a_printer_without_native_qr_gets_the_code_as_an_image_that_reads_back():
    import cv2
    import numpy as np

    job = TicketComposer("TH230").compose(slip("mn", status_url=STATUS_URL))
    assert native_qr_data(job.data) == []
    decoded = []
    for image in rasters(job.data):
        grey = np.array(image.convert("L"))
        grey = cv2.resize(grey, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
        text, _points, _ = cv2.QRCodeDetector().detectAndDecode(
            cv2.copyMakeBorder(grey, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255)
        )
        if text:
            decoded.append(text)
    assert decoded == [STATUS_URL]


def test_no_public_url_no_qr_code():
    job = TicketComposer("TM-T20II").compose(slip("en"))
    assert native_qr_data(job.data) == [] and GS_K_STORE not in job.data
