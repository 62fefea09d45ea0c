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


@functools.cache  # once per process: a second registration would add every command again
def _register_subapps() -> None:
    from device.cli import app as devices_app
    from kiosk import cli_day, cli_engine, cli_reports, cli_ui, cli_vision, cli_web
    from kiosk.voice.cli import app as voice_app
    from vision.cli import app as vision_app

    cli_engine.register(app)
    cli_day.register(app)
    cli_ui.register(app)
    cli_reports.register(app)
    cli_web.register(app)
    vision_app.command("calibrate")(cli_ui.calibrate_cmd)
    vision_app.command("watch")(cli_vision.watch)

    app.add_typer(vision_app, name="vision")
    app.add_typer(devices_app, name="devices")
    app.add_typer(voice_app, name="voice")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``frontdesk`` console script."""
    _register_subapps()
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
