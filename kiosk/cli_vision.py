"""``frontdesk vision watch``: the queue camera feeding the engine, until SIGTERM or Ctrl-C.

It lives here, not in ``vision/cli.py``, because it drives the engine and the store
(``vision/`` knows nothing of ``kiosk`` but the core's values and its errors); it is
added to the ``frontdesk vision`` sub-commands by ``kiosk/cli.py``::

    frontdesk vision watch --config branch.toml      # one observation per second, as JSON lines,
                                                     # each also fed to the engine (logged in --db)
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Optional

import typer

from kiosk.errors import UsageError
from kiosk.shutdown import stop_on_signals

if TYPE_CHECKING:
    from kiosk.core.model import QueueObservation


def watch(
    config: Optional[str] = typer.Option(None, "--config", help="branch.toml (default: see config loader)"),
    source: Optional[str] = typer.Option(
        None, "--source", help="override the configured camera source (with the camera off: a file only)"
    ),
    db: Optional[str] = typer.Option(
        None, "--db", help="database URL the engine logs observations to (default: the branch's)"
    ),
) -> None:
    """Run on the configured camera; feed each queue observation to the engine and print it as JSON.

    The engine logs the counts, so staff consoles in other processes show them and the
    standard's alerts use them.
    """
    from config.loader import load_config
    from kiosk.engine import Engine
    from kiosk.store import open_store, resolve_db_url
    from vision.capture import is_live, open_source
    from vision.cli import emit
    from vision.models import detector_model
    from vision.sources import parse_source
    from vision.watch import QueueWatcher

    cfg = load_config(config)
    camera = cfg.camera
    spec = source or camera.source
    parse_source(spec)  # text that names no camera, stream or file: one line, exit 2
    if not camera.enabled and is_live(spec):
        raise UsageError("the camera is switched off in the config ([camera] enabled = false); nothing to watch")
    if not is_live(spec):  # a missing, undecodable or empty file: exit 2 before the model loads and the store opens
        open_source(spec).close()
    detector_model()  # without the model: one line naming the set-up command, exit 2 (ModelMissing)
    engine = Engine(cfg, open_store(resolve_db_url(db, cfg.database.url)))

    def publish(obs: QueueObservation) -> None:
        engine.observe(obs)
        emit(asdict(obs))

    watcher = QueueWatcher(
        camera,
        on_observation=publish,
        source=source,
        on_status=lambda text: print(f"vision: {text}", file=sys.stderr, flush=True),
    )
    try:
        with stop_on_signals(watcher.stop):  # the loop ends after the frame under way; exit 0
            watcher.run()
    finally:
        engine.store.close()
