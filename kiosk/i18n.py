"""Screen wording in every language: gettext catalogs compiled in memory at load time.

The catalogs are plain ``.po`` files under ``kiosk/locale/<lang>/LC_MESSAGES/``;
Babel reads each one and writes its ``.mo`` form into memory, so there is no
build step and no compiled file in the repository::

    tr = Translator.load()
    tr.gettext("mn", "Back")                      # 'Буцах'
    tr.ngettext("ru", "%(n)d person ahead of you", "%(n)d people ahead of you", 3) % {"n": 3}

Strings are marked in Python with ``N_("…")`` (a no-op marker read by Babel), messages
with a count with ``N_plural("…", "…")`` or a direct ``ngettext`` call, and
in ``.kv`` files as ``app.tr("…", app.lang)``, which :func:`extract_kv` finds.
Refresh the template and the catalogs after changing wording (see docs/ui.md)::

    .venv/bin/pybabel extract -F kiosk/locale/babel.cfg -k N_ -k N_plural:1,2 -k tr -k ngettext:2,3 \\
        --no-default-keywords --no-location --omit-header --sort-output -o kiosk/locale/frontdesk.pot .
    .venv/bin/pybabel update -w 100 -i kiosk/locale/frontdesk.pot -d kiosk/locale -D frontdesk
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "frontdesk"
LANGUAGES = ("mn", "hy", "en", "ru")

# Each language's button shows its own name in its own script; these are the
# same in every catalog, so they are not translated.
LANGUAGE_NAMES = {"mn": "Монгол", "hy": "Հայերեն", "en": "English", "ru": "Русский"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (translated where shown)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a count for extraction (both forms), translated where shown::

    Note(N_plural("Saved %(n)d visit", "Saved %(n)d visits"), {"n": 2}, count=2)
    """
    return singular, plural


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def compile_catalog(catalog: Catalog) -> gettext.GNUTranslations:
    """A .po catalog as gettext translations, compiled in memory (fuzzy entries are left out)."""
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@dataclass(frozen=True)
class Translator:
    """Translations of every language, looked up by language code per call."""

    catalogs: dict[str, gettext.GNUTranslations]

    @classmethod
    def load(cls, languages: tuple[str, ...] | list[str] = LANGUAGES) -> "Translator":
        return cls({lang: compile_catalog(read_catalog(lang)) for lang in languages})

    def gettext(self, lang: str, message: str) -> str:
        cat = self.catalogs.get(lang)
        return cat.gettext(message) if cat else message

    def ngettext(self, lang: str, singular: str, plural: str, n: int) -> str:
        cat = self.catalogs.get(lang)
        if cat is None:
            return singular if n == 1 else plural
        return cat.ngettext(singular, plural, n)


_KV_CALL = re.compile(r"""\btr\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)""")


def extract_kv(
    fileobj: Iterable[bytes | str], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for Kivy ``.kv`` files: every ``tr("…")`` call, one line at a time.

    Used by ``kiosk/locale/babel.cfg`` (``[kiosk.i18n:extract_kv: **.kv]``).
    """
    for lineno, raw in enumerate(fileobj, start=1):
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        for match in _KV_CALL.finditer(line):
            text = match.group("text").replace("\\" + match.group("q"), match.group("q"))
            yield lineno, "tr", text, []
