"""`frontdesk devices` sub-commands."""

import typer

app = typer.Typer(help="device commands", no_args_is_help=True)
