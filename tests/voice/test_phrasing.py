"""How each language says a call: tricky numbers, letter names, and a phrase list that is exactly what calls use."""

from __future__ import annotations

import doctest

import pytest

from kiosk.voice import announcer, audio, chime, espeak, phrasing
from kiosk.voice.phrasing import (
    LANGUAGES,
    PHRASES,
    cardinal,
    counter_keys,
    parse_ticket,
    phrase_keys,
    spoken_text,
    utterance,
)
from tests.voice.conftest import needs_espeak


def words(n: int, language: str) -> str:
    return " ".join(PHRASES[language][key].text for key in cardinal(n, language))


def test_the_module_examples_hold():
    result = doctest.testmod(phrasing)
    assert result.attempted >= 15 and result.failed == 0


@pytest.mark.parametrize(
    "module", [audio, chime, pytest.param(espeak, marks=needs_espeak), pytest.param(announcer, marks=needs_espeak)]
)
def test_the_examples_of_the_other_modules_hold(module):
    result = doctest.testmod(module)
    assert result.attempted >= 2 and result.failed == 0


@pytest.mark.parametrize(
    ("n", "en", "ru", "hy", "mn"),
    [
        (7, "seven", "семь", "յոթ", "долоо"),
        (10, "ten", "десять", "տասը", "арав"),
        (11, "eleven", "одиннадцать", "տասնմեկ", "арван нэг"),
        (20, "twenty", "двадцать", "քսան", "хорь"),
        (21, "twenty one", "двадцать один", "քսան մեկ", "хорин нэг"),
        (100, "one hundred", "сто", "հարյուր", "зуу"),
        (101, "one hundred and one", "сто один", "հարյուր մեկ", "зуун нэг"),
        (110, "one hundred and ten", "сто десять", "հարյուր տասը", "зуун арав"),
        (200, "two hundred", "двести", "երկու հարյուր", "хоёр зуу"),
        (
            345,
            "three hundred and forty five",
            "триста сорок пять",
            "երեք հարյուր քառասուն հինգ",
            "гурван зуун дөчин тав",
        ),
        (
            999,
            "nine hundred and ninety nine",
            "девятьсот девяносто девять",
            "ինը հարյուր իննսուն ինը",
            "есөн зуун ерэн ес",
        ),
    ],
)
def test_numbers_are_cardinals_in_each_language(n, en, ru, hy, mn):
    assert [words(n, lang) for lang in ("en", "ru", "hy", "mn")] == [en, ru, hy, mn]


def test_a_ticket_is_its_letter_and_its_sequence_not_its_padding_zeros():
    assert utterance("A007", 3, "en").keys == ("ticket", "letter_A", "num_7", "to_counter", "num_3")
    assert "num_0" not in utterance("B100", 10, "ru").keys


def test_a_sequence_past_999_is_read_digit_by_digit():
    assert spoken_text(utterance("A1005", 2, "en")) == "Ticket A one zero zero five, please go to counter two."


@pytest.mark.parametrize(
    ("letter", "name"),
    [("A", "а"), ("B", "бэ"), ("C", "цэ"), ("D", "дэ"), ("H", "аш"), ("W", "дубль-вэ"), ("Y", "игрек")],
)
def test_russian_says_latin_letters_by_their_school_names(letter, name):
    said = spoken_text(utterance(f"{letter}005", 1, "ru"))
    assert said == f"Талон {name} пять, пожалуйста, подойдите к окну номер один."


def test_armenian_and_mongolian_name_the_printed_latin_letter_not_a_native_one():
    assert PHRASES["hy"]["letter_C"].text == "սի"  # not Գ, the third Armenian letter
    assert PHRASES["mn"]["letter_C"].text == "си"


def test_every_language_has_the_whole_latin_alphabet():
    for lang in LANGUAGES:
        assert [k for k in phrase_keys(lang) if k.startswith("letter_")] == [f"letter_{chr(c)}" for c in range(65, 91)]


@pytest.mark.parametrize(
    ("counter", "said"),
    [
        (1, "нэгдүгээр"),
        (2, "хоёрдугаар"),
        (4, "дөрөвдүгээр"),
        (9, "есдүгээр"),
        (10, "аравдугаар"),
        (11, "арван нэгдүгээр"),
        (40, "дөчдүгээр"),
        (90, "ердүгээр"),
        (99, "ерэн есдүгээр"),
    ],
)
def test_mongolian_counters_are_ordinals_in_vowel_harmony(counter, said):
    assert spoken_text(utterance("A001", counter, "mn")) == f"Эй нэг дугаартай үйлчлүүлэгч, {said} цонхонд ирнэ үү."


def test_armenian_puts_the_counter_between_number_and_window():
    assert spoken_text(utterance("A007", 3, "hy")) == "Տոմս էյ յոթ, խնդրում ենք մոտենալ թիվ երեք պատուհանին։"
    assert counter_keys(12, "hy") == ("num_12",)


def test_the_phrase_list_is_exactly_what_calls_use():
    """No key a call needs is missing from the list, and the list asks a pack for nothing a call never says."""
    for lang in LANGUAGES:
        used: set[str] = set()
        for seq in [*range(1, 1000), 1000, 2345, 6789]:
            used |= set(utterance(f"{chr(65 + seq % 26)}{seq:03d}", 1 + seq % 99, lang).keys)
        for letter in range(65, 91):
            used |= set(utterance(f"{chr(letter)}001", 1, lang).keys)
        assert used == set(phrase_keys(lang)), lang


@pytest.mark.parametrize("bad", ["7", "a007", "AB007", "A", "A-7", "A000", "Ä007", "A0071234"])
def test_bad_ticket_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="bad ticket number"):
        parse_ticket(bad)


@pytest.mark.parametrize("counter", [0, -1, 1000])
def test_counters_outside_1_to_999_are_refused(counter):
    with pytest.raises(ValueError, match="outside"):
        utterance("A001", counter, "en")


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        phrase_keys("de")
