"""`frontdesk vision` sub-commands."""

import typer

app = typer.Typer(help="vision commands", no_args_is_help=True)
