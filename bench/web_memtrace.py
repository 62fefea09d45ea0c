"""Run ``frontdesk web`` with the memory traced, for bench_web.py's ``--trace-memory`` (diagnosis only).

    python bench/web_memtrace.py OUT.txt EVERY_S -- web --db URL --port N

Starts :mod:`tracemalloc` before the product is imported, then every ``EVERY_S`` seconds appends
to ``OUT.txt``: the process's RSS, what Python has allocated (traced), the sizes of the web
server's bounded structures (the sound cache in entries and bytes, the hub's calls, watchers and
phone statuses) and the source lines whose allocations grew most since the first sample.
The product itself knows nothing of this; tracemalloc makes the server slower and bigger, so
RSS figures for the goal come from a run without it.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import tracemalloc
from pathlib import Path


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def structures() -> str:
    """The known bounded structures, found by type (the bench has no handle on the app)."""
    from kiosk.web.live import Hub
    from kiosk.web.sound import CallSounds

    parts = []
    for obj in gc.get_objects():
        if isinstance(obj, CallSounds):
            entries, held = obj.held()
            parts.append(f"sounds: {entries} rendered, {held / 1e6:.2f} MB")
        elif isinstance(obj, Hub):
            parts.append(f"hub: {len(obj.calls)} calls, version {obj.version}")
    return "; ".join(parts) or "(app not built yet)"


def sampler(out: Path, every_s: float) -> None:
    try:
        sample(out, every_s)
    except Exception as exc:  # a daemon thread dies silently: say why in the file
        with out.open("a") as f:
            f.write(f"sampler stopped: {exc!r}\n")
        raise


def sample(out: Path, every_s: float) -> None:
    first: tracemalloc.Snapshot | None = None
    started = time.monotonic()
    while True:
        time.sleep(every_s)
        snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        traced, _peak = tracemalloc.get_traced_memory()
        head = (
            f"--- t={time.monotonic() - started:.0f}s rss={rss_mb():.1f}MB traced={traced / 1e6:.2f}MB "
            f"gc_objects={len(gc.get_objects())}"
        )
        lines = [head, structures()]
        if first is None:
            first = snap
        else:
            for stat in snap.compare_to(first, "lineno")[:15]:
                lines.append(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {stat.traceback[0]}")
        with out.open("a") as f:
            f.write("\n".join(lines) + "\n")


def main() -> int:
    out, every_s, sep, *argv = sys.argv[1:]
    assert sep == "--", "usage: web_memtrace.py OUT EVERY_S -- frontdesk-args…"
    tracemalloc.start(1)
    threading.Thread(target=sampler, args=(Path(out), float(every_s)), daemon=True).start()
    from kiosk.cli import main as frontdesk

    return frontdesk(argv)


if __name__ == "__main__":
    sys.exit(main())
