"""The Starlette app of ``frontdesk web``: the hall board and the phone pages (public, read-only),
and the manager's pages behind a sign-in (:mod:`kiosk.web.manager`).

>>> from config import load_config
>>> app = create_app(load_config(None), "sqlite:////var/lib/frontdesk/log.sqlite3")   # doctest: +SKIP

Routes (the public ones all GETs; nothing writes to the log but the manager sign-in's count of
wrong PINs, on a connection that may write nothing else, :mod:`kiosk.store.pin_lock`):

- ``/board``, ``/board.json``, ``/board/events`` (server-sent events), ``/board/sound/<call id>.wav``;
- ``/t/<token>``, ``/t/<token>.json``, ``/t/<token>/events``;
- ``/manager…``: the manager's pages (:mod:`kiosk.web.manager`), a signed session each;
- ``/static/…``: the pages' own CSS and JS (package data, no CDN).

Anything else, and a token that is unknown or not today's, gets the same plain 404 page.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from string import Template
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from config.schema import BranchConfig
from kiosk.i18n import Translator
from kiosk.store import Call
from kiosk.store.changes import ChangeFeed
from kiosk.web import labels
from kiosk.web.following import Source
from kiosk.web.live import CURRENT_CALLS, Hub, call_id
from kiosk.web.manager import Manager
from kiosk.web.sessions import session_middleware
from kiosk.web.sound import CallSounds
from kiosk.web.voice import CallVoice

log = logging.getLogger("frontdesk.web")

HERE = Path(__file__).parent
KEEPALIVE_S = 15.0  # a comment line this often keeps proxies and the browser from timing out
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
UNUSED_TOKEN = "-" * 22  # well-formed, and with odds of 2**-132 never issued
NOT_FOUND = (HERE / "templates" / "404.html").read_text(encoding="utf-8")


def create_app(cfg: BranchConfig, url: str, clock: Callable[[], float] = time.time) -> Starlette:
    """The web app over the log at ``url``; its change feed runs while the app runs."""
    tr = Translator.load(tuple(cfg.branch.languages))
    hub = Hub(cfg, source=Source(cfg, url))
    manager = Manager(cfg, tr, url, clock)
    voice = CallVoice(cfg)
    sounds = CallSounds(voice.render, keep=CURRENT_CALLS + cfg.web.recent_calls)  # the calls the board lists
    pages = _Pages(cfg, tr, hub, sounds)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        hub.start()
        manager.live.start()
        pending: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to tasks

        def new_call(call: Call) -> None:  # render its sound before the board asks for it
            task = loop.create_task(_prepare(sounds, call))
            pending.add(task)
            task.add_done_callback(pending.discard)

        def link(up: bool) -> None:  # on the feed's thread
            asyncio.run_coroutine_threadsafe(hub.set_connected(up), loop)
            asyncio.run_coroutine_threadsafe(manager.live.set_connected(up), loop)

        poke_board, poke_manager = hub.poke(loop), manager.live.poke(loop)

        def changed() -> None:  # on the feed's thread
            poke_board()
            poke_manager()

        hub.on_new_call = new_call

        # for the command's signal handler (any thread): end the live streams on this loop
        def end_streams() -> None:  # the board's, the phones' and the manager's
            for following in (hub, manager.live):
                pending.add(loop.create_task(following.close()))

        app.state.end_streams = lambda: loop.call_soon_threadsafe(end_streams)
        feed = ChangeFeed(url, on_change=changed, on_status=link)
        runner = loop.create_task(hub.run())
        manager_runner = loop.create_task(manager.live.run())
        feed.start()
        # every language's clips into memory now, so that a call only joins them
        preparing = loop.create_task(anyio.to_thread.run_sync(voice.prepare))
        pending.add(preparing)
        preparing.add_done_callback(pending.discard)
        try:
            yield
        finally:
            feed.stop()
            runner.cancel()
            manager_runner.cancel()

    routes = [
        Route("/board", pages.board),
        Route("/board.json", pages.board_json),
        Route("/board/events", pages.board_events),
        Route("/board/sound/{key}.wav", pages.sound),
        Route("/t/{token}.json", pages.phone_json),
        Route("/t/{token}/events", pages.phone_events),
        Route("/t/{token}", pages.phone),
        *manager.routes(),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    # the session's key is drawn afresh at each start: no secret is stored, a restart signs managers out
    middleware = [session_middleware(cfg, secrets.token_hex(32))]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={404: _not_found, 405: _not_found},
    )
    app.state.hub = hub
    app.state.sounds = sounds
    app.state.manager = manager
    return app


async def _prepare(sounds: CallSounds, call: Call) -> None:
    await anyio.to_thread.run_sync(sounds.prepare, call, call_id(call))


async def _not_found(request: Request, exc: Exception) -> Response:
    """The one 404 page. A wrong address does the token lookup a status page does, so that
    neither the page nor its time tells a wrong address from an unknown or expired token."""
    if not getattr(request.state, "looked_up", False):
        hub: Hub = request.app.state.hub
        await anyio.to_thread.run_sync(hub.lookup, UNUSED_TOKEN)
    return HTMLResponse(NOT_FOUND, status_code=404)


class _Pages:
    """The route handlers, sharing the hub, the catalogs and the sounds."""

    def __init__(self, cfg: BranchConfig, tr: Translator, hub: Hub, sounds: CallSounds) -> None:
        self.cfg = cfg
        self.tr = tr
        self.hub = hub
        self.sounds = sounds
        self.board_page = Template((HERE / "templates" / "board.html").read_text(encoding="utf-8"))
        self.phone_page = Template((HERE / "templates" / "phone.html").read_text(encoding="utf-8"))

    # -- the hall board ----------------------------------------------------------
    async def board(self, request: Request) -> Response:
        setup = {
            "labels": labels.board_labels(self.tr, self.cfg),
            "default": self.cfg.branch.default_language,
            "mode": self.cfg.web.labels,
            "rotate_s": self.cfg.web.rotate_s,
            "recent": self.cfg.web.recent_calls,
            "branch": self.cfg.branch.name,
        }
        return HTMLResponse(
            self.board_page.substitute(
                lang=self.cfg.branch.default_language, setup=_script_json(setup), title=_html(self.cfg.branch.name)
            )
        )

    async def board_json(self, request: Request) -> Response:
        return JSONResponse(self._board_state(), headers={"Cache-Control": "no-store"})

    def _board_state(self) -> dict[str, Any]:
        texts = labels.board_wait_texts(self.tr, self.cfg, self.hub.board.get("estimate", {}))
        return {**self.hub.board, "wait_text": texts, "connected": self.hub.connected}

    async def board_events(self, request: Request) -> Response:
        return _event_stream(request, self.hub, lambda: ("board", self._board_state()))

    async def sound(self, request: Request) -> Response:
        key = request.path_params["key"]
        call = self.hub.calls.get(key)
        if call is None:
            raise HTTPException(404)
        wav = await anyio.to_thread.run_sync(self.sounds.serve, call, key)
        return Response(wav, media_type="audio/wav", headers={"Cache-Control": "no-store"})

    # -- the customer's phone ------------------------------------------------------
    async def _status(self, request: Request, token: str) -> dict[str, Any] | None:
        if not TOKEN_SHAPE.match(token):
            # the same database lookup as a well-formed token, so that the shape is not a tell
            token = UNUSED_TOKEN
        request.state.looked_up = True
        return await anyio.to_thread.run_sync(self.hub.lookup, token)

    async def phone(self, request: Request) -> Response:
        token = request.path_params["token"]
        status = await self._status(request, token)
        if status is None:
            raise HTTPException(404)
        lang = status["language"] or self.cfg.branch.default_language
        texts = labels.phone_texts(self.tr, lang, status)
        setup = {"token": token, "status": status, "texts": texts}
        return HTMLResponse(
            self.phone_page.substitute(
                lang=lang,
                setup=_script_json(setup),
                title=_html(texts["title"]),
                number=_html(status["ticket"]),
                headline=_html(texts["headline"]),
                ahead=_html(texts["ahead"]),
                wait=_html(texts["wait"]),
                your_number=_html(texts["your_number"]),
                reconnecting=_html(texts["reconnecting"]),
            ),
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    async def phone_json(self, request: Request) -> Response:
        status = await self._status(request, request.path_params["token"])
        if status is None:
            raise HTTPException(404)
        body = {k: status[k] for k in ("ticket", "state", "ahead", "wait_low_s", "wait_high_s", "counter")}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def phone_events(self, request: Request) -> Response:
        token = request.path_params["token"]
        status = await self._status(request, token)
        if status is None:
            raise HTTPException(404)
        lang = status["language"] or self.cfg.branch.default_language
        last = {"status": status}

        def current() -> tuple[str, dict[str, Any]]:
            now = self.hub.phone(token) or last["status"]
            last["status"] = now
            return "ticket", {
                "status": now,
                "texts": labels.phone_texts(self.tr, lang, now),
                "connected": self.hub.connected,
            }

        self.hub.watch(token)
        return _event_stream(request, self.hub, current, on_close=lambda: self.hub.unwatch(token))


def _event_stream(
    request: Request,
    hub: Hub,
    current: Callable[[], tuple[str, dict[str, Any]]],
    on_close: Callable[[], None] | None = None,
) -> StreamingResponse:
    """Server-sent events: the whole current state on connect and after every change.

    Each event carries the full state, so a page that reconnects has nothing to replay and
    can neither miss nor double a call; the page itself decides what is new.
    """

    async def events() -> AsyncIterator[str]:
        seen = -1
        sent: dict[str, Any] | None = None
        try:
            yield "retry: 1000\n\n"
            while True:
                version = hub.version
                if version != seen:
                    seen = version
                    name, data = current()
                    if data != sent:
                        sent = data
                        yield f"event: {name}\nid: {version}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
                after = await hub.changed(seen, KEEPALIVE_S)
                if hub.closing:
                    break  # the page reconnects to the next server by itself
                if after == seen:
                    yield ": keep-alive\n\n"
                if await request.is_disconnected():
                    break
        finally:
            if on_close is not None:
                on_close()

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )


def _script_json(obj: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _html(text: str) -> str:
    return html.escape(text, quote=True)
