"""The ``frontdesk`` command line: one Typer app, sub-commands per adapter.

Sub-apps live beside the code they drive (``vision/cli.py``, ``device/cli.py``)
and are added here, with the vision commands that need the engine or a window
(``watch`` from ``kiosk/cli_vision.py``, ``calibrate`` from ``kiosk/cli_ui.py``).
Every user-caused fault is a :class:`FrontdeskError`: ``main`` prints its message
and exits with its code, never a traceback.
"""

from __future__ import annotations

import functools
import sys

import typer

from kiosk.errors import FrontdeskError

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


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``frontdesk`` console script."""
    _register_for(sys.argv[1:] if argv is None else argv)
    try:
        code = app(args=argv, standalone_mode=False)  # click returns an Exit's code here
    except FrontdeskError as err:
        print(f"frontdesk: {err}", file=sys.stderr)
        return err.exit_code
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        print("frontdesk: aborted", file=sys.stderr)
        return 130
    except Exception as err:
        # usage errors from typer's bundled click know how to show themselves
        if callable(getattr(err, "show", None)) and isinstance(getattr(err, "exit_code", None), int):
            err.show()
            return err.exit_code
        raise
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
