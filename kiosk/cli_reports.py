"""``frontdesk log export|import|convert``, ``frontdesk report`` and ``frontdesk replay``.

Every command takes ``--db`` and ``--config`` like the engine's commands. Bad
input (a bad row, an unknown format, a date that is not a date) exits with a
message, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from config import load_config
from kiosk.cli_engine import ConfigOpt, DbOpt, open_engine
from kiosk.errors import UsageError

log_app = typer.Typer(help="Move the wait-time log in and out (the documented CSV format).", no_args_is_help=True)

FromOpt = Annotated[Optional[str], typer.Option("--from", help="first branch-local day, YYYY-MM-DD")]
ToOpt = Annotated[Optional[str], typer.Option("--to", help="last branch-local day, YYYY-MM-DD (inclusive)")]
FileArg = Annotated[Path, typer.Argument(help="the log file (CSV; or the Anonymous Bank TSV where said)")]
SkipBadOpt = Annotated[bool, typer.Option("--skip-bad", help="skip bad rows (each is reported) instead of refusing")]


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date like 2026-11-24") from None


def _dates(date_from: str | None, date_to: str | None) -> tuple[date | None, date | None]:
    first, last = _date(date_from, "--from"), _date(date_to, "--to")
    if first and last and last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    return first, last


@contextmanager
def _output(out: Path | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            yield handle
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror}") from None


def _open_text(path: Path) -> io.StringIO:
    """A log file as text: UTF-8 (a BOM is dropped), or UTF-16 with its BOM (a Windows
    export); anything else is one line naming the file and the line, exit 2."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n" if not utf16 else "\n".encode("utf-16-le")) + 1
        raise UsageError(
            f"{path}: line {line}: not {'UTF-16' if utf16 else 'UTF-8'} text"
            f" (byte 0x{data[err.start]:02x}); save the file as UTF-8"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise UsageError(f"{path}: line {line}: a NUL character: not a text file")
    return io.StringIO(text, newline="")


@contextmanager
def _csv_faults(path: Path) -> Iterator[None]:
    """Bad input while reading ``path`` as one line that names the file, exit 2 (a fault of
    the CSV parser itself, such as a field past its size limit, included)."""
    try:
        yield
    except csv.Error as err:
        raise UsageError(f"{path}: {err}") from None
    except UsageError as err:
        if str(err).startswith(f"{path}:"):
            raise
        raise UsageError(f"{path}: {err}") from None


@log_app.command("export")
def export_cmd(
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="CSV file to write (default: standard output)")] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write the finished visits as the CSV log (no customer data in it)."""
    from kiosk.reports import export_csv

    first, last = _dates(date_from, date_to)
    engine = open_engine(db, config)
    with _output(out) as handle:
        written = export_csv(engine.store, engine.cfg, handle, first, last)
    typer.echo(f"exported {written} visits", err=True)


@log_app.command("import")
def import_cmd(file: FileArg, skip_bad: SkipBadOpt = False, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Import a CSV log: all rows or none; importing a file twice adds nothing."""
    from kiosk.reports import import_csv
    from kiosk.reports.logio import bad_rows_message

    engine = open_engine(db, config)
    with _open_text(file) as handle, _csv_faults(file):
        result = import_csv(engine.store, engine.cfg, handle, skip_bad=skip_bad, name=str(file))
    if result.skipped:
        typer.echo(bad_rows_message(str(file), result.skipped, "skipped"), err=True)
    typer.echo(
        f"imported {result.added} visits; {result.already_there} were already there;"
        f" skipped {len(result.skipped)} bad rows"
    )


