"""The ``frontdesk`` command line: one Typer app, sub-commands per adapter.

Sub-apps live beside the code they drive (``vision/cli.py``, ``device/cli.py``)
and are added here, with the vision commands that need the engine or a window
(``watch`` from ``kiosk/cli_vision.py``, ``calibrate`` from ``kiosk/cli_ui.py``).
Every user-caused fault is a :class:`FrontdeskError`: ``main`` prints its message
and exits with its code, never a traceback. Click's own usage errors (an unknown option or
command, a missing argument, a value of the wrong type or not among the choices) are answered
here too, for every command, in one line naming the command and exit 2::

    frontdesk replay: no such option: --foo (see frontdesk replay --help)
"""

from __future__ import annotations

import functools
import sys

import typer
import typer.main
from typer.core import TyperGroup

from kiosk.errors import FrontdeskError, shown

app = typer.Typer(
    name="frontdesk",
    help="Front-desk kiosk, ticket engine, queue camera and desk devices of a service branch.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _vision_app() -> typer.Typer:
    from kiosk import cli_ui, cli_vision
    from vision.cli import app as vision_app

    vision_app.command("calibrate")(cli_ui.calibrate_cmd)
    vision_app.command("watch")(cli_vision.watch)
    return vision_app


def _devices_app() -> typer.Typer:
    from device.cli import app as devices_app

    return devices_app


def _voice_app() -> typer.Typer:
    from kiosk.voice.cli import app as voice_app

    return voice_app


# Sub-apps whose modules are heavy (the serial and printer stack, the camera's, the voice's):
# loaded only for their own commands, or for help and unknown words, so `frontdesk queue`
# does not pay for them.
SUBAPPS = {"vision": _vision_app, "devices": _devices_app, "voice": _voice_app}


@functools.cache  # once per process: a second registration would add every command again
def _register_commands() -> frozenset[str]:
    """Add the engine, screen, report and web commands; return the names they answer to."""
    from kiosk import cli_day, cli_engine, cli_reports, cli_ui, cli_web

    cli_engine.register(app)
    cli_day.register(app)
    cli_ui.register(app)
    cli_reports.register(app)
    cli_web.register(app)
    commands = {
        info.name or info.callback.__name__.replace("_", "-") for info in app.registered_commands if info.callback
    }
    return frozenset(commands | {info.name for info in app.registered_groups if info.name})


@functools.cache  # each sub-app is added once per process, when first asked for
def _add_subapp(name: str) -> None:
    app.add_typer(SUBAPPS[name](), name=name)


def _register_for(argv: list[str]) -> None:
    """Register what ``argv`` can reach: every command for help, nothing, or a word not known yet."""
    commands = _register_commands()
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    if first in SUBAPPS:
        _add_subapp(first)
    elif first not in commands:
        for name in SUBAPPS:
            _add_subapp(name)


def command_reached(root: TyperGroup, argv: list[str]) -> str:
    """The command line's words that name a group or command, from the root (``frontdesk ticket new``).

    Click attaches some usage errors (an option missing its value, too many arguments) to the
    root's context, not the command's: the command is read from the words themselves.
    """
    words, command = [app.info.name or "frontdesk"], root
    for arg in argv:
        sub = getattr(command, "commands", {}).get(arg)  # only a group has sub-commands
        if sub is None:  # an option (a group has none but --help), or a word that is no command
            break
        words.append(arg)
        command = sub
    return " ".join(words)


def usage_line(err: typer.TyperException, root: TyperGroup, argv: list[str]) -> str:
    """Click's usage error as one line: the command, what is wrong, where its help is.

    Click would print the command's usage box and an ``Error:`` line; a value the user typed
    (a line end, a huge string) is collapsed and quoted so that the answer stays one line.
    """
    message = shown(" ".join(err.format_message().split()).rstrip("."), limit=500)
    if message[:2].istitle():  # "No such option" reads as the rest of the line; "ABC" stays
        message = message[0].lower() + message[1:]
    command = command_reached(root, argv)
    return f"{command}: {message} (see {command} --help)"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``frontdesk`` console script."""
    args = sys.argv[1:] if argv is None else argv
    _register_for(args)
    # the Click tree, built once: Typer rebuilds it from every command's signature at each call
    # (about 50 ms here), and a usage error reads it again to name the command
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)  # the root holds sub-commands
    try:
        # click returns an Exit's code here; the name is ours whatever script or test runs us
        code = root.main(args=args, prog_name=app.info.name, standalone_mode=False)
    except FrontdeskError as err:
        print(f"frontdesk: {err}", file=sys.stderr)
        return err.exit_code
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        print("frontdesk: aborted", file=sys.stderr)
        return 130
    except typer.TyperException as err:  # click's usage errors (typer bundles click privately)
        if type(err).__name__ == "NoArgsIsHelpError":  # a bare group: its help is the answer
            # Typer's rich help is printed already (stdout) and leaves the message empty
            if help_text := err.format_message():
                typer.echo(help_text, err=True)
        else:
            print(usage_line(err, root, args), file=sys.stderr)
        return err.exit_code
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
