"""``frontdesk ticket|queue|call|start|finish|…``: the engine for staff scripts and tests.

Every command takes ``--db`` (or ``FRONTDESK_DB``) and ``--config`` (or
``FRONTDESK_CONFIG``); ``--json`` prints one machine-readable object.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Optional
from zoneinfo import ZoneInfo

import typer

from config import load_config
from kiosk.core.model import Action, LiveTicket
from kiosk.engine import Engine
from kiosk.store import open_store, resolve_db_url
from kiosk.web import status_path

DbOpt = Annotated[Optional[str], typer.Option("--db", help="database URL (sqlite:///path or postgresql://…)")]
ConfigOpt = Annotated[Optional[str], typer.Option("--config", help="branch TOML file")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]
NumberArg = Annotated[str, typer.Argument(help="ticket number, e.g. A001")]
CounterOpt = Annotated[Optional[int], typer.Option("--counter", help="counter number")]
StaffOpt = Annotated[Optional[str], typer.Option("--staff", help="staff member (a work name, not a customer)")]

ticket_app = typer.Typer(help="Issue tickets.", no_args_is_help=True)


def open_engine(db: str | None, config: str | None) -> Engine:
    cfg = load_config(config)
    return Engine(cfg, open_store(resolve_db_url(db, cfg.database.url)))


def _local(engine: Engine, at: float) -> str:
    return datetime.fromtimestamp(at, ZoneInfo(engine.cfg.branch.timezone)).strftime("%H:%M:%S")


def _ticket_json(engine: Engine, live: LiveTicket) -> dict[str, object]:
    return {
        "ticket": live.ticket.number,
        "service": live.service,
        "priority": live.ticket.priority,
        "state": live.state.value,
        "since": _local(engine, live.since),
        "counter": live.period.counter,
        "staff": live.period.staff,
    }


def _emit(as_json: bool, obj: dict[str, object], text: str) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False) if as_json else text)


@ticket_app.command("new")
def ticket_new(
    service: Annotated[str, typer.Option("--service", help="service code, e.g. CASH")],
    priority: Annotated[bool, typer.Option("--priority", help="special care: called first")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="customer's language")] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue a ticket and print its number, people ahead and the estimated wait."""
    engine = open_engine(db, config)
    issued = engine.issue(service.strip().upper(), priority=priority, language=lang)
    est = issued.estimate
    low, high = round(est.low_s / 60), max(1, round(est.high_s / 60))
    obj = {
        "ticket": issued.ticket.number,
        "service": issued.service,
        "priority": priority,
        "ahead": issued.ahead,
        "wait_s": round(est.point_s),
        "wait_low_s": round(est.low_s),
        "wait_high_s": round(est.high_s),
        "status_path": status_path(issued.status_token),
    }
    _emit(as_json, obj, f"{issued.ticket.number}  {issued.service}  {issued.ahead} ahead  wait {low}-{high} min")


def queue_cmd(db: DbOpt = None, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """The live queue in calling order, and the alerts in force."""
    engine = open_engine(db, config)
    snap = engine.snapshot()
    alerts = engine.tick().in_force
    waiting = engine.waiting_order(snap)
    others = [t for t in snap.tickets if t not in waiting]
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "day": snap.day,
                    "waiting": [_ticket_json(engine, t) | {"waited_s": round(snap.at - t.since)} for t in waiting],
                    "at_counters": [_ticket_json(engine, t) for t in others],
                    "alerts": [
                        {
                            "kind": a.kind,
                            "subject": a.subject,
                            "level": a.level.value,
                            "value": a.value,
                            "limit": a.limit,
                        }
                        for a in alerts
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    typer.echo(f"{snap.day}: {len(waiting)} waiting, {len(others)} at counters")
    for t in waiting:
        mark = " *" if t.ticket.priority else ""
        typer.echo(f"  {t.ticket.number:<6} {t.service:<10} waiting {round((snap.at - t.since) / 60)} min{mark}")
    for t in others:
        typer.echo(f"  {t.ticket.number:<6} {t.service:<10} {t.state.value} at counter {t.period.counter}")
    for a in alerts:
        typer.echo(f"  ALERT {a.level.value}: {a.kind} {a.subject} {a.value:g} (limit {a.limit:g})")


def call_cmd(
    counter: Annotated[int, typer.Option("--counter", help="counter number")],
    number: Annotated[Optional[str], typer.Option("--ticket", help="call this ticket instead of the next")] = None,
    staff: StaffOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Call the next ticket this counter serves, or (``--ticket``) that waiting one if this counter may call it.

    Exit 1 if nobody is waiting for the counter.
    """
    engine = open_engine(db, config)
    live = engine.call_ticket(number, counter, staff) if number else engine.call_next(counter, staff)
    if live is None:
        _emit(as_json, {"ticket": None}, f"nobody is waiting for counter {counter}")
        raise typer.Exit(1)
    _emit(as_json, _ticket_json(engine, live), f"{live.ticket.number} to counter {counter}")


def _action_command(action: Action, doc: str) -> Callable[..., None]:
    def command(
        number: NumberArg,
        counter: CounterOpt = None,
        staff: StaffOpt = None,
        db: DbOpt = None,
        config: ConfigOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        engine = open_engine(db, config)
        live = engine.act(number, action, counter=counter, staff=staff)
        _emit(as_json, _ticket_json(engine, live), f"{live.ticket.number}: {live.state.value}")

    command.__doc__ = doc
    return command


def transfer_cmd(
    number: NumberArg,
    service: Annotated[Optional[str], typer.Option("--service", help="service to move to")] = None,
    counter: CounterOpt = None,
    staff: StaffOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Send a ticket back to waiting, for another service or a given counter (history kept)."""
    engine = open_engine(db, config)
    live = engine.act(
        number, Action.TRANSFER, counter=counter, staff=staff, service=service.strip().upper() if service else None
    )
    _emit(as_json, _ticket_json(engine, live), f"{live.ticket.number}: waiting for {live.service}")


def rate_cmd(
    number: NumberArg,
    rating: Annotated[int, typer.Argument(help="1 (bad) to 5 (very good)")],
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Record a customer's rating of a finished visit."""
    engine = open_engine(db, config)
    stored = engine.rate(number, rating)
    typer.echo("thank you" if stored else f"{number.upper()} was already rated; kept the first rating")


ACTIONS = {
    "start": (Action.START, "Start serving a called (or held) ticket."),
    "finish": (Action.FINISH, "Finish serving a ticket."),
    "no-show": (Action.NO_SHOW, "Mark a called ticket as a no-show."),
    "recall": (Action.RECALL, "Call a ticket again (also a no-show who came late)."),
    "hold": (Action.HOLD, "Put a ticket on hold (the customer steps aside)."),
    "walk-away": (Action.WALK_AWAY, "Mark a waiting ticket as walked away."),
}


def register(app: typer.Typer) -> None:
    app.add_typer(ticket_app, name="ticket")
    app.command("queue")(queue_cmd)
    app.command("call")(call_cmd)
    for name, (action, doc) in ACTIONS.items():
        app.command(name)(_action_command(action, doc))
    app.command("transfer")(transfer_cmd)
    app.command("rate")(rate_cmd)
