"""The picture with the queue zone over it and corners to drag: one widget for both
the standalone calibration window and the kiosk's camera-zone page.

A frame goes straight from the capture into the widget's texture (GPU memory);
the widget keeps no other copy, and :meth:`ZoneView.clear_picture` drops it::

    view = ZoneView(editor=ZoneEditor(corners))
    view.bind(on_zone=lambda v: print(v.editor.toml()))
    view.show_frame(frame_bgr)        # on Kivy's thread
"""

from __future__ import annotations

from kivy.graphics import Color, Ellipse, Line
from kivy.graphics.texture import Texture
from kivy.properties import ObjectProperty
from kivy.uix.image import Image

HANDLE_PX = 18
REACH_PX = 44  # a fingertip's reach around a corner (about 8 mm on a 7-10 inch panel)


class ZoneView(Image):
    """The picture, fitted to the widget, with the editor's polygon drawn over it.

    Dispatches ``on_zone`` while a corner is dragged and when it is let go.
    """

    editor = ObjectProperty(None, allownone=True)  # vision.zone_editor.ZoneEditor
    texture: Texture | None  # Image's Kivy property, for the type checker (Kivy is untyped)
    __events__ = ("on_zone",)

    def __init__(self, **kwargs):
        kwargs.setdefault("fit_mode", "contain")  # a small camera picture grows to the space it has
        super().__init__(**kwargs)
        self.bind(size=self.redraw, pos=self.redraw, editor=self.redraw)

    def on_zone(self) -> None:
        pass

    # -- the picture -----------------------------------------------------------------------
    def show_frame(self, frame) -> None:
        """Draw a BGR frame (rows top to bottom); the texture is reused while the size holds."""
        h, w = frame.shape[:2]
        texture = self.texture
        if texture is None or tuple(texture.size) != (w, h):
            texture = Texture.create(size=(w, h), colorfmt="bgr")
            texture.flip_vertical()
        texture.blit_buffer(frame.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        self.texture = texture
        self.canvas.ask_update()
        self.redraw()

    def clear_picture(self) -> None:
        self.texture = None
        self.redraw()

    # -- geometry ----------------------------------------------------------------------------
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

    def redraw(self, *_args) -> None:
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

    # -- touch -------------------------------------------------------------------------------
    def on_touch_down(self, touch):
        if self.editor is None or self.texture is None or not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        _x, _y, w, h = self.picture_rect()
        self.editor.grab_radius = max(self.editor.grab_radius, REACH_PX / max(min(w, h), 1.0))
        if self.editor.press(*self.to_zone_point(*touch.pos)):
            touch.grab(self)
            self.redraw()
            return True
        return False

    def on_touch_move(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_move(touch)
        self.editor.drag(*self.to_zone_point(*touch.pos))
        self.redraw()
        self.dispatch("on_zone")
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_up(touch)
        touch.ungrab(self)
        self.editor.release()
        self.redraw()
        self.dispatch("on_zone")
        return True
