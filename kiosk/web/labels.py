"""The words on the board and the phone page, from the gettext catalogs.

The board gets its fixed labels in every language of the branch (it shows the default
one, or each in turn); a call's own words ("→ Counter 3") are taken in the call's
language. The phone page is worded on the server in the ticket's language, plural forms
included::

    board_labels(tr, cfg)["hy"]["counter"]          # 'Պատուհան %(n)d'
    phone_texts(tr, "ru", status)["headline"]      # 'Ваша очередь: окно 3'
"""

from __future__ import annotations

from typing import Any

from config.schema import BranchConfig
from kiosk.core.model import WaitEstimate
from kiosk.i18n import N_, Translator
from kiosk.ui import wording

BOARD_LABELS = {
    "now_calling": N_("Now calling"),
    "earlier": N_("Earlier calls"),
    "waiting": N_("Waiting"),
    "new_wait": N_("Wait for a new ticket"),
    "counter": N_("Counter %(n)d"),
    "reconnecting": N_("Reconnecting…"),
    "nobody": N_("Nobody is being called yet"),
}

STATE_HEADLINES = {
    "waiting": N_("We will call your number on the hall screen."),
    "called": N_("It's your turn: Counter %(n)d"),
    "serving": N_("You are being served at counter %(n)d."),
    "on_hold": N_("Your visit is on hold. Please stay nearby."),
    "done": N_("Thank you for your visit!"),
    "no_show": N_("This ticket is no longer in line."),
    "walked_away": N_("This ticket is no longer in line."),
    "closed_at_end_of_day": N_("We have closed for today. We are sorry we could not serve you; please come again."),
}


def board_labels(tr: Translator, cfg: BranchConfig) -> dict[str, dict[str, Any]]:
    """Every fixed label of the board, per branch language, with the services' names."""
    return {
        lang: {key: tr.gettext(lang, msg) for key, msg in BOARD_LABELS.items()}
        | {"services": {s.code: s.names[lang] for s in cfg.services}}
        for lang in cfg.branch.languages
    }


def minutes_text(tr: Translator, lang: str, low_s: float, high_s: float) -> str:
    """A short wait range for the board: '5–10 min', or 'in a moment'."""
    low, high = wording.minutes_range(WaitEstimate((low_s + high_s) / 2, low_s, high_s))
    if high <= wording.SOON_MIN:
        return tr.gettext(lang, N_("in a moment"))
    if low == 0:
        return tr.gettext(lang, N_("up to %(high)d min")) % {"high": high}
    return tr.gettext(lang, N_("%(low)d–%(high)d min")) % {"low": low, "high": high}


def board_wait_texts(
    tr: Translator, cfg: BranchConfig, estimate: dict[str, dict[str, int]]
) -> dict[str, dict[str, str]]:
    """Per language, per service: the wait a new ticket would be told."""
    return {
        lang: {code: minutes_text(tr, lang, e["low_s"], e["high_s"]) for code, e in estimate.items()}
        for lang in cfg.branch.languages
    }


def phone_texts(tr: Translator, lang: str, status: dict[str, Any]) -> dict[str, str]:
    """The phone page's sentences for a ticket's status, in the ticket's language."""
    state = status["state"]
    headline = tr.gettext(lang, STATE_HEADLINES[state])
    if "%(n)d" in STATE_HEADLINES[state]:
        headline = headline % {"n": status["counter"] or 0}
    ahead = wait = ""
    if state == "waiting" and status["ahead"] is not None:
        ahead = wording.ahead_text(tr, lang, status["ahead"])
        est = WaitEstimate(
            (status["wait_low_s"] + status["wait_high_s"]) / 2, status["wait_low_s"], status["wait_high_s"]
        )
        wait = wording.wait_text(tr, lang, est)
    return {
        "title": tr.gettext(lang, N_("Your place in line")),
        "your_number": tr.gettext(lang, N_("Your number")),
        "headline": headline,
        "ahead": ahead,
        "wait": wait,
        "reconnecting": tr.gettext(lang, N_("Reconnecting…")),
    }
