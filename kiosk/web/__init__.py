"""The branch's web server (``frontdesk web``): the hall board and the customers' phone pages.

- ``/board`` (and ``/board.json``, ``/board/events``): the TV in the waiting area;
- ``/t/<token>`` (and ``.json``, ``/events``): "your place in line" on the customer's phone.

The app is built by :func:`kiosk.web.app.create_app`; it only reads the log and learns of
changes from :mod:`kiosk.store.changes`. This package's top level stays light (no Starlette)
so that the kiosk and the command line can name a ticket's page without loading the server::

    >>> status_path("q3V9dQ2f8mX1pB7sK0aL4w")
    '/t/q3V9dQ2f8mX1pB7sK0aL4w'
"""

from __future__ import annotations


def status_path(token: str) -> str:
    """The path of a ticket's phone page, relative to ``[web] public_url``."""
    return f"/t/{token}"


def status_url(public_url: str, token: str) -> str | None:
    """The full address a ticket's QR code carries; None when the branch set no ``public_url``.

    >>> status_url("http://192.168.1.20:8080/", "abc")
    'http://192.168.1.20:8080/t/abc'
    >>> status_url("", "abc") is None
    True
    """
    if not public_url:
        return None
    return public_url.rstrip("/") + status_path(token)
