"""The manager's session on ``/manager``: a signed cookie, an end the server enforces, a CSRF token.

The cookie is Starlette's ``SessionMiddleware`` (itsdangerous-signed JSON, HttpOnly,
SameSite=Strict, ``Path=/manager``, ``Max-Age`` the session's length); the key it is signed
with is drawn at random when the server starts, so nothing about sessions is stored
anywhere and a restart signs everyone out. On top of the signature the server checks, on
every request, the session's own end (``until``, set at sign-in and never moved) and that
it was not signed out (the signed-out sessions' ids are kept in memory until their end)::

    sessions = Sessions(lifetime_s=3600)
    token = sessions.csrf_token(request.session)          # into every form, hidden
    sessions.csrf_ok(request.session, form.get("csrf"))   # on every POST, before anything else
    sessions.sign_in(request.session, "Oyun")
    sessions.manager(request.session)                     # 'Oyun', or None: not signed in (any more)

The CSRF token is the synchronizer-token pattern: a random value kept in the signed session
and repeated in each form; a POST whose form does not carry it is refused (403).
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware

from config.schema import BranchConfig

COOKIE = "frontdesk_manager"
PATH = "/manager"
Session = MutableMapping[str, Any]


def session_middleware(cfg: BranchConfig, secret: str) -> Middleware:
    """The cookie's flags: HttpOnly (always, in Starlette), SameSite=Strict, Max-Age, Path=/manager."""
    return Middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=COOKIE,
        max_age=cfg.web.manager_session_min * 60,
        path=PATH,
        same_site="strict",
        https_only=cfg.web.secure_cookie,
    )


@dataclass
class Sessions:
    """Who is signed in, checked on every request against the session's end and the sign-outs."""

    lifetime_s: float
    clock: Callable[[], float] = time.time
    signed_out: dict[str, float] = field(default_factory=dict)  # session id -> its end

    def csrf_token(self, session: Session) -> str:
        token = session.get("csrf")
        if not isinstance(token, str):
            token = session["csrf"] = secrets.token_urlsafe(24)
        return token

    def csrf_ok(self, session: Session, sent: object) -> bool:
        token = session.get("csrf")
        return isinstance(token, str) and isinstance(sent, str) and hmac.compare_digest(token, sent)

    def sign_in(self, session: Session, name: str) -> None:
        """A new session (new id, new CSRF token) for ``name``; the language chosen is kept."""
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        session.update(
            manager=name,
            sid=secrets.token_urlsafe(16),
            until=self.clock() + self.lifetime_s,
            csrf=secrets.token_urlsafe(24),
        )

    def manager(self, session: Session) -> str | None:
        """The signed-in manager's name; None when not signed in, past the session's end or signed out."""
        name, sid, until = session.get("manager"), session.get("sid"), session.get("until")
        if not (isinstance(name, str) and isinstance(sid, str) and isinstance(until, int | float)):
            return None
        if until <= self.clock() or sid in self.signed_out:
            return None
        return name

    def ends_at(self, session: Session) -> float:
        until = session.get("until")
        return float(until) if isinstance(until, int | float) else 0.0

    def sign_out(self, session: Session) -> None:
        """End the session here and now: its id is refused from now on, even if the cookie is replayed."""
        now = self.clock()
        sid = session.get("sid")
        if isinstance(sid, str):
            self.signed_out[sid] = self.ends_at(session)
        self.signed_out = {s: end for s, end in self.signed_out.items() if end > now}
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
