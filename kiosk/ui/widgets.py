"""The few widgets the screens are made of: text that always fits, big buttons, faces, bars.

:class:`FitLabel` shrinks its font until its text fits its box, so a long Russian
or Mongolian phrase never runs out of its button on a 7-inch panel; ``fits()``
lets a test check that it did.
"""

from __future__ import annotations

from kivy.graphics import Color, Ellipse, Line, Rectangle
from kivy.properties import BooleanProperty, ColorProperty, ListProperty, NumericProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.widget import Widget

MIN_FONT = 9.0


class FitLabel(Label):
    """A label whose font is as large as ``max_font`` allows while its text fits its box."""

    max_font = NumericProperty(24)
    padding_x = NumericProperty(8)

    def __init__(self, **kwargs):
        kwargs.setdefault("halign", "center")
        kwargs.setdefault("valign", "middle")
        super().__init__(**kwargs)
        self.bind(size=self._fit, text=self._fit, max_font=self._fit)
        self._fit()

    def _fit(self, *_):
        width = max(1.0, self.width - 2 * self.padding_x)
        self.text_size = (width, None)
        size = float(self.max_font)
        self.font_size = size
        self.texture_update()
        while size > MIN_FONT and not self.fits():
            size = max(MIN_FONT, size * 0.9)
            self.font_size = size
            self.texture_update()
        self.text_size = (width, self.height)  # keep valign working inside the box

    def fits(self) -> bool:
        """Does the text as last laid out lie inside the widget, no word broken across lines?

        Judged by the lines Kivy laid out (the ones drawn), so a word one pixel too wide
        for the line, which Kivy breaks between letters, does not fit.
        """
        words = self.text.split()
        if not words:
            return True
        # Kivy's own layout of the last texture_update(): it has no public API for it
        lines = self._label._cached_lines  # noqa: SLF001
        height = self._label._internal_size[1]  # noqa: SLF001
        drawn = [token for line in lines for token in "".join(w.text for w in line.words).split()]
        widest = max((line.w for line in lines), default=0)
        return drawn == words and widest <= self.width - 2 * self.padding_x + 1 and height <= self.height + 1


class TapButton(ButtonBehavior, FitLabel):
    """A large flat button with rounded-looking colour; ``disabled`` greys it out."""

    bg = ColorProperty((0.13, 0.37, 0.63, 1))
    bg_down = ColorProperty((0.08, 0.25, 0.45, 1))
    active = BooleanProperty(False)  # for toggles: drawn in the "on" colour
    bg_active = ColorProperty((0.85, 0.45, 0.05, 1))

    def __init__(self, **kwargs):
        kwargs.setdefault("color", (1, 1, 1, 1))
        super().__init__(**kwargs)
        with self.canvas.before:
            self._color = Color(*self.bg)
            self._rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(
            pos=self._draw, size=self._draw, state=self._draw, disabled=self._draw, active=self._draw, bg=self._draw
        )

    def _draw(self, *_):
        if self.disabled:
            rgba = (0.55, 0.57, 0.6, 1)
        elif self.state == "down":
            rgba = self.bg_down
        elif self.active:
            rgba = self.bg_active
        else:
            rgba = self.bg
        self._color.rgba = rgba
        self._rect.pos = (self.x + 3, self.y + 3)
        self._rect.size = (max(0, self.width - 6), max(0, self.height - 6))


class Face(ButtonBehavior, Widget):
    """A drawn face for a 1-5 rating: the mouth turns from a frown to a smile (no emoji font needed)."""

    mood = NumericProperty(3)  # 1 very unhappy .. 5 very happy
    tint = ColorProperty((0.9, 0.75, 0.2, 1))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, mood=self._draw, state=self._draw)

    def _draw(self, *_):
        self.canvas.clear()
        d = min(self.width, self.height) * 0.9
        cx, cy = self.center
        x0, y0 = cx - d / 2, cy - d / 2
        with self.canvas:
            Color(*(self.tint if self.state == "normal" else (0.6, 0.5, 0.1, 1)))
            Ellipse(pos=(x0, y0), size=(d, d))
            Color(0.15, 0.12, 0.1, 1)
            eye = d * 0.1
            Ellipse(pos=(cx - d * 0.2 - eye / 2, cy + d * 0.1), size=(eye, eye))
            Ellipse(pos=(cx + d * 0.2 - eye / 2, cy + d * 0.1), size=(eye, eye))
            bend = (self.mood - 3) / 2.0 * d * 0.18  # + smile, - frown
            mouth_y = cy - d * 0.2
            Line(
                bezier=[cx - d * 0.25, mouth_y, cx, mouth_y - 2 * bend, cx + d * 0.25, mouth_y],
                width=max(1.5, d * 0.03),
            )


class BarChart(Widget):
    """Bars of ``values`` with ``labels`` under them; bars over ``limit`` are drawn red."""

    values = ListProperty([])
    labels = ListProperty([])
    limit = NumericProperty(0)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._texts: list[Label] = []
        self.bind(pos=self._draw, size=self._draw, values=self._draw, labels=self._draw, limit=self._draw)

    def _draw(self, *_):
        self.canvas.clear()
        for lbl in self._texts:
            self.remove_widget(lbl)
        self._texts = []
        n = len(self.values)
        if not n:
            return
        label_h = max(14.0, self.height * 0.14)
        top = max(max(self.values), self.limit, 1e-9)
        slot = self.width / n
        with self.canvas:
            for i, v in enumerate(self.values):
                over = self.limit and v > self.limit
                Color(*((0.8, 0.2, 0.15, 1) if over else (0.2, 0.5, 0.75, 1)))
                h = (self.height - 2 * label_h) * v / top
                Rectangle(pos=(self.x + i * slot + slot * 0.15, self.y + label_h), size=(slot * 0.7, h))
            if self.limit:
                Color(0.85, 0.5, 0.1, 1)
                y = self.y + label_h + (self.height - 2 * label_h) * self.limit / top
                Line(points=[self.x, y, self.right, y], width=1.2, dash_length=6, dash_offset=4)
        plot_h = self.height - 2 * label_h
        for i, text in enumerate(self.labels):
            lbl = Label(
                text=str(text),
                font_size=label_h * 0.8,
                color=(0.2, 0.2, 0.25, 1),
                pos=(self.x + i * slot, self.y),
                size=(slot, label_h),
            )
            self.add_widget(lbl)
            self._texts.append(lbl)
        for i, v in enumerate(self.values):  # the figure itself above its bar
            top_y = self.y + label_h + plot_h * v / top
            lbl = Label(
                text=f"{v:.0f}",
                font_size=label_h * 0.75,
                color=(0.2, 0.2, 0.25, 1),
                pos=(self.x + i * slot, top_y),
                size=(slot, label_h),
            )
            self.add_widget(lbl)
            self._texts.append(lbl)
