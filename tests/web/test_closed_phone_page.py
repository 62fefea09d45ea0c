"""A customer's phone page once the branch has closed the day with their ticket still open."""

from __future__ import annotations

import pytest

from kiosk.core.model import State
from kiosk.i18n import LANGUAGES, Translator
from kiosk.web.labels import STATE_HEADLINES, phone_texts


def test_every_state_a_ticket_can_be_in_has_a_phone_headline():
    assert set(STATE_HEADLINES) == {s.value for s in State}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_of_a_ticket_closed_at_end_of_day_says_so_in_its_language(lang):
    tr = Translator.load()
    texts = phone_texts(tr, lang, {"state": "closed_at_end_of_day", "counter": None, "ahead": None})
    english = "We have closed for today. We are sorry we could not serve you; please come again."
    assert texts["headline"] == tr.gettext(lang, english)
    assert (texts["headline"] == english) is (lang == "en")  # translated, not left in English
    assert texts["ahead"] == texts["wait"] == ""
