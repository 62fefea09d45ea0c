"""The manager's pages as HTML: the sign-in form, today live, a period's report.

Every value is escaped here; every form is a POST that carries the session's CSRF token.
The report's own printable page (:func:`kiosk.reports.html.report_html`) is embedded as it
is, in a sandboxed ``<iframe srcdoc>`` (its styles stay its own, no script runs in it), so
whatever section the report gains appears here too::

    page = Page(cfg, tr, "ru", csrf="…", manager="Oyun", here="/manager", query={})
    html = page.layout("today", page.today_body(today))
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from string import Template
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from config.schema import BranchConfig
from kiosk.i18n import LANGUAGE_NAMES, Translator
from kiosk.reports.html import report_html
from kiosk.reports.report_shape import Report
from kiosk.ui.manager_view import ManagerView
from kiosk.web.manager_live import Today
from kiosk.web.manager_texts import texts
from kiosk.web.periods import KINDS, Period

LAYOUT = Template((Path(__file__).parent / "templates" / "manager.html").read_text(encoding="utf-8"))
BAR_TOP_MIN = 5.0  # the hour chart's scale reaches at least this many minutes


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass
class Page:
    """One page's wording and the bits every page shares (header, language links, CSRF token)."""

    cfg: BranchConfig
    tr: Translator
    lang: str
    csrf: str
    manager: str | None = None
    here: str = "/manager"
    query: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.t = texts(self.tr, self.lang)

    # -- shared ------------------------------------------------------------------
    def layout(self, page: str, body: str, title: str = "") -> str:
        return LAYOUT.substitute(
            lang=esc(self.lang),
            page=esc(f"page-{page}"),
            title=esc(f"{title or self.t['title']} · {self.cfg.branch.name}"),
            header=self.header(page),
            body=body,
        )

    def csrf_field(self) -> str:
        return f'<input type="hidden" name="csrf" value="{esc(self.csrf)}">'

    def languages(self) -> str:
        links = []
        for lang in self.cfg.branch.languages:
            query = urlencode({**self.query, "lang": lang})
            here = ' aria-current="true"' if lang == self.lang else ""
            links.append(f'<a href="{esc(self.here)}?{esc(query)}" hreflang="{lang}"{here}>{LANGUAGE_NAMES[lang]}</a>')
        return f'<div class="langs">{"".join(links)}</div>'

    def header(self, page: str) -> str:
        if self.manager is None:
            return f'<header><div class="brand">{esc(self.cfg.branch.name)}</div>{self.languages()}</header>'

        def tab(key: str, href: str) -> str:
            on = ' aria-current="page"' if key == page else ""
            return f'<a href="{href}"{on}>{esc(self.t[key])}</a>'

        who = esc(self.t["signed_in_as"] % {"name": self.manager})
        return (
            f'<header><div class="brand">{esc(self.cfg.branch.name)}</div>'
            f"<nav>{tab('today', '/manager')}{tab('reports', '/manager/report')}</nav>"
            f'<div class="who"><span>{who}</span><form method="post" action="/manager/sign-out">{self.csrf_field()}'
            f'<button type="submit">{esc(self.t["sign_out"])}</button></form></div>{self.languages()}</header>'
        )

    def tiles(self, report: Report) -> str:
        view = ManagerView(self.cfg, self.tr, self.lang)
        view.show(report)
        return (
            '<div class="tiles">'
            + "".join(
                f'<div class="tile"><div class="v">{esc(t.value)}</div><div class="l">{esc(t.label)}</div></div>'
                for t in view.tiles
            )
            + "</div>"
        )

    # -- sign-in -------------------------------------------------------------------
    def sign_in_body(self, message: str = "") -> str:
        """The form; a refused try shows it empty again (the answer is the same whatever was typed)."""
        t = self.t
        return (
            f'<main class="sign-in"><h1>{esc(t["title"])}</h1>'
            f'<p class="message" role="alert">{esc(message)}</p>'
            f'<form method="post" action="/manager/sign-in">{self.csrf_field()}'
            f'<label>{esc(t["name"])}<input name="name" autocomplete="username"'
            f' maxlength="60" required autofocus></label>'
            f'<label>{esc(t["pin"])}<input name="pin" type="password" inputmode="numeric"'
            f' autocomplete="current-password" maxlength="8" required></label>'
            f'<button type="submit">{esc(t["sign_in"])}</button></form></main>'
        )

    # -- today, live -----------------------------------------------------------------
    def today_fragment(self, today: Today, connected: bool) -> str:
        """What the live page shows; the same HTML on the first load and in every event."""
        t = self.t
        view = ManagerView(self.cfg, self.tr, self.lang)
        view.show(today.report)
        tz = ZoneInfo(self.cfg.branch.timezone)
        at = datetime.fromtimestamp(today.read_at, tz).strftime("%H:%M:%S")
        names = {s.code: s.names.get(self.lang, s.code) for s in self.cfg.services}
        waiting = "".join(
            f'<li><span class="svc">{esc(names.get(code, code))}</span><b>{n}</b></li>'
            for code, n in today.waiting.items()
        )
        top = max([BAR_TOP_MIN, *(h.wait_min for h in view.hours)])
        bars = "".join(
            f'<div class="bar" title="{h.arrived}"><span class="v">{h.wait_min:.0f}</span>'
            f'<span class="fill" style="height:{100 * h.wait_min / top:.0f}%"></span>'
            f'<span class="h">{h.hour:02d}</span></div>'
            for h in view.hours
        )
        breaches = (
            '<ul class="breaches">' + "".join(f"<li>{esc(b)}</li>" for b in view.breaches) + "</ul>"
            if view.breaches
            else f'<p class="note">{esc(view.no_breaches_text())}</p>'
        )
        return (
            f"<h1>{esc(t['today'])} · {esc(today.day)}</h1>"
            f'<p class="status"><span class="reconnecting"{"" if not connected else " hidden"}>'
            f"{esc(t['reconnecting'])}</span> <span>{esc(t['updated'] % {'time': at})}</span></p>"
            f"{self.tiles(today.report)}"
            f'<div class="cols"><section class="waiting"><h2>{esc(t["waiting_now"])}</h2><ul>{waiting}</ul></section>'
            f'<section class="hours"><h2>{esc(t["wait_by_hour"])}</h2><div class="bars">{bars}</div></section></div>'
            f"<section><h2>{esc(t['breaches'])}</h2>{breaches}</section>"
            f'<p><a href="/manager/report?{Period.of("day", datetime.fromisoformat(today.day).date()).query()}">'
            f"{esc(t['reports'])} →</a></p>"
        )

    def today_body(self, today: Today, connected: bool) -> str:
        return f'<main id="today" data-events="/manager/events">{self.today_fragment(today, connected)}</main>'

    # -- a period's report -----------------------------------------------------------
    def report_body(self, period: Period, report: Report) -> str:
        t = self.t
        options = "".join(
            f'<option value="{k}"{" selected" if k == period.kind else ""}>{esc(t[k])}</option>' for k in KINDS
        )
        q = period.query()
        span = period.first.isoformat() if period.kind == "day" else f"{period.first} – {period.last}"
        return (
            f'<main class="report"><h1>{esc(t["reports"])} · {esc(t[period.kind])} {esc(span)}</h1>'
            f'<div class="bar-row"><form method="post" action="/manager/report" class="period">{self.csrf_field()}'
            f'<select name="period" aria-label="{esc(t["reports"])}">{options}</select>'
            f'<input type="date" name="date" value="{period.first.isoformat()}" required>'
            f'<button type="submit">{esc(t["show"])}</button></form>'
            f'<nav class="steps"><a href="/manager/report?{period.step(-1).query()}">← {esc(t["earlier"])}</a>'
            f'<a href="/manager/report?{period.step(1).query()}">{esc(t["later"])} →</a></nav></div>'
            f"{self.tiles(report)}"
            f'<p class="downloads">{esc(t["download"])}: <a href="/manager/report.csv?{q}" download>'
            f'{esc(t["figures_csv"])}</a> · <a href="/manager/visits.csv?{q}" download>{esc(t["visits_csv"])}</a>'
            f' · <a href="/manager/report.json?{q}" download>{esc(t["report_json"])}</a>'
            f' <button type="button" id="print">{esc(t["print"])}</button></p>'
            f"<h2>{esc(t['full_report'])}</h2>"
            f'<iframe id="report" title="{esc(t["full_report"])}" sandbox="allow-same-origin allow-modals"'
            f' srcdoc="{esc(report_html(report))}"></iframe></main>'
        )

    def message_body(self, message: str) -> str:
        return f'<main class="sign-in"><p class="message" role="alert">{esc(message)}</p></main>'
