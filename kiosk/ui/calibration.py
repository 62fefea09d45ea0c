"""The standalone calibration window: the live picture with the queue zone, corners to drag.

An installer points the camera and drags the zone's corners onto the floor where
people queue; the window shows the ``zone = …`` line for ``[camera]`` in branch.toml.
Frames go from the capture straight into a texture in memory: nothing is saved
or sent. Run it with ``frontdesk vision calibrate`` while no kiosk holds the camera;
on a running kiosk the manager's Camera zone page (:mod:`kiosk.ui.camera_zone`)
does the same with the kiosk's own capture. Both draw with :class:`ZoneView`.
"""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.zone_view import ZoneView  # noqa: F401  (registers ZoneView for the .kv rule)
from vision.capture import FrameSource, open_source
from vision.zone_editor import ZoneEditor

KV = Path(__file__).with_name("kv") / "calibration.kv"


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
        self._source: FrameSource | None = None  # opened when the window starts

    def build(self):
        Builder.load_file(str(KV))
        root = CalibrationRoot()
        self.view = root.ids.view
        self.view.editor = self.editor
        self.zone_line = root.ids.zone_line
        self.view.bind(on_zone=lambda _view: self.zone_changed())
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

    def _next_frame(self, _dt: float) -> None:
        source = self._source
        assert source is not None, "on_start opens the source before it schedules the frames"
        if source.grab() is None:  # a file has ended: show it again from the start
            source.close()
            source = self._source = open_source(self.source_spec)
            if source.grab() is None:
                return
        self.view.show_frame(source.retrieve())  # BGR; stays in memory
