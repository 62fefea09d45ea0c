"""``frontdesk day close``: close a branch-local day by hand.

Every ticket of the day still open (waiting, called, being served, on hold) is closed with
the outcome "closed at end of day", at the day's closing time (``[branch.opening_hours]``),
or now when the day is closed early. The kiosk and the consoles do the same by themselves
at closing time and when they start; running it again closes nothing more::

    frontdesk day close --day 2026-11-24 --json      # {"day": "2026-11-24", "closed": 3}
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Optional

import typer

from kiosk.cli_engine import ConfigOpt, DbOpt, JsonOpt, open_engine
from kiosk.errors import UsageError

day_app = typer.Typer(
    help="The branch's day: close it (tickets still open, closed at end of day).", no_args_is_help=True
)

DayOpt = Annotated[Optional[str], typer.Option("--day", help="branch-local day, YYYY-MM-DD (default: today)")]
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str) -> str:
    """A YYYY-MM-DD day as its ISO text; UsageError otherwise.

    >>> parse_day("2026-11-24")
    '2026-11-24'
    """
    text = text.strip()
    try:
        if not _ISO_DAY.match(text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"--day {text!r} is not a date like 2026-11-24") from None


@day_app.command("close")
def close_cmd(day: DayOpt = None, db: DbOpt = None, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Close every ticket of the day still open, with the outcome "closed at end of day"."""
    wanted = parse_day(day) if day is not None else None
    engine = open_engine(db, config)
    which = wanted or engine.day_of(engine.clock())
    closed = engine.close_day(which)
    text = f"{which}: closed {len(closed)} open ticket{'s' if len(closed) != 1 else ''}"
    typer.echo(json.dumps({"day": which, "closed": len(closed)}) if as_json else text)


def register(app: typer.Typer) -> None:
    app.add_typer(day_app, name="day")
