"""The camera calibration view: the live picture with the queue zone, corners to drag.

An installer points the camera and drags the zone's corners onto the floor where
people queue; the view shows the ``zone = …`` line for ``[camera]`` in branch.toml.
Frames go from the capture straight into a texture in memory: nothing is saved
or sent. Run it with ``frontdesk vision calibrate``.
"""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, Line
from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image

from vision.capture import open_source
from vision.zone_editor import ZoneEditor

KV = Path(__file__).with_name("kv") / "calibration.kv"
HANDLE_PX = 18


class ZoneView(Image):
    """The picture, fitted to the widget, with the editor's polygon drawn over it."""

    editor: ZoneEditor | None = None

    def picture_rect(self) -> tuple[float, float, float, float]:
        """Where the picture is drawn: x, y (bottom left), width, height in window pixels."""
        w, h = self.norm_image_size
        return self.center_x - w / 2, self.center_y - h / 2, w, h

    def to_window_point(self, nx: float, ny: float) -> tuple[float, float]:
        x, y, w, h = self.picture_rect()
        return x + nx * w, y + (1.0 - ny) * h  # the zone's y grows downwards

    def to_zone_point(self, wx: float, wy: float) -> tuple[float, float]:
        x, y, w, h = self.picture_rect()
        return (wx - x) / max(w, 1.0), 1.0 - (wy - y) / max(h, 1.0)

    def redraw(self) -> None:
        self.canvas.after.clear()
        if self.editor is None or self.texture is None:
            return
        points = [c for corner in self.editor.corners for c in self.to_window_point(*corner)]
        with self.canvas.after:
            Color(1, 0.85, 0.2, 1)
            Line(points=points, close=True, width=2)
            for i in range(0, len(points), 2):
                held = self.editor.held is not None and i // 2 == self.editor.held
                Color(1, 0.3, 0.2, 1) if held else Color(1, 0.85, 0.2, 1)
                Ellipse(pos=(points[i] - HANDLE_PX / 2, points[i + 1] - HANDLE_PX / 2), size=(HANDLE_PX, HANDLE_PX))

    def on_touch_down(self, touch):
        if self.editor is None or not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        if self.editor.press(*self.to_zone_point(*touch.pos)):
            touch.grab(self)
            self.redraw()
            return True
        return False

    def on_touch_move(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_move(touch)
        self.editor.drag(*self.to_zone_point(*touch.pos))
        App.get_running_app().zone_changed()
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_up(touch)
        touch.ungrab(self)
        self.editor.release()
        App.get_running_app().zone_changed()
        return True


class CalibrationRoot(BoxLayout):
    pass


class CalibrationApp(App):
    """``CalibrationApp(source, corners).run()``; ``editor.corners`` holds the zone as adjusted."""

    def __init__(self, source: str, corners, fps: float = 10.0, **kwargs):
        super().__init__(**kwargs)
        self.title = "frontdesk: camera zone"
        self.source_spec = source
        self.editor = ZoneEditor(corners)
        self.fps = fps
        self._source = None

    def build(self):
        Builder.load_file(str(KV))
        root = CalibrationRoot()
        self.view = root.ids.view
        self.view.editor = self.editor
        self.zone_line = root.ids.zone_line
        self.view.bind(size=lambda *_: self.view.redraw(), pos=lambda *_: self.view.redraw())
        self.zone_changed()
        return root

    def on_start(self) -> None:
        self._source = open_source(self.source_spec)
        Clock.schedule_interval(self._next_frame, 1.0 / self.fps)

    def on_stop(self) -> None:
        if self._source is not None:
            self._source.close()

    def zone_changed(self) -> None:
        self.zone_line.text = self.editor.toml()
        self.view.redraw()

    def _next_frame(self, _dt) -> None:
        if self._source.grab() is None:  # a file has ended: show it again from the start
            self._source.close()
            self._source = open_source(self.source_spec)
            if self._source.grab() is None:
                return
        frame = self._source.retrieve()  # BGR, rows top to bottom; stays in memory
        h, w = frame.shape[:2]
        texture = self.view.texture
        if texture is None or tuple(texture.size) != (w, h):
            texture = Texture.create(size=(w, h), colorfmt="bgr")
            texture.flip_vertical()
        texture.blit_buffer(frame.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        self.view.texture = texture
        self.view.canvas.ask_update()
        self.view.redraw()
