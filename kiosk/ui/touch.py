"""Real taps through Kivy's input system, for the scripted demo, the tests and the benchmark.

A :class:`Tap` is a touch-screen MotionEvent posted to Kivy's event loop exactly
as a touch panel's provider posts one; the window dispatches it to whatever
widget lies under that point, so a tap on a hidden or covered button does what
a finger would do there::

    tap_widget(app.sm.get_screen("service").ids.back)
"""

from __future__ import annotations

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent

_next_id = 1000


class Tap(MotionEvent):
    def __init__(self, x: float, y: float):
        global _next_id
        _next_id += 1
        win = EventLoop.window
        super().__init__(
            "frontdesk-tap",
            _next_id,
            {"x": x / (win.width - 1.0), "y": y / (win.height - 1.0)},
            is_touch=True,
            type_id="touch",
        )
        self.profile = ["pos"]

    def depack(self, args):
        self.sx, self.sy = args["x"], args["y"]
        self.profile = ["pos"]
        super().depack(args)

    def down(self) -> None:
        EventLoop.post_dispatch_input("begin", self)

    def up(self) -> None:
        EventLoop.post_dispatch_input("end", self)


def tap_at(x: float, y: float) -> None:
    """Press and release at window coordinates (pixels, origin bottom-left)."""
    tap = Tap(x, y)
    tap.down()
    tap.up()


def window_center(widget) -> tuple[float, float]:
    return widget.to_window(*widget.center)


def tap_widget(widget) -> None:
    tap_at(*window_center(widget))
