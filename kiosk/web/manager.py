"""``/manager``: the manager's pages on ``frontdesk web``, behind a manager PIN.

The contract (docs/web.md):

- ``POST /manager/sign-in`` (form fields ``name``, ``pin`` and the page's ``csrf``): right →
  a session cookie and 303 to ``/manager``; wrong PIN or unknown name → 401, the same page;
  a name locked by five wrong tries in a row (counted in the database, shared with the
  consoles) → 429 for five minutes, even with the right PIN; no or a wrong CSRF token → 403;
- every other ``/manager`` address without a valid session → 303 to ``/manager/sign-in``;
- ``GET /manager``: today, live (``/manager/events``, server-sent events after every change);
- ``GET /manager/report?period=day|week|month&date=YYYY-MM-DD``: that period's report, with
  ``/manager/report.csv``, ``/manager/report.json`` and ``/manager/visits.csv`` (the CSV log);
- ``POST /manager/sign-out`` (``csrf``): the session ends at once, server-side too.

Nothing here shows a customer: the figures, ticket numbers and staff names only.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import date

import anyio.to_thread
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from config.schema import BranchConfig
from kiosk.errors import StoreError
from kiosk.i18n import Translator
from kiosk.reports import build_report, export_csv
from kiosk.reports.render import report_csv, report_json
from kiosk.reports.report_shape import Report
from kiosk.store.pin_lock import open_pin_lock_store
from kiosk.store.pins import PinCheck, PinStore
from kiosk.web.following import Source
from kiosk.web.manager_live import TodayLive, read_today
from kiosk.web.manager_pages import Page
from kiosk.web.manager_texts import locked_text, texts
from kiosk.web.periods import Period
from kiosk.web.sessions import Sessions

log = logging.getLogger("frontdesk.web")

SIGN_IN = "/manager/sign-in"
MAX_FORM_BYTES = 4096  # a sign-in or a period: a few fields
KEEPALIVE_S = 15.0
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # no script but our own file; the embedded report page brings its own <style>
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
    " frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
}


class Manager:
    """The manager's routes, their session rules and their read-only view of the log."""

    def __init__(self, cfg: BranchConfig, tr: Translator, url: str, clock: Callable[[], float] = time.time) -> None:
        self.cfg = cfg
        self.tr = tr
        self.url = url
        self.source = Source(cfg, url, clock)  # a connection of its own: a month's report never holds up the board
        self.live = TodayLive(cfg, source=self.source)
        self.sessions = Sessions(cfg.web.manager_session_min * 60.0, clock)
        self._pins: PinStore | None = None
        self._pins_lock = threading.Lock()

    def routes(self) -> list[Route]:
        return [
            Route("/manager", self.today),
            Route("/manager/events", self.events),
            Route(SIGN_IN, self.sign_in_page, methods=["GET"]),
            Route(SIGN_IN, self.sign_in, methods=["POST"]),
            Route("/manager/sign-out", self.sign_out, methods=["POST"]),
            Route("/manager/report", self.report, methods=["GET"]),
            Route("/manager/report", self.pick_period, methods=["POST"]),
            Route("/manager/report.csv", self.report_file),
            Route("/manager/report.json", self.report_file),
            Route("/manager/visits.csv", self.visits_file),
        ]

    # -- what every page needs ----------------------------------------------------------
    def lang(self, request: Request) -> str:
        """``?lang=`` (remembered in the session), else the one chosen before, else the branch's."""
        asked = request.query_params.get("lang")
        if asked in self.cfg.branch.languages:
            request.session["lang"] = asked
        kept = request.session.get("lang")
        return kept if kept in self.cfg.branch.languages else self.cfg.branch.default_language

    def page(self, request: Request, manager: str | None) -> Page:
        query = {k: v for k, v in request.query_params.items() if k != "lang"}
        lang = self.lang(request)
        csrf = self.sessions.csrf_token(request.session)
        return Page(self.cfg, self.tr, lang, csrf, manager, request.url.path, query)

    def html(self, body: str, status: int = 200, extra: dict[str, str] | None = None) -> HTMLResponse:
        return HTMLResponse(body, status_code=status, headers={**HEADERS, **(extra or {})})

    def signed_in(self, request: Request) -> str | None:
        return self.sessions.manager(request.session)

    @staticmethod
    def to_sign_in() -> Response:
        return RedirectResponse(SIGN_IN, status_code=303, headers=HEADERS)

    async def form(self, request: Request) -> FormData | None:
        """The posted form, or None when it is larger than any form of these pages."""
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return None
        return await request.form(max_files=0, max_fields=8)

    def refused_form(self, request: Request, form: FormData | None) -> HTMLResponse:
        """The answer to a form that is too long (413) or has no valid CSRF token (403)."""
        t = texts(self.tr, self.lang(request))
        return self.html(t["form_too_long"], 413) if form is None else self.html(t["form_expired"], 403)

    # -- signing in and out -----------------------------------------------------------------
    async def sign_in_page(self, request: Request, message: str = "", status: int = 200) -> Response:
        if status == 200 and self.signed_in(request):
            return RedirectResponse("/manager", status_code=303, headers=HEADERS)
        page = self.page(request, None)
        extra = {"Retry-After": "60"} if status == 429 else None
        return self.html(page.layout("sign-in", page.sign_in_body(message)), status, extra)

    def check_pin(self, name: str, pin: str) -> PinCheck:
        """The consoles' own check (scrypt, five tries, counted in the database), on the narrow connection."""
        with self._pins_lock:
            if self._pins is None:
                self._pins = PinStore(open_pin_lock_store(self.url))
            pins = self._pins
        try:
            return pins.verify("manager", name, pin)
        except StoreError:
            with self._pins_lock:
                if self._pins is pins:
                    pins.store.close()
                    self._pins = None
            raise

    async def sign_in(self, request: Request) -> Response:
        t = texts(self.tr, self.lang(request))
        form = await self.form(request)
        if form is None:
            return await self.sign_in_page(request, t["form_too_long"], 413)
        if not self.sessions.csrf_ok(request.session, form.get("csrf")):
            return await self.sign_in_page(request, t["form_expired"], 403)
        name = str(form.get("name") or "").strip()
        pin = str(form.get("pin") or "")
        try:
            check = await anyio.to_thread.run_sync(self.check_pin, name, pin)
        except StoreError as exc:
            log.warning("manager sign-in cannot be checked: %s", exc)
            return await self.sign_in_page(request, t["unavailable"], 503)
        if check.ok:
            self.sessions.sign_in(request.session, name)
            log.info("manager signed in: %s", name)
            return RedirectResponse("/manager", status_code=303, headers=HEADERS)
        if check.while_locked:
            log.info("manager sign-in refused, name locked: %s", name)
            lang = self.lang(request)
            return await self.sign_in_page(request, locked_text(self.tr, lang, check.locked_for_s), 429)
        log.info("manager sign-in refused: wrong name or PIN")
        return await self.sign_in_page(request, t["wrong"], 401)

    async def sign_out(self, request: Request) -> Response:
        form = await self.form(request)
        if form is None or not self.sessions.csrf_ok(request.session, form.get("csrf")):
            if self.signed_in(request) is None:
                return self.to_sign_in()
            return self.refused_form(request, form)
        self.sessions.sign_out(request.session)
        return self.to_sign_in()

    # -- today, live ------------------------------------------------------------------------------
    async def today(self, request: Request) -> Response:
        manager = self.signed_in(request)
        if manager is None:
            return self.to_sign_in()
        page = self.page(request, manager)
        try:
            today = await anyio.to_thread.run_sync(read_today, self.cfg, self.source)
        except StoreError:
            self.source.forget()
            return self.html(page.layout("today", page.message_body(page.t["unreadable"])), 503)
        return self.html(page.layout("today", page.today_body(today, connected=True), page.t["today"]))

    async def events(self, request: Request) -> Response:
        """Today's figures as server-sent events: on connect and after every change; ``signed_out``
        (and the end of the stream) once the session ends or is signed out."""
        manager = self.signed_in(request)
        if manager is None:
            return self.to_sign_in()
        page = self.page(request, manager)
        live, sessions = self.live, self.sessions

        async def stream() -> AsyncIterator[str]:
            seen, sent = -1, None
            live.watch()
            try:
                yield "retry: 1000\n\n"
                while True:
                    if sessions.manager(request.session) is None:
                        yield "event: signed_out\ndata: {}\n\n"
                        break
                    version, today = live.version, live.today
                    if version != seen and today is not None:
                        seen = version
                        data = {"html": page.today_fragment(today, live.connected), "connected": live.connected}
                        if data != sent:
                            sent = data
                            yield f"event: today\nid: {version}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
                    left = sessions.ends_at(request.session) - sessions.clock()
                    after = await live.changed(seen, max(0.5, min(KEEPALIVE_S, left)))
                    if live.closing:
                        break  # the server is stopping; the page reconnects to the next one
                    if after == seen:
                        yield ": keep-alive\n\n"
                    if await request.is_disconnected():
                        break
            finally:
                live.unwatch()

        headers = {**HEADERS, "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    # -- reports ------------------------------------------------------------------------------------
    def period(self, request: Request) -> Period | None:
        q = request.query_params
        if "period" not in q and "date" not in q:  # the Reports tab: this month
            return Period.of("month", date.fromisoformat(self.source.today()))
        return Period.parse(q.get("period"), q.get("date"))

    def build(self, period: Period) -> Report:
        try:
            return build_report(self.source.store(), self.cfg, period.first, period.last)
        except StoreError:
            self.source.forget()
            raise

    async def report(self, request: Request) -> Response:
        manager = self.signed_in(request)
        if manager is None:
            return self.to_sign_in()
        page = self.page(request, manager)
        try:
            period = await anyio.to_thread.run_sync(self.period, request)
            if period is None:
                return self.html(page.layout("reports", page.message_body(page.t["bad_period"])), 400)
            report = await anyio.to_thread.run_sync(self.build, period)
        except StoreError:
            return self.html(page.layout("reports", page.message_body(page.t["unreadable"])), 503)
        return self.html(page.layout("reports", page.report_body(period, report), page.t["reports"]))

    async def pick_period(self, request: Request) -> Response:
        """The period form: a POST like every form here (CSRF-checked), answered with the report's address."""
        if self.signed_in(request) is None:
            return self.to_sign_in()
        t = texts(self.tr, self.lang(request))
        form = await self.form(request)
        if form is None or not self.sessions.csrf_ok(request.session, form.get("csrf")):
            return self.refused_form(request, form)
        period = Period.parse(str(form.get("period") or ""), str(form.get("date") or ""))
        if period is None:
            return self.html(t["bad_period"], 400)
        return RedirectResponse(f"/manager/report?{period.query()}", status_code=303, headers=HEADERS)

    async def report_file(self, request: Request) -> Response:
        as_csv = request.url.path.endswith(".csv")

        def body(period: Period) -> str:
            report = self.build(period)
            return report_csv(report) if as_csv else report_json(report)

        media = "text/csv; charset=utf-8" if as_csv else "application/json"
        return await self.download(request, body, "report", "csv" if as_csv else "json", media)

    async def download(
        self, request: Request, body: Callable[[Period], str], stem: str, suffix: str, media: str
    ) -> Response:
        """A signed-in download of one period's ``body`` (read off the event loop), as an attachment."""
        if self.signed_in(request) is None:
            return self.to_sign_in()
        period = Period.parse(request.query_params.get("period"), request.query_params.get("date"))
        if period is None:
            return Response("period=day|week|month&date=YYYY-MM-DD\n", 400, headers=HEADERS, media_type="text/plain")
        try:
            text = await anyio.to_thread.run_sync(body, period)
        except StoreError as exc:
            return Response(f"{exc}\n", 503, headers=HEADERS, media_type="text/plain")
        name = f"{stem}-{period.kind}-{period.first}.{suffix}"
        headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        return Response(text, headers=headers, media_type=media)

    def visits(self, period: Period) -> str:
        out = io.StringIO()
        try:
            export_csv(self.source.store(), self.cfg, out, period.first, period.last)
        except StoreError:
            self.source.forget()
            raise
        return out.getvalue()

    async def visits_file(self, request: Request) -> Response:
        return await self.download(request, self.visits, "visits", "csv", "text/csv; charset=utf-8")
