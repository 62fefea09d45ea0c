"""The board's sound cache keeps only what a board can still ask for, within its byte bound.

The one-hour soak (bench/bench_web.py) showed the server's memory rising while the old
cache (the last 64 calls, whose sounds grow as ticket numbers get longer) filled; these
tests pin the bound down without timing anything.
"""

from __future__ import annotations

from config import load_config
from kiosk.core.model import Action
from kiosk.store import Call
from kiosk.voice.announcer import Rendered
from kiosk.web.app import create_app
from kiosk.web.live import CURRENT_CALLS
from kiosk.web.sound import CallSounds


def call(n: int) -> Call:
    return Call(
        ticket_id=n,
        seq=1,
        number=f"A{n:03d}",
        counter=1,
        service="CASH",
        language="en",
        action=Action.CALL,
        at=1_700_000_000.0 + n,
    )


class CountingRender:
    """A render whose sound grows with the ticket number, as a spoken number does; counts its renders."""

    def __init__(self) -> None:
        self.rendered: list[str] = []

    def __call__(self, c: Call) -> Rendered:
        self.rendered.append(c.number)
        return Rendered(b"RIFF" + b"\0" * (1000 + 10 * c.ticket_id), ("en",), (), 1.0)


def test_only_the_newest_calls_are_kept_however_many_come() -> None:
    render = CountingRender()
    sounds = CallSounds(render, keep=10)
    for n in range(1, 501):
        sounds.prepare(call(n), f"{n}-1")
    entries, held = sounds.held()
    assert entries == 10
    assert held == sum(4 + 1000 + 10 * n for n in range(491, 501))


def test_the_byte_bound_holds_before_the_count() -> None:
    sounds = CallSounds(CountingRender(), keep=10, max_bytes=5000)
    for n in range(1, 40):
        sounds.prepare(call(n), f"{n}-1")
    entries, held = sounds.held()
    assert held <= 5000
    assert entries == 3  # three sounds of about 1.4 kB each fit, a fourth would not


def test_the_newest_sound_is_kept_even_when_it_alone_is_over_the_bound() -> None:
    sounds = CallSounds(CountingRender(), keep=10, max_bytes=100)
    sounds.prepare(call(1), "1-1")
    sounds.prepare(call(2), "2-1")
    assert sounds.held() == (1, 4 + 1000 + 20)


def test_a_kept_sound_is_served_without_rendering_and_a_dropped_one_is_rendered_again() -> None:
    render = CountingRender()
    sounds = CallSounds(render, keep=2)
    for n in (1, 2, 3):
        sounds.prepare(call(n), f"{n}-1")
    assert sounds.serve(call(3), "3-1")[:4] == b"RIFF"
    assert render.rendered == ["A001", "A002", "A003"]
    assert sounds.serve(call(1), "1-1")[:4] == b"RIFF"  # dropped: rendered again, and kept as the newest
    assert render.rendered == ["A001", "A002", "A003", "A001"]
    assert sounds.held()[0] == 2


def test_the_server_keeps_as_many_sounds_as_the_board_lists_calls(tmp_path) -> None:
    cfg = load_config(None)
    app = create_app(cfg, f"sqlite:///{tmp_path / 'log.sqlite3'}")
    assert app.state.sounds.keep == CURRENT_CALLS + cfg.web.recent_calls
