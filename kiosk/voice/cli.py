"""`frontdesk voice` sub-commands: hear a call as the board would play it, check a voice pack.

    frontdesk voice say --lang hy --ticket A007 --counter 3 --out call.wav
    frontdesk voice check /var/lib/frontdesk/voice/mn     # the folder's name is its language
    frontdesk voice phrases --lang mn                      # the recording script: file and words

``say`` writes exactly what the board plays (the same ``Announcer.render``).
Bad input (an unknown language, a bad ticket number, a missing folder, an
output that cannot be written, a language with no voice) is one line and exit 2.
"""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kiosk.errors import UsageError
from kiosk.voice.phrasing import LANGUAGES, PHRASE_LIST_VERSION, PHRASES, phrase_keys

app = typer.Typer(help="spoken call-outs: hear a call, check a voice pack", no_args_is_help=True)


class Lang(str, Enum):
    mn = "mn"
    hy = "hy"
    en = "en"
    ru = "ru"


@app.command()
def say(
    lang: Annotated[Lang, typer.Option("--lang", help="the language the customer chose")],
    ticket: Annotated[str, typer.Option("--ticket", help="the ticket number as printed, such as A007")],
    counter: Annotated[int, typer.Option("--counter", help="the counter the ticket is called to")],
    out: Annotated[Path, typer.Option("--out", help="the WAV file to write")],
    config: Annotated[Optional[str], typer.Option("--config", help="branch.toml (default: the usual search)")] = None,
) -> None:
    """Write the sound the hall board plays for this call: chime, the call, then the branch's language."""
    from config.loader import load_config
    from kiosk.voice.announcer import Announcer

    logging.getLogger("kiosk.voice").setLevel(logging.ERROR)  # the one line below says what is silent and why
    announcer = Announcer(load_config(config))
    if announcer.settings.enabled and announcer.voice(lang.value) is None:
        raise UsageError(f"no voice for {lang.value}: {announcer.why_silent(lang.value)}")
    try:
        call = announcer.render(ticket.strip().upper(), counter, lang.value)
    except ValueError as err:
        raise UsageError(str(err)) from None
    try:
        out.write_bytes(call.wav)
    except OSError as err:
        raise UsageError(f"cannot write {out}: {err.strerror or err}") from None
    said = " + ".join(("chime", *call.languages_spoken))
    quiet = "".join(f"; no voice for {lang}: {announcer.why_silent(lang)}" for lang in call.languages_silent)
    off = "; voice is off in the config ([voice] enabled = false)" if not announcer.settings.enabled else ""
    typer.echo(f"{out}: {call.duration_s:.1f} s, {said}{quiet}{off}")


@app.command()
def check(
    folder: Annotated[Path, typer.Argument(help="the voice pack's folder")],
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="its language (default: the folder's name)")] = None,
) -> None:
    """Name every missing, unreadable or silent clip of a voice pack (exit 2 if any)."""
    from kiosk.voice.pack import check_pack, unexpected_files

    language = _pack_language(folder, lang)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    problems = check_pack(folder, language)
    for problem in problems:
        typer.echo(str(problem))
    for extra in unexpected_files(folder, language):
        typer.echo(f"{extra}: not a clip of the {language} phrase list (ignored)", err=True)
    total = len(phrase_keys(language))
    if problems:
        raise UsageError(f"{folder}: {len(problems)} of {total} {language} clips missing or unusable")
    typer.echo(f"{folder}: complete {language} voice pack, {total} clips (phrase list v{PHRASE_LIST_VERSION})")


@app.command()
def phrases(lang: Annotated[Lang, typer.Option("--lang", help="the pack's language")]) -> None:
    """The recording script of a voice pack: each file to record and the words to say in it."""
    for key in phrase_keys(lang.value):
        typer.echo(f"{key}.wav\t{PHRASES[lang.value][key].text}")


def _pack_language(folder: Path, lang: Optional[Lang]) -> str:
    if lang is not None:
        return lang.value
    if folder.name in LANGUAGES:
        return folder.name
    raise UsageError(f"{folder}: not named after a language; say which with --lang ({', '.join(LANGUAGES)})")
