"""The words of the manager's pages, from the gettext catalogs (the figures' own labels are
:class:`kiosk.ui.manager_view.ManagerView`'s, the same as on the kiosk's manager screen)::

    texts(tr, "ru")["sign_in"]          # 'Войти'
    locked_text(tr, "en", 299.0)        # 'Too many wrong tries. Try again in 5 minutes.'
"""

from __future__ import annotations

import math

from kiosk.i18n import N_, Translator

TEXTS = {
    "title": N_("Manager sign-in"),
    "name": N_("Name"),
    "pin": N_("PIN"),
    "sign_in": N_("Sign in"),
    "sign_out": N_("Sign out"),
    "signed_in_as": N_("Signed in: %(name)s"),
    "wrong": N_("Wrong name or PIN. Please try again."),
    "form_expired": N_("This form has expired. Please try again."),
    "form_too_long": N_("Sorry, this form is too long to be read. Please fill it in again."),
    "unavailable": N_("The PIN cannot be checked now: the database cannot be reached."),
    "today": N_("Today, live"),
    "reports": N_("Reports"),
    "day": N_("Day"),
    "week": N_("Week"),
    "month": N_("Month"),
    "show": N_("Show"),
    "earlier": N_("Earlier"),
    "later": N_("Later"),
    "waiting_now": N_("Waiting now"),
    "wait_by_hour": N_("Average wait by hour of arrival, minutes"),
    "breaches": N_("Breaches of the standard"),
    "download": N_("Download"),
    "figures_csv": N_("Figures (CSV)"),
    "visits_csv": N_("Visits (CSV log)"),
    "report_json": N_("Report (JSON)"),
    "print": N_("Print"),
    "full_report": N_("The full report, as printed (in English)"),
    "reconnecting": N_("Reconnecting…"),
    "updated": N_("Updated at %(time)s"),
    "bad_period": N_("No such period. Pick a date and a day, week or month."),
    "unreadable": N_("The figures cannot be read now. Please try again."),
}


def texts(tr: Translator, lang: str) -> dict[str, str]:
    return {key: tr.gettext(lang, msg) for key, msg in TEXTS.items()}


def locked_text(tr: Translator, lang: str, locked_for_s: float) -> str:
    """The answer while a name is locked (the console's own wording)."""
    minutes = max(1, math.ceil(locked_for_s / 60))
    return tr.ngettext(
        lang,
        "Too many wrong tries. Try again in %(n)d minute.",
        "Too many wrong tries. Try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}
