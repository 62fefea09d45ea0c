"""Run by test_calibration.py in its own process (Kivy makes one window per process):
opens the calibration view on a clip, drags the first corner with a real touch, prints
what the view showed and where the corner went, as JSON."""

import json
import sys
import time

from kiosk.ui.lockdown import prepare_kivy

prepare_kivy(size=(900, 700))

from kivy.base import EventLoop  # noqa: E402
from kivy.clock import Clock  # noqa: E402

from kiosk.ui.calibration import CalibrationApp  # noqa: E402
from kiosk.ui.touch import Tap  # noqa: E402

app = CalibrationApp(sys.argv[1], [(0.1, 0.4), (0.9, 0.4), (0.9, 1.0), (0.1, 1.0)])
result = {}


STARTED = time.monotonic()


def drag_first_corner(_dt):
    view = app.view
    if view.texture is None and time.monotonic() - STARTED < 60:  # the first frame is not drawn yet
        Clock.schedule_once(drag_first_corner, 0.1)
        return
    result["texture"] = list(view.texture.size) if view.texture else None
    start = view.to_window_point(0.1, 0.4)
    end = view.to_window_point(0.3, 0.6)
    touch = Tap(*start)
    touch.down()
    win = EventLoop.window
    touch.move({"x": end[0] / (win.width - 1.0), "y": end[1] / (win.height - 1.0)})
    EventLoop.post_dispatch_input("update", touch)
    touch.up()
    Clock.schedule_once(finish, 0.3)


def finish(_dt):
    result["corners"] = app.editor.corners
    result["line"] = app.root.ids.zone_line.text
    print(json.dumps(result))
    app.stop()


Clock.schedule_once(drag_first_corner, 1.0)
app.run()
