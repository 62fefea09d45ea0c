"""Run by test_camera_zone.py in its own process (Kivy makes one window per process).

Starts the real ``frontdesk kiosk`` command on a branch file whose camera is a
recorded clip, then, with real touches: Esc, the manager's PIN, Camera zone, a
corner dragged, Save, Back. Prints as JSON what the page showed, what the
watcher counts with, every file opened for writing while the page was open, and
the layout problems of the page in every staff language; last, that a page
left alone closes itself.

    python camera_zone_driver.py BRANCH_TOML DB_URL [--shots DIR]

``--shots DIR`` also saves a picture of the page per language into DIR (for
looking at the layout by hand; the privacy test never asks for it).
"""

import json
import os
import sys
from pathlib import Path

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
recording: list | None = None


def audit(event, args):
    if recording is None or event != "open":
        return
    path, mode, flags = (list(args) + [None, None, None])[:3]
    if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & WRITE_FLAGS):
        recording.append(str(path))


sys.addaudithook(audit)

config, db_url = sys.argv[1], sys.argv[2]
shots = Path(sys.argv[sys.argv.index("--shots") + 1]) if "--shots" in sys.argv else None
MANAGER, PIN = "Oyuna", "9024"

from kiosk.store import open_store  # noqa: E402
from kiosk.store.pins import PinStore  # noqa: E402

store = open_store(db_url)
PinStore(store).set_pin("manager", MANAGER, PIN)
store.close()

from kiosk.ui.lockdown import prepare_kivy  # noqa: E402

prepare_kivy(fullscreen=True, cursor=False)  # as the kiosk command does; before Kivy is imported
from kivy.app import App  # noqa: E402
from kivy.base import EventLoop  # noqa: E402
from kivy.clock import Clock  # noqa: E402

result = {"problems": []}


def script():
    global recording
    app = App.get_running_app()
    from kivy.core.window import Window

    from kiosk.ui.touch import Tap, tap_widget
    from kiosk.ui.widgets import FitLabel

    sm = app.sm
    yield lambda: sm.current == "greeting"
    result["window"] = list(Window.size)
    Window.dispatch("on_keyboard", 27, 0, None, [])  # Esc at the kiosk: the manager's PIN
    pin = sm.get_screen("pin").ids
    yield lambda: sm.current == "pin" and any(getattr(w, "text", "") == MANAGER for w in pin.names.children)
    tap_widget(next(w for w in pin.names.children if w.text == MANAGER))
    for digit in PIN:
        tap_widget(next(w for w in pin.keypad.children if getattr(w, "text", "") == digit))
    tap_widget(pin.ok)
    yield lambda: sm.current == "manager"
    yield 0.3
    button = sm.get_screen("manager").ids.camera_zone
    result["button"] = {"text": button.text, "opacity": button.opacity, "disabled": button.disabled}
    recording = []  # from here on the page is open: every file opened for writing is noted
    tap_widget(button)
    yield lambda: sm.current == "camera_zone"
    screen = sm.get_screen("camera_zone")
    ids, watcher = screen.ids, app.camera_zone.watcher
    view = ids.view
    yield lambda: view.texture is not None and ids.live.text != ""
    result["texture"] = list(view.texture.size)
    result["live"] = ids.live.text
    result["previewing_open"] = watcher.previewing
    start = view.to_window_point(*view.editor.corners[0])
    end = view.to_window_point(0.3, 0.6)
    touch = Tap(*start)
    touch.down()
    for k in range(1, 6):  # a finger moves in steps
        x = start[0] + (end[0] - start[0]) * k / 5
        y = start[1] + (end[1] - start[1]) * k / 5
        touch.move({"x": x / (Window.width - 1.0), "y": y / (Window.height - 1.0)})
        EventLoop.post_dispatch_input("update", touch)
    touch.up()
    yield 0.2
    result["corners"] = view.editor.corners
    tap_widget(ids.save)
    yield lambda: ids.message.text != ""
    result["message"] = ids.message.text
    wanted = tuple(tuple(c) for c in view.editor.corners)
    yield lambda: watcher.counting_zone is not None and watcher.counting_zone.corners == wanted
    result["counting_zone"] = watcher.counting_zone.corners
    yield 1.2  # a new observation from the new counter
    for lang in app.cfg.branch.languages:
        app.set_staff_language(lang)
        yield 0.3
        for w in screen.walk():
            if isinstance(w, FitLabel) and w.text and w.opacity > 0:
                w.texture_update()
                if not w.fits():
                    result["problems"].append(
                        f"{Window.size} {lang}: {w.text!r} does not fit {tuple(map(int, w.size))}"
                    )
        if shots is not None:
            app.root.export_to_png(str(shots / f"camera-zone-{Window.width}x{Window.height}-{lang}.png"))
    tap_widget(ids.back)
    yield lambda: sm.current == "manager"
    yield 0.5
    result["previewing_after"] = watcher.previewing
    result["texture_after"] = view.texture is not None
    result["writes"] = list(recording)
    recording = None
    # a page left alone at the kiosk (which faces customers) closes itself
    tap_widget(button)
    yield lambda: sm.current == "camera_zone" and watcher.previewing
    screen.idle_s = 1.0
    yield lambda: sm.current == "manager"
    yield 0.5
    result["idle_closed"] = not watcher.previewing and view.texture is None
    if shots is not None:
        app.root.export_to_png(str(shots / f"manager-{Window.width}x{Window.height}.png"))
    print(json.dumps(result))


def advance(steps, waiting=None, since=0.0):
    import time

    try:
        if callable(waiting) and not waiting():
            if time.monotonic() - since > 30:
                raise TimeoutError(f"timed out on {App.get_running_app().sm.current}: {result}")
            Clock.schedule_once(lambda _dt: advance(steps, waiting, since), 0.05)
            return
        step = next(steps)
    except StopIteration:
        App.get_running_app().close_for_good()
        return
    except Exception as err:
        print(json.dumps({"failure": f"{type(err).__name__}: {err}"}))
        App.get_running_app().close_for_good()
        return
    if callable(step):
        Clock.schedule_once(lambda _dt: advance(steps, step, time.monotonic()), 0.05)
    else:
        Clock.schedule_once(lambda _dt: advance(steps), step)


Clock.schedule_once(lambda _dt: advance(script()), 0.5)

from kiosk.cli_ui import kiosk_cmd  # noqa: E402

kiosk_cmd(db=db_url, config=config, windowed=False, size=None)