@log_app.command("convert")
def convert_cmd(
    file: Annotated[Path, typer.Argument(help="an Anonymous Bank queue log (TSV)")],
    out: Annotated[Optional[Path], typer.Option("--out", help="CSV file to write (default: standard output)")] = None,
    skip_bad: SkipBadOpt = False,
    rejects: Annotated[
        Optional[Path], typer.Option("--rejects", help="write every line not converted, with why")
    ] = None,
) -> None:
    """Convert the Anonymous Bank TSV into the CSV log (customer ids are dropped)."""
    from kiosk.reports.bank import convert
    from kiosk.reports.logformat import HEADER, BadRow
    from kiosk.reports.logio import bad_rows_message

    with _open_text(file) as handle, _csv_faults(file):
        try:
            converted = list(convert(handle))
        except BadRow as err:
            raise UsageError(f"{file}: {err}") from None
    bad = [(c.line, c.bad) for c in converted if c.bad]
    if bad and not skip_bad:
        raise UsageError(bad_rows_message(str(file), bad, "nothing written; use --skip-bad to convert the rest"))
    with _output(out) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for c in converted:
            if c.row:
                writer.writerow(c.row.cells())
    if rejects:
        with _output(rejects) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["line", "kind", "reason"])
            for c in converted:
                if not c.row:
                    writer.writerow([c.line, "bad" if c.bad else "not_a_ticket", c.bad or c.not_ticket])
    not_tickets = Counter(c.not_ticket for c in converted if c.not_ticket)
    typer.echo(f"{file}: converted {sum(1 for c in converted if c.row)} visits", err=True)
    for why, n in not_tickets.most_common():
        lines = [c.line for c in converted if c.not_ticket == why]
        more = ", …" if len(lines) > 8 else ""
        typer.echo(f"  not tickets: {n} rows, {why} (lines {', '.join(map(str, lines[:8]))}{more})", err=True)
    if bad:
        typer.echo(bad_rows_message(str(file), bad, "skipped"), err=True)


def report_cmd(
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    target_wait: Annotated[
        Optional[float],
        typer.Option(
            "--target-wait", help="one target wait in seconds for every service (default: each service's own)"
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="json, csv or html")] = "json",
    out: Annotated[Optional[Path], typer.Option("--out", help="file to write (default: standard output)")] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """The manager's report: waits, service level, abandonment by service, hour, day and staff."""
    from kiosk.reports import build_report
    from kiosk.reports.html import report_html
    from kiosk.reports.render import report_csv, report_json

    renderers = {"json": report_json, "csv": report_csv, "html": report_html}
    if fmt not in renderers:
        raise UsageError(f"--format {fmt!r}: use json, csv or html")
    if target_wait is not None and target_wait <= 0:
        raise UsageError(f"--target-wait {target_wait:g}: a target wait is more than 0 seconds")
    first, last = _dates(date_from, date_to)
    engine = open_engine(db, config)
    report = build_report(engine.store, engine.cfg, first, last, target_wait)
    text = renderers[fmt](report)
    with _output(out) as handle:
        handle.write(text if text.endswith("\n") else text + "\n")


def replay_cmd(
    file: FileArg,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON Lines: one object per ticket, then the summary")] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="refuse a log with bad rows (by default each is named on stderr and skipped)"),
    ] = False,
    db: Annotated[
        Optional[str], typer.Option("--db", help="an empty database to replay into (default: a scratch one in memory)")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Feed a log (CSV, or the Anonymous Bank TSV) through the engine as if live; score its wait estimates.

    Unlike an import, a replay changes no branch data, so bad rows are skipped by
    default (each named on stderr) and the score says how many tickets it covers.
    """
    import json

    from kiosk.reports.replay import load_log_rows, replay, summary_text

    cfg = load_config(config)
    with _open_text(file) as handle, _csv_faults(file):
        rows, bad, not_tickets = load_log_rows(handle, str(file), skip_bad=not strict)
    skipped = [f"{file}: line {line}: skipped: {why}" for line, why in bad]
    skipped += [f"{file}: {n} contacts are not tickets: {why}" for why, n in not_tickets.most_common()]
    if skipped:
        typer.echo("\n".join(skipped), err=True)
    result = replay(rows, cfg, db)
    if jsonl:
        lines = [json.dumps(p.as_json()) for p in result.predictions] + [json.dumps(result.summary)]
    else:
        lines = [
            f"{p.ticket:<24} predicted {p.predicted_wait_s:7.0f} s  range {p.low_s:5.0f}-{p.high_s:<5.0f} s"
            f"  actual {p.actual_wait_s:7.0f} s"
            for p in result.predictions
        ] + [summary_text(result.summary)]
    typer.echo("\n".join(lines))  # one write: a line at a time cost a tenth of a second on the real log


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
    app.command("report")(report_cmd)
    app.command("replay")(replay_cmd)
