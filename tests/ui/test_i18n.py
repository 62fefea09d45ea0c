"""Every screen string is in the template, and every catalog translates every one of them."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from kiosk.i18n import LANGUAGES, LOCALE_DIR, Translator, catalog_path, read_catalog

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _key(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def extracted() -> set[str]:
    """Run the same extraction as the documented pybabel command, in memory."""
    with open(LOCALE_DIR / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"N_": None, "N_plural": (1, 2), "tr": None, "ngettext": (2, 3)}
    return {
        _key(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, options_map, keywords=keywords
        )
    }


def template() -> set[str]:
    with open(LOCALE_DIR / "frontdesk.pot", "rb") as f:
        return {_key(m.id) for m in read_po(f) if m.id}


def test_template_is_up_to_date_with_the_code():
    code, pot = extracted(), template()
    assert code - pot == set(), "strings in code/kv missing from frontdesk.pot: run the pybabel extract command"
    assert pot - code == set(), "frontdesk.pot lists strings no longer used: run the pybabel extract command"
    assert len(pot) > 80


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_translates_every_string(lang):
    assert catalog_path(lang).exists(), f"no catalog for {lang}"
    catalog = read_catalog(lang)
    entries = {_key(m.id): m for m in catalog if m.id}
    missing = sorted(template() - set(entries))
    assert not missing, f"{lang}: not in the catalog: {missing[:5]}"
    untranslated = []
    for key in template():
        m = entries[key]
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(s.strip() for s in strings):
            untranslated.append(key)
        if isinstance(m.id, tuple):
            assert len(strings) == catalog.num_plurals, f"{lang}: {key!r} needs {catalog.num_plurals} plural forms"
        for s in strings:  # a translation must fill the same blanks as the English
            assert set(PLACEHOLDER.findall(s)) == set(PLACEHOLDER.findall(key)), f"{lang}: placeholders of {key!r}"
    assert not untranslated, f"{lang}: untranslated or fuzzy: {sorted(untranslated)[:5]}"


def test_translations_are_compiled_in_memory_and_differ_by_language():
    tr = Translator.load()
    said = {lang: tr.gettext(lang, "Please choose your language") for lang in LANGUAGES}
    assert said["en"] == "Please choose your language"
    assert len(set(said.values())) == 4
    # Russian has three plural forms: 1 клиент, 3 клиента, 5 клиентов
    forms = [
        tr.ngettext("ru", "%(n)d customer is ahead of you.", "%(n)d customers are ahead of you.", n) % {"n": n}
        for n in (1, 3, 5)
    ]
    assert len(set(f.split()[-1] for f in forms)) == 3


def test_no_compiled_catalog_is_committed():
    assert not list(LOCALE_DIR.rglob("*.mo"))


# the form each catalog must pick for a count: Mongolian, Armenian and English have two
# (one and other), Russian three (1, 21, 101 / 2-4, 22 / 0, 5-20, 111…)
PLURAL_FORM_OF = {
    "mn": {1: 0, 0: 1, 2: 1, 5: 1, 21: 1},
    "hy": {1: 0, 0: 1, 2: 1, 5: 1, 21: 1},
    "en": {1: 0, 0: 1, 2: 1, 5: 1, 21: 1},
    "ru": {
        1: 0,
        21: 0,
        101: 0,
        2: 1,
        3: 1,
        4: 1,
        22: 1,
        104: 1,
        0: 2,
        5: 2,
        11: 2,
        12: 2,
        14: 2,
        20: 2,
        25: 2,
        111: 2,
        112: 2,
    },
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_plural_forms_header_is_right(lang):
    catalog = read_catalog(lang)
    forms = PLURAL_FORM_OF[lang]
    assert catalog.num_plurals == max(forms.values()) + 1, f"{lang}: Plural-Forms nplurals"
    plural = gettext.c2py(catalog.plural_expr)
    assert {n: plural(n) for n in forms} == forms, f"{lang}: Plural-Forms plural={catalog.plural_expr}"
