"""`frontdesk vision` sub-commands: count, dwell, watch.

    frontdesk vision count clip.mp4 --zone 0,0.3,1,0.3,1,1,0,1 --jsonl
    {"frame": 0, "t": 0.0, "count": 0, "raw": 3}
    frontdesk vision dwell clip.mp4 --jsonl
    {"track": 1, "enter_s": 0.2, "exit_s": 6.4, "duration_s": 6.2}
    frontdesk vision watch --config branch.toml      # one observation per second, as JSON lines,
                                                     # each also fed to the engine (logged in --db)

Only counts and anonymous times are printed; frames never leave memory.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Optional

import typer

from kiosk.errors import UsageError

app = typer.Typer(help="vision commands", no_args_is_help=True)

SOURCE_HELP = "camera index, rtsp:// or http:// URL, video or GIF file, or a folder of images"
ZONE_HELP = "queue zone polygon x1,y1,x2,y2,… in 0..1 (default: the whole frame)"


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _counter(zone: Optional[str]):
    from vision.pipeline import QueueCounter
    from vision.zone import Zone

    return QueueCounter(Zone.parse(zone))


def _open(source: str):
    from vision.capture import open_source

    return open_source(source)


@app.command()
def count(
    source: str = typer.Argument(..., help=SOURCE_HELP),
    zone: Optional[str] = typer.Option(None, "--zone", help=ZONE_HELP),
    jsonl: bool = typer.Option(False, "--jsonl", help="one JSON object per decoded frame"),
) -> None:
    """People in the zone, for every decoded frame: smoothed count and raw detections."""
    counter = _counter(zone)
    with _open(source) as src:
        if not jsonl:
            print(f"{'frame':>6} {'t (s)':>8} {'count':>5} {'raw':>4}")
        for r in counter.run(src):
            if jsonl:
                _emit({"frame": r.frame, "t": round(r.t, 3), "count": r.count, "raw": r.raw})
            else:
                print(f"{r.frame:6d} {r.t:8.2f} {r.count:5d} {r.raw:4d}")


def _visit_json(visit, still_open: bool = False) -> dict:
    out = {
        "track": visit.id,
        "enter_s": round(visit.enter_s, 3),
        "exit_s": round(visit.exit_s, 3),
        "duration_s": round(visit.exit_s - visit.enter_s, 3),
    }
    if still_open:
        out["open"] = True
    return out


@app.command()
def dwell(
    source: str = typer.Argument(..., help=SOURCE_HELP),
    zone: Optional[str] = typer.Option(None, "--zone", help=ZONE_HELP),
    jsonl: bool = typer.Option(False, "--jsonl", help="one JSON object per visit"),
) -> None:
    """Time in the zone of each anonymous visit, printed when the visit closes."""
    counter = _counter(zone)

    def show(visit, still_open: bool = False) -> None:
        if jsonl:
            _emit(_visit_json(visit, still_open))
        else:
            state = "still there" if still_open else "left"
            print(f"visit {visit.id:3d}: in at {visit.enter_s:7.2f} s, {state} at {visit.exit_s:7.2f} s,"
                  f" {visit.exit_s - visit.enter_s:6.2f} s in the zone")

    with _open(source) as src:
        for r in counter.run(src):
            for visit in r.closed:
                show(visit)
    closed, still_open = counter.finish()
    for visit in closed:
        show(visit)
    for visit in still_open:
        show(visit, still_open=True)


@app.command()
def calibrate(
    config: Optional[str] = typer.Option(None, "--config", help="branch.toml (default: see config loader)"),
    source: Optional[str] = typer.Option(None, "--source", help="override the configured camera source (with the camera off: a file only)"),
    size: str = typer.Option("1280x800", "--size", help="window size WIDTHxHEIGHT"),
) -> None:
    """Show the camera's live picture with the queue zone; drag its corners; print the zone line.

    The picture stays in the window's memory: it is never saved or sent.
    """
    from config.loader import load_config
    from kiosk.cli_ui import _size
    from vision.capture import is_live

    camera = load_config(config).camera
    spec = source or camera.source
    if not camera.enabled and is_live(spec):
        raise UsageError("the camera is switched off in the config ([camera] enabled = false); nothing to show")
    from kiosk.ui.lockdown import prepare_kivy
    from vision.capture import open_source

    window = _size(size)
    open_source(spec).close()  # a missing file or camera is a message here, not in the window
    prepare_kivy(size=window)
    from kiosk.ui.calibration import CalibrationApp

    app = CalibrationApp(spec, camera.zone)
    app.run()
    print(f"under [camera] in branch.toml:\n{app.editor.toml()}")


@app.command()
def watch(
    config: Optional[str] = typer.Option(None, "--config", help="branch.toml (default: see config loader)"),
    source: Optional[str] = typer.Option(None, "--source", help="override the configured camera source (with the camera off: a file only)"),
    db: Optional[str] = typer.Option(None, "--db", help="database URL the engine logs observations to (default: the branch's)"),
) -> None:
    """Run on the configured camera; feed each queue observation to the engine and print it as JSON.

    The engine logs the counts, so staff consoles in other processes show them and the
    standard's alerts use them.
    """
    from config.loader import load_config
    from kiosk.engine import Engine
    from kiosk.store import open_store, resolve_db_url
    from vision.capture import is_live
    from vision.models import detector_model
    from vision.watch import QueueWatcher

    cfg = load_config(config)
    camera = cfg.camera
    if not camera.enabled and is_live(source or camera.source):
        raise UsageError("the camera is switched off in the config ([camera] enabled = false); nothing to watch")
    detector_model()  # without the model: one line naming the set-up command, exit 2 (ModelMissing)
    engine = Engine(cfg, open_store(resolve_db_url(db, cfg.database.url)))

    def publish(obs) -> None:
        engine.observe(obs)
        _emit(asdict(obs))

    watcher = QueueWatcher(camera, on_observation=publish, source=source,
                           on_status=lambda text: print(f"vision: {text}", file=sys.stderr, flush=True))
    try:
        watcher.run()
    except KeyboardInterrupt:
        watcher.stop()
