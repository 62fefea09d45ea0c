"""The periods a manager picks on ``/manager/report``: a day, its week (Monday to Sunday) or its month.

>>> Period.of("week", date(1999, 2, 3))
Period(kind='week', first=datetime.date(1999, 2, 1), last=datetime.date(1999, 2, 7))
>>> Period.of("month", date(1999, 2, 14)).last, Period.of("month", date(1999, 12, 5)).last
(datetime.date(1999, 2, 28), datetime.date(1999, 12, 31))
>>> Period.of("month", date(1999, 3, 31)).step(-1).first
datetime.date(1999, 2, 1)
>>> Period.parse("day", "1999-02-30") is None, Period.parse("year", "1999-02-03") is None
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("day", "week", "month")


@dataclass(frozen=True)
class Period:
    kind: str  # day | week | month
    first: date
    last: date  # inclusive

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        if kind == "day":
            return cls(kind, day, day)
        if kind == "week":
            monday = day - timedelta(days=day.weekday())
            return cls(kind, monday, monday + timedelta(days=6))
        if kind == "month":
            first = day.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            return cls(kind, first, following - timedelta(days=1))
        raise ValueError(f"unknown period {kind!r} (use {', '.join(KINDS)})")

    @classmethod
    def parse(cls, kind: str | None, day: str | None) -> Period | None:
        """The period a query asks for (``period=week&date=1999-02-03``); None when it is not one."""
        if kind not in KINDS or not day:
            return None
        try:
            return cls.of(kind, date.fromisoformat(day))
        except ValueError:
            return None

    def step(self, direction: int) -> Period:
        """The period before (-1) or after (+1) this one, of the same kind."""
        if direction < 0:
            return Period.of(self.kind, self.first - timedelta(days=1))
        return Period.of(self.kind, self.last + timedelta(days=1))

    def query(self) -> str:
        return f"period={self.kind}&date={self.first.isoformat()}"
