"""The branch's one alert state in the log: which alerts are open, which are acknowledged, by whom.

An acknowledgement is a write to ``alert_log`` (the time and the counter), so every console and
the alert light read the same answer whichever console it was given on; the report reads the
same rows to show when each breach was raised, acknowledged and cleared::

    >>> from kiosk.core.model import Alert, Level
    >>> from kiosk.store import open_store
    >>> store = open_store("sqlite:///:memory:")
    >>> store.log_alert_changes([Alert("wait", "A001", Level.BREACH, 700.0, 600.0)], [], at=100.0)
    >>> unacknowledged(store)
    1
    >>> acknowledge(store, at=130.0, counter=2)
    1
    >>> unacknowledged(store), acknowledge(store, at=140.0, counter=3)  # once only, by the first
    (0, 0)
    >>> store.log_alert_changes([], [Alert("wait", "A001", Level.BREACH, 0.0, 600.0)], at=200.0)
    >>> [(e.subject, e.raised_at, e.acknowledged_at, e.acknowledged_counter, e.cleared_at)
    ...  for e in alert_history(store, 0.0, 1000.0)]
    [('A001', 100.0, 130.0, 2, 200.0)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.store.sql import SqlStore


@dataclass(frozen=True)
class AlertRecord:
    """One alert as the log holds it: raised, perhaps acknowledged (by a counter), perhaps cleared."""

    kind: str
    subject: str
    level: str
    value: float
    limit: float
    raised_at: float
    acknowledged_at: float | None
    acknowledged_counter: int | None
    cleared_at: float | None


def acknowledge(store: SqlStore, at: float, counter: int) -> int:
    """Acknowledge every open alert not yet acknowledged, for the whole branch; how many.

    Each alert keeps its first acknowledgement (the counter that saw to it first).
    """
    with store.transaction(lock=True):
        return store.run(
            "UPDATE alert_log SET acknowledged_at = ?, acknowledged_counter = ?"
            " WHERE cleared_at IS NULL AND acknowledged_at IS NULL",
            (at, counter),
        )


def unacknowledged(store: SqlStore) -> int:
    """How many open alerts nobody has acknowledged yet (the light rings while there are any)."""
    with store.transaction(lock=False):
        return int(store.value("SELECT COUNT(*) FROM alert_log WHERE cleared_at IS NULL AND acknowledged_at IS NULL"))


def alert_history(
    store: SqlStore, since: float, until: float, levels: Iterable[str] = ("breach",)
) -> list[AlertRecord]:
    """Alerts raised in [since, until) at the given levels, oldest first, with their acknowledgement."""
    wanted = tuple(levels)
    marks = ", ".join("?" for _ in wanted)
    with store.transaction(lock=False):
        rows = store.all(
            "SELECT kind, subject, level, value, limit_value, raised_at, acknowledged_at, acknowledged_counter,"
            f" cleared_at FROM alert_log WHERE raised_at >= ? AND raised_at < ? AND level IN ({marks})"
            " ORDER BY raised_at, id",
            (since, until, *wanted),
        )
    return [AlertRecord(*r) for r in rows]
