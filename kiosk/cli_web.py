"""``frontdesk web``: the branch's web server (hall board and phone pages, read-only; the manager's
pages behind a manager PIN, whose wrong tries are the only thing it writes).

    frontdesk web [--db URL] [--config FILE] [--host HOST] [--port N]

Host and port default to ``[web]`` in the branch file. The database may be down at start:
the board then says it is reconnecting and recovers by itself.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from config import load_config
from kiosk.cli_engine import ConfigOpt, DbOpt
from kiosk.errors import UsageError
from kiosk.shutdown import stop_on_signals
from kiosk.store import resolve_db_url

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette

HostOpt = Annotated[Optional[str], typer.Option("--host", help="address to listen on (default: [web] host)")]
PortOpt = Annotated[Optional[int], typer.Option("--port", help="port (default: [web] port)")]


def web_cmd(db: DbOpt = None, config: ConfigOpt = None, host: HostOpt = None, port: PortOpt = None) -> None:
    """Serve the hall board (/board), the customers' phone pages (/t/<token>) and the manager's pages (/manager)."""
    cfg = load_config(config)
    if port is not None and not 1 <= port <= 65535:
        raise UsageError(f"--port {port}: use 1 to 65535")
    url = resolve_db_url(db, cfg.database.url)
    import uvicorn

    from kiosk.web.app import create_app

    # force: an imported library may have put a handler on the root logger already
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", force=True)
    app = create_app(cfg, url)
    # log_config=None: uvicorn would replace the handlers set above with its own
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=host or cfg.web.host,
            port=port or cfg.web.port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=1,
        )
    )

    # Our signal handling, not uvicorn's: it re-raises the signal after its shutdown (exit
    # status -15, a failure to some supervisors) and waits for open connections, which a
    # board's live stream never closes. Here a signal ends the live streams first; exit 0.
    @contextlib.contextmanager
    def signals_stop_serving() -> Iterator[None]:
        with stop_on_signals(lambda: stop_serving(server, app)):
            yield

    server.capture_signals = signals_stop_serving  # type: ignore[method-assign]
    server.run()


def stop_serving(server: uvicorn.Server, app: Starlette) -> None:
    """Ask uvicorn to stop and the app to end its live streams (from a signal handler: no blocking)."""
    server.should_exit = True
    end_streams = getattr(app.state, "end_streams", None)
    if end_streams is not None:  # None until the app has started
        end_streams()


def register(app: typer.Typer) -> None:
    app.command("web")(web_cmd)
