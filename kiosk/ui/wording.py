"""Sentences built from figures, in the reader's language.

The estimate is always shown as a range of whole minutes, widened to five-minute
steps once it is long, because a falsely precise "17 minutes" is a promise the
branch cannot keep::

    minutes_range(WaitEstimate(600, 420, 960))   # (7, 16)
    minutes_range(WaitEstimate(2000, 1500, 2900))  # (25, 50)
"""

from __future__ import annotations

import math

from kiosk.core.model import WaitEstimate
from kiosk.i18n import N_, Translator

SOON_MIN = 2  # an upper end this small is "in a moment", not a range
LONG_MIN = 20  # from here on, ranges move in five-minute steps


def minutes_range(est: WaitEstimate) -> tuple[int, int]:
    """Low and high end of the estimate in whole minutes, low < high."""
    low = math.floor(est.low_s / 60)
    high = math.ceil(est.high_s / 60)
    if high > LONG_MIN:
        low, high = low - low % 5, high + (-high) % 5
    return low, max(high, low + 1)


def wait_text(tr: Translator, lang: str, est: WaitEstimate) -> str:
    low, high = minutes_range(est)
    if high <= SOON_MIN:
        return tr.gettext(lang, N_("You will be called in a moment."))
    if low >= 90:
        return tr.gettext(lang, N_("Expected wait: more than an hour and a half."))
    if low == 0:
        return tr.ngettext(
            lang, "Expected wait: up to %(high)d minute.", "Expected wait: up to %(high)d minutes.", high
        ) % {"high": high}
    return tr.ngettext(
        lang, "Expected wait: %(low)d to %(high)d minute.", "Expected wait: %(low)d to %(high)d minutes.", high
    ) % {"low": low, "high": high}


def ahead_text(tr: Translator, lang: str, ahead: int) -> str:
    if ahead == 0:
        return tr.gettext(lang, N_("You are next in line."))
    return tr.ngettext(lang, "%(n)d customer is ahead of you.", "%(n)d customers are ahead of you.", ahead) % {
        "n": ahead
    }


def people_in_line(tr: Translator, lang: str, people: int) -> str:
    """The camera's count, as the staff console and the camera zone page show it."""
    return tr.ngettext(lang, "Camera: %(n)d person in line", "Camera: %(n)d people in line", people) % {"n": people}


def longest_in_line(tr: Translator, lang: str, seconds: float) -> str:
    """How long the camera's longest-waiting person has been in line, as the staff console
    and the camera zone page show it."""
    return tr.gettext(lang, N_("Longest in line now: %(n)d min")) % {"n": round(seconds / 60)}


def short_minutes(tr: Translator, lang: str, seconds: float) -> str:
    """'12 min' for the staff screens."""
    return tr.gettext(lang, N_("%(n)d min")) % {"n": round(seconds / 60)}


def alert_sentence(tr: Translator, lang: str, kind: str, subject: str, value: float, limit: float) -> str:
    """One alert of the speed-of-service standard, as staff and the manager read it."""
    if kind == "wait":
        return tr.gettext(lang, N_("%(subject)s has waited %(value)d min (standard %(limit)d min)")) % {
            "subject": subject,
            "value": round(value / 60),
            "limit": round(limit / 60),
        }
    if kind == "service_time":
        return tr.gettext(lang, N_("%(subject)s in service for %(value)d min (standard %(limit)d min)")) % {
            "subject": subject,
            "value": round(value / 60),
            "limit": round(limit / 60),
        }
    if kind == "queue_length":
        people = round(value)
        return tr.ngettext(
            lang, "%(value)d person waiting (limit %(limit)d)", "%(value)d people waiting (limit %(limit)d)", people
        ) % {"value": people, "limit": round(limit)}
    if kind == "idle_while_waiting":
        return tr.gettext(
            lang, N_("Counter %(subject)s not serving for %(value)d min while customers wait (standard %(limit)d min)")
        ) % {"subject": subject, "value": round(value / 60), "limit": round(limit / 60)}
    if kind == "untracked_people":
        people = round(value)
        return tr.ngettext(
            lang,
            "The camera sees %(value)d more person in line than tickets",
            "The camera sees %(value)d more people in line than tickets",
            people,
        ) % {"value": people}
    return f"{kind} {subject}"


# the words of each break reason a branch may offer (config.schema.BreakReason)
BREAK_REASONS = {
    "lunch": N_("Lunch"),
    "short_break": N_("Short break"),
    "meeting": N_("Meeting"),
    "training": N_("Training"),
    "personal": N_("Personal matter"),
}


def break_reason(tr: Translator, lang: str, reason: str | None) -> str:
    """A break's reason as the console shows it ('Lunch')."""
    return tr.gettext(lang, BREAK_REASONS[reason]) if reason in BREAK_REASONS else (reason or "")
