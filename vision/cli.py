"""`frontdesk vision` sub-commands: count, dwell (``watch`` and ``calibrate``, which need the
engine or a window, are added by ``kiosk/cli.py`` from ``kiosk/cli_vision.py`` and ``kiosk/cli_ui.py``).

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
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:  # imported where used: `frontdesk` loads OpenCV only for a vision command
    from vision.capture import FrameSource
    from vision.pipeline import QueueCounter
    from vision.visits import Visit

app = typer.Typer(help="vision commands", no_args_is_help=True)

SOURCE_HELP = "camera index, rtsp:// or http:// URL, video or GIF file, or a folder of images"
ZONE_HELP = "queue zone polygon x1,y1,x2,y2,… in 0..1 (default: the whole frame)"


def emit(obj: dict[str, object]) -> None:
    """One JSON line on stdout, flushed (a pipe reader sees it at once)."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _counter(zone: Optional[str]) -> QueueCounter:
    from vision.pipeline import QueueCounter
    from vision.zone import Zone

    return QueueCounter(Zone.parse(zone))


def _open(source: str) -> FrameSource:
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
                emit({"frame": r.frame, "t": round(r.t, 3), "count": r.count, "raw": r.raw})
            else:
                print(f"{r.frame:6d} {r.t:8.2f} {r.count:5d} {r.raw:4d}")
        src.check_end()  # a camera or stream that stopped: one line, exit 5


def _visit_json(visit: Visit, still_open: bool = False) -> dict[str, object]:
    out: dict[str, object] = {
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

    def show(visit: Visit, still_open: bool = False) -> None:
        if jsonl:
            emit(_visit_json(visit, still_open))
        else:
            state = "still there" if still_open else "left"
            print(
                f"visit {visit.id:3d}: in at {visit.enter_s:7.2f} s, {state} at {visit.exit_s:7.2f} s,"
                f" {visit.exit_s - visit.enter_s:6.2f} s in the zone"
            )

    with _open(source) as src:
        for r in counter.run(src):
            for visit in r.closed:
                show(visit)
        src.check_end()  # a camera or stream that stopped: the visits still open are not known to end here
    closed, still_open = counter.finish()
    for visit in closed:
        show(visit)
    for visit in still_open:
        show(visit, still_open=True)
