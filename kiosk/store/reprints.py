"""Tickets printed again (paper jam, lost ticket), in the log: the same ticket, no new number.

A reprint asked for at the kiosk is printed there and recorded as printed at once; one asked for
at a counter waits in the log until the kiosk that holds the printer claims it (it learns of it
from the change feed). Claiming marks ``printed_at`` first, so two kiosks never print one
request twice::

    >>> from kiosk.store import open_store
    >>> store = open_store("sqlite:///:memory:")
    >>> with store.writing("2026-12-02") as w:
    ...     ticket = w.issue("A", "CASH", False, "en", at=10.0)
    >>> request(store, ticket.id, at=20.0, counter=2, printed=False)
    1
    >>> [(r.number, r.counter) for r in pending(store)]
    [('A001', 2)]
    >>> claim(store, 1, at=21.0), claim(store, 1, at=22.0)
    (True, False)
    >>> pending(store)
    []
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.store.sql import Params, SqlStore


@dataclass(frozen=True)
class Reprint:
    """A request to print ticket ``number`` again (``counter`` None: asked at the kiosk)."""

    id: int
    ticket_id: int
    number: str
    day: str
    requested_at: float
    counter: int | None
    printed_at: float | None


def request(store: SqlStore, ticket_id: int, at: float, counter: int | None, printed: bool) -> int:
    """Record a reprint of the ticket; ``printed``: the asker prints it itself (the kiosk). Its id."""
    with store.transaction(lock=True):
        return store.insert(
            "INSERT INTO reprint (ticket_id, requested_at, counter, printed_at) VALUES (?, ?, ?, ?)",
            (ticket_id, at, counter, at if printed else None),
        )


def pending(store: SqlStore) -> list[Reprint]:
    """Reprints asked for at a counter and not yet printed, oldest first."""
    return _select(store, "r.printed_at IS NULL", ())


def of_day(store: SqlStore, day: str) -> list[Reprint]:
    """Every reprint of the day's tickets, oldest first."""
    return _select(store, "t.day = ?", (day,))


def claim(store: SqlStore, reprint_id: int, at: float) -> bool:
    """Take a pending reprint to print it; False if another kiosk took it first."""
    with store.transaction(lock=True):
        taken = store.run("UPDATE reprint SET printed_at = ? WHERE id = ? AND printed_at IS NULL", (at, reprint_id))
    return taken == 1


def _select(store: SqlStore, where: str, params: Params) -> list[Reprint]:
    with store.transaction(lock=False):
        rows = store.all(
            "SELECT r.id, r.ticket_id, t.number, t.day, r.requested_at, r.counter, r.printed_at"
            f" FROM reprint r JOIN ticket t ON t.id = r.ticket_id WHERE {where} ORDER BY r.requested_at, r.id",
            params,
        )
    return [Reprint(*r) for r in rows]


def status_token(store: SqlStore, ticket_id: int) -> str | None:
    """The ticket's "place in line" page token, printed again as the same QR code."""
    with store.transaction(lock=False):
        row = store.one("SELECT token FROM status_token WHERE ticket_id = ?", (ticket_id,))
    return str(row[0]) if row else None
