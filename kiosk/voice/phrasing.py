"""How a call is said, per language: a ticket and a counter become a list of phrase keys.

A call is spoken from short recorded or synthesised clips, one per *phrase key*
(``ticket``, ``letter_A``, ``num_7``, ``to_counter``…). This module decides which
keys, in which order, say a call the way a native speaker would; it is pure
(stdlib only) so that the rules can be read and tested on their own.

>>> spoken_text(utterance("A007", 3, "en"))
'Ticket A seven, please go to counter three.'
>>> spoken_text(utterance("B101", 12, "ru"))
'Талон бэ сто один, пожалуйста, подойдите к окну номер двенадцать.'
>>> spoken_text(utterance("A021", 3, "hy"))
'Տոմս էյ քսան մեկ, խնդրում ենք մոտենալ թիվ երեք պատուհանին։'
>>> spoken_text(utterance("C115", 4, "mn"))
'Си зуун арван тав дугаартай үйлчлүүлэгч, дөрөвдүгээр цонхонд ирнэ үү.'
>>> utterance("A007", 3, "en").keys
('ticket', 'letter_A', 'num_7', 'to_counter', 'num_3')

The reasoning, language by language (also in ``docs/voice.md``):

- **The ticket number is a letter and a cardinal**: "A007" is read "A seven", the
  way people read it from the board, never "A zero zero seven" (the zeros only pad
  the printed number to a width). Numbers up to 999 are spoken as cardinals built
  from units, teens, tens and hundreds, so a pack needs a few dozen clips, not 999.
  A very busy service can pass 999 (``A1000``): such a number is read digit by
  digit, which every language here does for long codes.
- **The letter is the Latin letter printed on the ticket and the board**, said by its
  name in the listener's language. Armenian and Mongolian have their own letters,
  but replacing "C" by the third Armenian letter (Գ) would send a customer looking
  for a letter that is not on their ticket. Russian uses the Latin letter names
  every Russian learns at school (а, бэ, цэ, дэ, … икс, игрек); Armenian and
  Mongolian use the English names written in their script (էյ, բի, սի, դի; эй, би,
  си, ди), English being the foreign language their schools teach first. A branch
  that says its letters otherwise records them so in its voice pack.
- **English**: "Ticket A seven, please go to counter three."; British "and" after
  the hundreds ("one hundred and one"), as espeak-ng's default English voice and
  most English taught abroad say it.
- **Russian**: "Талон а семь, пожалуйста, подойдите к окну номер три." The number follows
  "номер", so it stays in the nominative and the phrase never needs a declined
  ordinal ("к третьему окну"); hundreds are single words (сто, двести… девятьсот).
  "Окно" and "талон" are the words the kiosk's Russian screens use.
- **Armenian** (Eastern): "Տոմս էյ յոթ, խնդրում ենք մոտենալ թիվ երեք պատուհանին։"
  "թիվ N" ("number N") keeps the counter a cardinal, as in "թիվ 3 պատուհան".
  Tens and units are written as one word (քսանմեկ) and are joined from two clips
  with the shortest gap; teens have their own forms (տասնմեկ…); 100 is հարյուր and
  200–900 a unit before it (երկու հարյուր).
- **Mongolian**: "Си зуун арван тав дугаартай үйлчлүүлэгч, дөрөвдүгээр цонхонд ирнэ
  үү.", the wording of the kiosk's own Mongolian screens. A numeral that is not
  the last word takes its attributive form (арав → арван нэг, зуу → зуун нэг,
  гурав → гурван зуу), so the pack holds both forms where they differ. The counter
  is an ordinal: the number word and then the suffix дугаар or дүгээр, chosen by
  vowel harmony with the last word (нэгдүгээр, хоёрдугаар, дөрөвдүгээр, есдүгээр).

``PHRASES`` is the phrase list: for each language, every key a call can use and
the words to say for it. It is what a voice pack must contain (one WAV per key,
named ``<key>.wav``), the recording script for whoever records it, and the text
espeak-ng renders. Its version is ``PHRASE_LIST_VERSION``; a change of keys bumps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PHRASE_LIST_VERSION = 1
TICKET_PATTERN = re.compile(r"^([A-Z])([0-9]{1,6})$")
MAX_CARDINAL = 999
MAX_COUNTER = 999


@dataclass(frozen=True)
class Phrase:
    """The words of one clip; ``espeak`` spells them for espeak-ng where its reading is wrong."""

    text: str
    espeak: str | None = None

    @property
    def synth_text(self) -> str:
        return self.espeak if self.espeak is not None else self.text


@dataclass(frozen=True)
class Utterance:
    """A call in one language: phrases (said with a pause between) of phrase keys (said close together)."""

    language: str
    phrases: tuple[tuple[str, ...], ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for phrase in self.phrases for key in phrase)


def _letters(names: str) -> dict[str, Phrase]:
    words = names.split(",")
    assert len(words) == 26, len(words)
    return {f"letter_{chr(ord('A') + i)}": Phrase(word.strip()) for i, word in enumerate(words)}


def _numbers(first: int, words: str, suffix: str = "") -> dict[str, Phrase]:
    return {f"num_{first + i}{suffix}": Phrase(word.strip()) for i, word in enumerate(words.split(","))}


def _tens(words: str, suffix: str = "") -> dict[str, Phrase]:
    return {f"num_{20 + 10 * i}{suffix}": Phrase(word.strip()) for i, word in enumerate(words.split(","))}


PHRASES: dict[str, dict[str, Phrase]] = {
    "en": {
        "ticket": Phrase("Ticket"),
        "to_counter": Phrase("please go to counter"),
        **_letters("A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T,U,V,W,X,Y,Z"),
        **_numbers(
            0,
            "zero,one,two,three,four,five,six,seven,eight,nine,ten,eleven,twelve,thirteen,fourteen,"
            "fifteen,sixteen,seventeen,eighteen,nineteen",
        ),
        **_tens("twenty,thirty,forty,fifty,sixty,seventy,eighty,ninety"),
        "hundred": Phrase("hundred"),
        "and": Phrase("and"),
    },
    "ru": {
        "ticket": Phrase("Талон"),
        # espeak-ng reads a lone "к" as the letter's name ("ка окну"); the phonemes say [kɐknu]
        "to_counter": Phrase("пожалуйста, подойдите к окну номер", espeak="пожалуйста, подойдите [[kVkn'u]] номер"),
        **_letters("а,бэ,цэ,дэ,е,эф,гэ,аш,и,жи,ка,эль,эм,эн,о,пэ,ку,эр,эс,тэ,у,вэ,дубль-вэ,икс,игрек,зет"),
        **_numbers(
            0,
            "ноль,один,два,три,четыре,пять,шесть,семь,восемь,девять,десять,одиннадцать,двенадцать,"
            "тринадцать,четырнадцать,пятнадцать,шестнадцать,семнадцать,восемнадцать,девятнадцать",
        ),
        **_tens("двадцать,тридцать,сорок,пятьдесят,шестьдесят,семьдесят,восемьдесят,девяносто"),
        **{
            f"num_{100 * (i + 1)}": Phrase(word)
            for i, word in enumerate(
                "сто,двести,триста,четыреста,пятьсот,шестьсот,семьсот,восемьсот,девятьсот".split(",")
            )
        },
    },
    "hy": {
        "ticket": Phrase("Տոմս"),
        # espeak-ng drops the unwritten schwa that Armenian speakers say ([χəndɾum], [tasnəmek]); ը writes it
        "to_counter": Phrase("խնդրում ենք մոտենալ թիվ", espeak="խընդրում ենք մոտենալ թիվ"),
        "at_counter": Phrase("պատուհանին"),
        **_letters("էյ,բի,սի,դի,ի,էֆ,ջի,էյչ,այ,ջեյ,քեյ,էլ,էմ,էն,օ,փի,քյու,ար,էս,թի,յու,վի,դաբլյու,էքս,ուայ,զեդ"),
        "letter_Y": Phrase("ուայ", espeak="[[w'aI]]"),  # espeak-ng reads ու before a vowel as [v]
        **_numbers(
            0,
            "զրո,մեկ,երկու,երեք,չորս,հինգ,վեց,յոթ,ութ,ինը,տասը,տասնմեկ,տասներկու,տասներեք,տասնչորս,"
            "տասնհինգ,տասնվեց,տասնյոթ,տասնութ,տասնինը",
        ),
        **{
            f"num_{n}": Phrase(word, espeak=word.replace("տասն", "տասնը"))  # [tasnəmek], as said
            for n, word in ((11, "տասնմեկ"), (14, "տասնչորս"), (15, "տասնհինգ"), (16, "տասնվեց"), (17, "տասնյոթ"))
        },
        **_tens("քսան,երեսուն,քառասուն,հիսուն,վաթսուն,յոթանասուն,ութսուն,իննսուն"),
        "hundred": Phrase("հարյուր"),
    },
    "mn": {
        "ticket": Phrase("дугаартай үйлчлүүлэгч"),
        "to_counter": Phrase("цонхонд ирнэ үү"),
        "ordinal_back": Phrase("дугаар"),
        "ordinal_front": Phrase("дүгээр"),
        **_letters("эй,би,си,ди,ий,эф,жи,эйч,ай,жэй,кэй,эл,эм,эн,оу,пи,кью,ар,эс,ти,юу,ви,дабл ю,экс,уай,зэд"),
        **_numbers(0, "тэг,нэг,хоёр,гурав,дөрөв,тав,зургаа,долоо,найм,ес,арав"),
        **_numbers(3, "гурван,дөрвөн,таван,зургаан,долоон,найман,есөн,арван", suffix="_attr"),
        **_tens("хорь,гуч,дөч,тавь,жар,дал,ная,ер"),
        **_tens("хорин,гучин,дөчин,тавин,жаран,далан,наян,ерэн", suffix="_attr"),
        "hundred": Phrase("зуу"),
        "hundred_attr": Phrase("зуун"),
    },
}
LANGUAGES = tuple(PHRASES)
# keys said as the end of the word before them (гурав + дугаар = гуравдугаар): no gap, no space
SUFFIXES = frozenset({"ordinal_back", "ordinal_front"})
# Mongolian words whose vowels are front (э, ө, ү, е): the ordinal suffix after them is дүгээр
_MN_FRONT = frozenset({"num_1", "num_4", "num_9", "num_40", "num_90"})


def phrase_keys(language: str) -> tuple[str, ...]:
    """Every key a voice pack for ``language`` must hold, in the recording order.

    >>> len(phrase_keys("en")), phrase_keys("en")[:3]
    (58, ('ticket', 'to_counter', 'letter_A'))
    """
    return tuple(_phrases_of(language))


def _phrases_of(language: str) -> dict[str, Phrase]:
    try:
        return PHRASES[language]
    except KeyError:
        raise ValueError(f"unknown language {language!r} (one of {', '.join(LANGUAGES)})") from None


def parse_ticket(number: str) -> tuple[str, int]:
    """The letter and the sequence of a ticket number as printed.

    >>> parse_ticket("A007")
    ('A', 7)
    >>> parse_ticket("A000")
    Traceback (most recent call last):
    ...
    ValueError: bad ticket number 'A000': the sequence starts at 1
    """
    match = TICKET_PATTERN.match(number)
    if match is None:
        raise ValueError(f"bad ticket number {number!r}: a capital letter and digits, such as A007")
    seq = int(match.group(2))
    if seq == 0:
        raise ValueError(f"bad ticket number {number!r}: the sequence starts at 1")
    return match.group(1), seq


def cardinal(n: int, language: str) -> tuple[str, ...]:
    """The keys of ``n`` (1..999) as a cardinal, said on its own (last word in its final form).

    >>> [cardinal(n, "en") for n in (7, 21, 101, 110)]
    [('num_7',), ('num_20', 'num_1'), ('num_1', 'hundred', 'and', 'num_1'), ('num_1', 'hundred', 'and', 'num_10')]
    >>> cardinal(999, "ru"), cardinal(100, "hy"), cardinal(300, "hy")
    (('num_900', 'num_90', 'num_9'), ('hundred',), ('num_3', 'hundred'))
    >>> cardinal(11, "mn"), cardinal(300, "mn"), cardinal(301, "mn")
    (('num_10_attr', 'num_1'), ('num_3_attr', 'hundred'), ('num_3_attr', 'hundred_attr', 'num_1'))
    """
    _phrases_of(language)
    if not 1 <= n <= MAX_CARDINAL:
        raise ValueError(f"{n} is outside 1..{MAX_CARDINAL}")
    hundreds, rest = divmod(n, 100)
    if language == "mn":
        return _mn_cardinal(hundreds, rest)
    head: tuple[str, ...] = ()
    if hundreds and language == "ru":
        head = (f"num_{100 * hundreds}",)
    elif hundreds and language == "hy":
        head = ("hundred",) if hundreds == 1 else (f"num_{hundreds}", "hundred")
    elif hundreds:
        head = (f"num_{hundreds}", "hundred", *(("and",) if rest else ()))
    return head + _below_hundred(rest)


def _below_hundred(n: int) -> tuple[str, ...]:
    """Units and teens have their own words; above, a tens word and then the unit (en, ru, hy)."""
    if n == 0:
        return ()
    if n < 20:
        return (f"num_{n}",)
    tens, unit = divmod(n, 10)
    return (f"num_{10 * tens}",) + ((f"num_{unit}",) if unit else ())


def _mn_cardinal(hundreds: int, rest: int) -> tuple[str, ...]:
    """Mongolian: every numeral before another takes its attributive form (арван, хорин, зуун, гурван)."""
    words: list[str] = []
    if hundreds:
        if hundreds > 1:  # хоёр is the same in both forms and has one clip
            words.append(f"num_{hundreds}_attr" if hundreds > 2 else "num_2")
        words.append("hundred_attr" if rest else "hundred")
    tens, unit = divmod(rest, 10)
    if tens:
        words.append(f"num_{10 * tens}" + ("_attr" if unit else ""))
    if unit:
        words.append(f"num_{unit}")
    return tuple(words)


def number_keys(n: int, language: str) -> tuple[str, ...]:
    """A ticket's sequence: a cardinal up to 999, digit by digit above.

    >>> number_keys(1234, "en")
    ('num_1', 'num_2', 'num_3', 'num_4')
    """
    if n <= MAX_CARDINAL:
        return cardinal(n, language)
    return tuple(f"num_{digit}" for digit in str(n))


def counter_keys(counter: int, language: str) -> tuple[str, ...]:
    """The counter's number as said after the counter words: a cardinal, an ordinal in Mongolian.

    >>> counter_keys(3, "mn"), counter_keys(4, "mn"), counter_keys(20, "mn")
    (('num_3', 'ordinal_back'), ('num_4', 'ordinal_front'), ('num_20', 'ordinal_back'))
    >>> counter_keys(11, "mn"), counter_keys(11, "ru")
    (('num_10_attr', 'num_1', 'ordinal_front'), ('num_11',))
    """
    if not 1 <= counter <= MAX_COUNTER:
        raise ValueError(f"counter {counter} is outside 1..{MAX_COUNTER}")
    keys = cardinal(counter, language)
    if language == "mn":
        return keys + ("ordinal_front" if keys[-1] in _MN_FRONT else "ordinal_back",)
    return keys


def utterance(ticket: str, counter: int, language: str) -> Utterance:
    """The call "ticket ``ticket`` to counter ``counter``" in ``language``.

    >>> utterance("A007", 3, "hy").phrases
    (('ticket', 'letter_A', 'num_7'), ('to_counter', 'num_3', 'at_counter'))
    >>> utterance("A007", 3, "de")
    Traceback (most recent call last):
    ...
    ValueError: unknown language 'de' (one of en, ru, hy, mn)
    """
    _phrases_of(language)
    letter, seq = parse_ticket(ticket)
    number = (f"letter_{letter}", *number_keys(seq, language))
    where = counter_keys(counter, language)
    if language == "mn":
        return Utterance(language, ((*number, "ticket"), (*where, "to_counter")))
    if language == "hy":
        return Utterance(language, (("ticket", *number), ("to_counter", *where, "at_counter")))
    return Utterance(language, (("ticket", *number), ("to_counter", *where)))


_STOP = {"hy": "։"}


def spoken_text(call: Utterance) -> str:
    """The words of a call as one sentence, for reading and checking (not for synthesis).

    >>> spoken_text(utterance("D999", 99, "en"))
    'Ticket D nine hundred and ninety nine, please go to counter ninety nine.'
    """
    phrases = _phrases_of(call.language)
    parts = []
    for part in call.phrases:
        words: list[str] = []
        for key in part:
            if key in SUFFIXES and words:
                words[-1] += phrases[key].text
            else:
                words.append(phrases[key].text)
        parts.append(" ".join(words))
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + _STOP.get(call.language, ".")
