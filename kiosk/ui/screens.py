"""The Kivy screens: each one copies what its presenter holds into properties the .kv shows.

No decision is taken here; taps go straight to the presenter, which checks them.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.core.model import Level
from kiosk.i18n import LANGUAGE_NAMES, N_
from kiosk.ui.qr import qr_texture
from kiosk.ui.widgets import Face, FitLabel, TapButton
from kiosk.ui.zone_view import ZoneView  # noqa: F401  (registers ZoneView for camera_zone.kv)

LEVEL_COLOURS = {
    Level.WITHIN: (0.15, 0.5, 0.25, 1),
    Level.WARNING: (0.85, 0.5, 0.05, 1),
    Level.BREACH: (0.8, 0.15, 0.1, 1),
}
FACE_WORDS = (N_("Very poor"), N_("Poor"), N_("All right"), N_("Good"), N_("Excellent"))
BUTTON_WORDS = {
    "call_next": N_("Call next"),
    "recall": N_("Recall"),
    "start": N_("Start"),
    "finish": N_("Finish"),
    "no_show": N_("No-show"),
    "transfer": N_("Transfer"),
    "hold": N_("Hold"),
    "break": N_("Break"),
    "call_number": N_("Call a number"),
    "reprint": N_("Print again"),
}


QUEUE_LINES = 9  # the console's queue: eight tickets and a line saying how many more


def _vh() -> float:
    return App.get_running_app().vh


class GreetingScreen(Screen):
    flow = ObjectProperty(None)
    awake = BooleanProperty(False)
    branch = StringProperty("")
    home_lang = StringProperty("en")
    camera_on = BooleanProperty(False)

    def refresh(self) -> None:
        flow = self.flow
        self.awake = flow.awake
        self.branch = flow.cfg.branch.name
        self.home_lang = flow.cfg.branch.default_language
        self.camera_on = flow.cfg.camera.enabled
        grid = self.ids.languages
        if not grid.children:
            langs = flow.greeting_languages()
            grid.cols = 2 if len(langs) > 1 else 1
            for lang in langs:
                btn = TapButton(text=LANGUAGE_NAMES[lang], max_font=_vh() * 8)
                btn.lang_code = lang
                btn.bind(on_release=lambda b: self.flow.choose_language(b.lang_code))
                grid.add_widget(btn)


class ServiceScreen(Screen):
    flow = ObjectProperty(None)
    priority = BooleanProperty(False)
    care_hint = StringProperty("")
    _built_for = StringProperty("")

    def refresh(self) -> None:
        flow = self.flow
        self.priority = flow.priority
        self.care_hint = flow.t(N_("Special care is for: %(who)s.")) % {"who": flow.priority_hint()}
        if self._built_for == flow.lang:
            return
        self._built_for = flow.lang
        grid = self.ids.services
        grid.clear_widgets()
        choices = flow.services()
        grid.cols = 2 if len(choices) > 3 else 1
        for choice in choices:
            btn = TapButton(text=choice.name, max_font=_vh() * 6)
            if choice.apology:
                btn.bg = (0.45, 0.3, 0.55, 1)
            btn.service_code = choice.code
            btn.bind(on_release=lambda b: self.flow.choose_service(b.service_code))
            grid.add_widget(btn)


class TicketScreen(Screen):
    flow = ObjectProperty(None)
    heading = StringProperty("")
    number = StringProperty("")
    service = StringProperty("")
    ahead = StringProperty("")
    wait = StringProperty("")
    note = StringProperty("")
    note_warning = BooleanProperty(False)
    can_reprint = BooleanProperty(False)  # the kiosk has a printer and this ticket was not printed again yet
    farewell = StringProperty("")
    qr = ObjectProperty(None, allownone=True)  # the phone page's QR code; None without [web] public_url

    def refresh(self) -> None:
        flow, view = self.flow, self.flow.ticket
        if view is None:
            return
        self.qr = qr_texture(view.status_url) if view.status_url else None
        self.heading, self.number, self.service = view.heading, view.number, view.service_name
        self.ahead, self.wait, self.farewell = view.ahead, view.wait, view.farewell
        self.note_warning = flow.print_failed
        self.can_reprint = flow.print_ticket is not None and not flow.reprinted
        if flow.print_failed:
            self.note = flow.t(N_("The printer is not working: please remember your number."))
        elif flow.reprinted:
            self.note = flow.t(N_("Your ticket is being printed again."))
        else:
            self.note = view.priority


class FeedbackScreen(Screen):
    flow = ObjectProperty(None)
    number = StringProperty("")
    thanked = BooleanProperty(False)
    _built_for = StringProperty("")

    def refresh(self) -> None:
        flow, view = self.flow, self.flow.feedback
        if view is None:
            return
        self.number, self.thanked = view.number, view.thanked
        if self._built_for == flow.lang:
            return
        self._built_for = flow.lang
        row = self.ids.faces
        row.clear_widgets()
        for mood, word in enumerate(FACE_WORDS, start=1):
            col = BoxLayout(orientation="vertical", spacing=_vh())
            face = Face(mood=mood)
            face.bind(on_release=lambda f: self.flow.rate(int(f.mood)))
            col.add_widget(face)
            col.add_widget(FitLabel(text=flow.t(word), max_font=_vh() * 3.8, size_hint_y=0.3))
            row.add_widget(col)


class OutOfServiceScreen(Screen):
    flow = ObjectProperty(None)

    def refresh(self) -> None:
        box = self.ids.lines
        box.clear_widgets()
        for line in self.flow.out_of_service_lines():
            box.add_widget(FitLabel(text=line, max_font=_vh() * 5.5))


class PinScreen(Screen):
    pad = ObjectProperty(None)
    title = StringProperty("")
    prompt = StringProperty("")
    dots = StringProperty("")
    message = StringProperty("")
    can_cancel = BooleanProperty(False)
    _names = ListProperty([])

    def refresh(self) -> None:
        pad = self.pad
        if pad is None:
            return
        self.title, self.prompt, self.dots, self.message = pad.title(), pad.prompt(), pad.dots(), pad.message
        grid = self.ids.names
        if self._names != pad.names or not grid.children and pad.names:
            self._names = list(pad.names)
            grid.clear_widgets()
            for name in pad.names[:8]:
                btn = TapButton(text=name, max_font=_vh() * 4, bg=(0.35, 0.4, 0.5, 1))
                btn.staff_name = name
                btn.bind(on_release=lambda b: self.pad.choose(b.staff_name))
                grid.add_widget(btn)
        for btn in grid.children:
            btn.active = btn.staff_name == pad.name


class StaffScreen(Screen):
    console = ObjectProperty(None)
    header = StringProperty("")
    level_word = StringProperty("")
    level_color = ColorProperty(LEVEL_COLOURS[Level.WITHIN])
    banner = StringProperty("")
    banner_color = ColorProperty(LEVEL_COLOURS[Level.WARNING])
    current_number = StringProperty("")
    current_service = StringProperty("")
    current_state = StringProperty("")
    message = StringProperty("")
    staff_state = StringProperty("")
    waiting_title = StringProperty("")
    camera = StringProperty("")
    devices = StringProperty("")
    _mode = StringProperty("")
    _plain_colour = ListProperty([])

    def rebuild_buttons(self) -> None:
        """Build the action buttons again at the next refresh (their words changed language)."""
        self._mode = ""

    def refresh(self, devices_text: str = "") -> None:
        c = self.console
        self.header = c.header()
        self.level_word = c.level_word()
        self.level_color = LEVEL_COLOURS[c.alert_level]
        self.banner = c.banner() if c.unacknowledged else ""
        self.banner_color = LEVEL_COLOURS.get(c.alert_level, LEVEL_COLOURS[Level.WARNING])
        self.current_number, self.current_service, self.current_state = c.current_lines()
        self.message = c.message
        self.staff_state = c.state_line()
        self.waiting_title = c.t(N_("Waiting: %(n)d")) % {"n": len(c.rows)}
        self.camera = "\n".join(c.camera_lines())
        self.devices = devices_text
        self._actions()
        self._queue()

    def _actions(self) -> None:
        c, grid = self.console, self.ids.actions
        enabled = c.enabled()
        if c.choosing_break:
            self._break_choices()
            return
        if c.choosing_transfer:
            if self._mode != "transfer":
                self._mode = "transfer"
                grid.clear_widgets()
                grid.cols = 2
                for code, name in c.transfer_choices():
                    btn = TapButton(text=name, max_font=_vh() * 3.6, bg=(0.35, 0.4, 0.5, 1))
                    btn.service_code = code
                    btn.bind(on_release=lambda b: self.console.transfer_to(b.service_code))
                    grid.add_widget(btn)
                cancel = TapButton(text=c.t(N_("Cancel")), max_font=_vh() * 3.6, bg=(0.6, 0.35, 0.3, 1))
                cancel.bind(on_release=lambda _b: self.console.transfer_to(None))
                grid.add_widget(cancel)
            return
        if c.choosing_ticket is not None:
            self._ticket_choices()
            return
        if self._mode != "actions":
            self._mode = "actions"
            grid.clear_widgets()
            grid.cols = 4
            for name, word in BUTTON_WORDS.items():
                btn = TapButton(text=c.t(word), max_font=_vh() * 3.8)
                btn.action_name = name
                btn.bind(on_release=lambda b: self.console.press(b.action_name))
                if name == "call_next":
                    btn.bg = (0.15, 0.55, 0.3, 1)
                grid.add_widget(btn)
        for btn in grid.children:
            btn.disabled = not enabled.get(btn.action_name, False)
            if btn.action_name == "break":
                btn.text = c.t(N_("Back from break") if c.away else N_("Break"))
                btn.active = c.away

    def _break_choices(self) -> None:
        """One tap per reason (staff.kv: BreakChoice), the back office, and Cancel."""
        c = self.console

        def buttons() -> list[Widget]:
            made = []
            for choice, words in c.break_choices():
                btn = Factory.BreakChoice(text=words)
                btn.choice = choice
                btn.bind(on_release=lambda b: self.console.take_break(b.choice))
                made.append(btn)
            return made

        self._choices("break", 2, buttons, lambda: self.console.take_break(None))

    def _ticket_choices(self) -> None:
        """The numbers to call or print again, one button each, and Cancel (rebuilt as the queue moves)."""
        c = self.console
        choices = c.ticket_choices()

        def buttons() -> list[Widget]:
            made = []
            for number in choices:
                btn = TapButton(text=number, max_font=_vh() * 4.2, bg=(0.13, 0.37, 0.63, 1))
                btn.ticket_number = number
                btn.bind(on_release=lambda b: self.console.choose_ticket(b.ticket_number))
                made.append(btn)
            return made

        self._choices(f"{c.choosing_ticket}:{','.join(choices)}", 4, buttons, lambda: self.console.choose_ticket(None))

    def _choices(self, mode: str, cols: int, buttons: Callable[[], list[Widget]], cancel: Callable[[], None]) -> None:
        """The action grid as one button per choice and Cancel; built again only when ``mode`` changes."""
        if self._mode == mode:
            return
        self._mode = mode
        grid = self.ids.actions
        grid.clear_widgets()
        grid.cols = cols
        for btn in buttons():
            grid.add_widget(btn)
        cancel_btn = TapButton(text=self.console.t(N_("Cancel")), max_font=_vh() * 3.6, bg=(0.6, 0.35, 0.3, 1))
        cancel_btn.bind(on_release=lambda _b: cancel())
        grid.add_widget(cancel_btn)

    def _queue(self) -> None:
        """The first rows of the queue and how many more, on lines made once and rewritten in place.

        The console refreshes every second or so: building the labels again each time costs a
        layout and a text render per label, where a line whose words did not change costs nothing.
        """
        c, grid = self.console, self.ids.queue
        if not grid.children:
            for _ in range(QUEUE_LINES):
                grid.add_widget(FitLabel(text=""))
            self._plain_colour = list(grid.children[0].color)  # a label's own (common.kv)
        lines = list(reversed(grid.children))  # Kivy keeps a layout's children last-added first
        shown = c.rows[: QUEUE_LINES - 1]
        for line, row in zip(lines, shown, strict=False):
            star = " ★" if row.priority else ""
            line.text = f"{row.number}{star}   {row.service}   {row.waited}"
            line.max_font, line.halign, line.color = _vh() * 3.4, "left", LEVEL_COLOURS[row.level]
            line.opacity = 1.0 if row.for_this_counter else 0.45
        more = len(c.rows) - len(shown)
        # the first line under the tickets says how many more (each text set once: a change refits)
        for i, line in enumerate(lines[len(shown) :]):
            line.text = c.t(N_("… and %(n)d more")) % {"n": more} if i == 0 and more else ""
            line.max_font, line.halign, line.color, line.opacity = _vh() * 3.2, "center", self._plain_colour, 1.0


class ManagerScreen(Screen):
    view = ObjectProperty(None)
    day = StringProperty("")
    message = StringProperty("")
    devices = StringProperty("")
    can_close = BooleanProperty(False)
    has_camera = BooleanProperty(False)  # this app holds the camera: the Camera zone page is here
    hour_values = ListProperty([])
    hour_labels = ListProperty([])
    hour_limit = NumericProperty(0)

    def refresh(self) -> None:
        v = self.view
        self.day, self.message = v.day, v.message
        tiles = self.ids.tiles
        tiles.clear_widgets()
        for tile in v.tiles:
            box = BoxLayout(orientation="vertical")
            box.add_widget(FitLabel(text=tile.value, max_font=_vh() * 6, color=(0.13, 0.37, 0.63, 1)))
            box.add_widget(FitLabel(text=tile.label, max_font=_vh() * 2.8, size_hint_y=0.6))
            tiles.add_widget(box)
        self.hour_values = [b.wait_min for b in v.hours]
        self.hour_labels = [f"{b.hour:02d}" for b in v.hours]
        targets = [s.target_wait_s / 60 for s in v.cfg.services]
        self.hour_limit = min(targets) if targets else 0
        box = self.ids.breaches
        box.clear_widgets()
        lines = v.breaches[-7:] or [v.no_breaches_text()]
        for line in lines:
            box.add_widget(FitLabel(text=line, max_font=_vh() * 3, halign="left"))
        for _ in range(7 - len(lines)):
            box.add_widget(FitLabel(text=""))


class CameraZoneScreen(Screen):
    """The live picture with the zone, while the screen is shown and only then.

    Frames come from the watcher's thread into one slot; Kivy's thread draws the
    latest into the view's texture. Leaving the screen stops the preview first,
    then drops the slot and the texture: no frame outlives the page. The kiosk
    faces customers, so a page left alone goes back to the manager's screen.
    """

    page = ObjectProperty(None)  # kiosk.ui.camera_zone.CameraZonePage
    live = StringProperty("")
    note = StringProperty("")
    message = StringProperty("")
    failed = BooleanProperty(False)
    REFRESH_S = 0.5
    idle_s = NumericProperty(120.0)  # untouched this long, the page closes itself

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._latest = None
        self._touched = 0.0
        self._draw = Clock.create_trigger(self._draw_latest)  # a trigger: safe to pull from any thread
        self._ticking = None

    def refresh(self) -> None:
        page = self.page
        if self.ids.view.editor is not page.editor:
            self.ids.view.editor = page.editor
        self.live = "\n".join(page.live_lines())
        self.note = page.picture_note(self.ids.view.texture is not None)
        self.message, self.failed = page.message, page.failed

    def on_enter(self) -> None:
        self._touched = Clock.get_boottime()
        self.page.watcher.preview(self._frame_arrived)
        self._ticking = Clock.schedule_interval(self._tick, self.REFRESH_S)
        self.refresh()

    def on_touch_down(self, touch):
        self._touched = Clock.get_boottime()
        return super().on_touch_down(touch)

    def _tick(self, _dt) -> None:
        if Clock.get_boottime() - self._touched > self.idle_s:
            App.get_running_app().leave_camera_zone()
            return
        self.refresh()

    def on_leave(self) -> None:
        self.page.watcher.stop_preview()
        if self._ticking is not None:
            self._ticking.cancel()
        self._latest = None
        self.ids.view.clear_picture()

    def _frame_arrived(self, frame) -> None:  # on the watcher's thread
        self._latest = frame
        self._draw()

    def _draw_latest(self, _dt) -> None:
        frame, self._latest = self._latest, None
        if frame is not None and self.manager is not None and self.manager.current == self.name:
            self.ids.view.show_frame(frame)
            if self.note:
                self.refresh()


class CounterScreen(Screen):
    display = ObjectProperty(None)
    title = StringProperty("")
    number = StringProperty("")
    message = StringProperty("")

    def refresh(self) -> None:
        d = self.display
        self.title, self.message = d.title(), d.message()
        self.number = d.number if d.step in ("called", "serving") else ""
