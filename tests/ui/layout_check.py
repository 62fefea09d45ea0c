"""The layout check of the window tests: what is wrong with the texts of a widget tree as drawn.

It judges each label by the lines Kivy actually laid out, not by the label's own
``fits()`` (which chooses the font, so a fault there would hide itself), and it
looks at every label that can be seen, enabled or disabled::

    layout_problems(app.sm.current_screen, "staff", "mn", Window.size)
    # ["staff: 'Дараагийн хүн' breaks a word across lines in (106, 96)"]
"""

from __future__ import annotations

import math
import re

# panel diagonals assumed for the touch-target check: a 7-inch 800x480, a 10.1-inch 1280x800
PANEL_INCHES = {(800, 480): 7.0, (1280, 800): 10.1}
MIN_TARGET_MM = 15.0
# words that stay as they are in every language: names, the branch, language names, PIN, CSV
NOT_TRANSLATED = {"Saraa", "Oyuna", "Bat", "Sukhbaatar", "Square", "Branch", "English", "PIN", "CSV"}
CUSTOMER_SCREENS = ("greeting", "service", "ticket", "feedback", "counter", "counter_feedback")


def drawn_text_problem(label) -> str | None:
    """How the label's text as drawn fails its box (a word broken, cut off, too wide or tall), or None."""
    words = label.text.split()
    if not words:
        return None
    label.texture_update()
    core = label._label  # Kivy's text renderer: its last layout is what the texture shows
    lines = core._cached_lines
    drawn = [token for line in lines for token in "".join(w.text for w in line.words).split()]
    if drawn != words:
        return "breaks a word across lines" if "".join(drawn) == "".join(words) else "is cut off"
    left, _top, right, _bottom = core.options["padding"]
    if max(line.w for line in lines) > label.text_size[0] - left - right + 1:
        return "is wider than its box"
    if core._internal_size[1] > label.height + 1:
        return "is taller than its box"
    return None


def visible(widget) -> bool:
    w = widget
    while w is not None:
        if w.opacity == 0 or w.height < 2 or w.width < 2:
            return False
        w = w.parent if w.parent is not w else None
    return True


def layout_problems(root, screen: str, lang: str, window_size: tuple[int, int]) -> list[str]:
    """Texts that do not fit their box, customer buttons under 15 mm, English left on other screens."""
    from kiosk.ui.widgets import FitLabel, TapButton

    width, height = window_size
    ppi = math.hypot(width, height) / PANEL_INCHES[(width, height)]
    min_px = MIN_TARGET_MM / 25.4 * ppi
    problems = []
    for w in root.walk():
        if not isinstance(w, FitLabel) or not w.text.strip() or not visible(w):
            continue
        size = tuple(map(int, w.size))
        wrong = drawn_text_problem(w)
        if wrong:
            problems.append(f"{screen}: {w.text!r} {wrong} in {size}")
        x, y = w.to_window(*w.pos)
        if x < -1 or y < -1 or x + w.width > width + 1 or y + w.height > height + 1:
            problems.append(f"{screen}: {w.text!r} lies outside the window")
        if lang != "en" and screen != "out_of_service":  # that one speaks every language
            english = [word for word in re.findall(r"[A-Za-z]{3,}", w.text) if word not in NOT_TRANSLATED]
            if english:
                problems.append(f"{screen}: English words {english} in {w.text!r}")
        if screen in CUSTOMER_SCREENS and isinstance(w, TapButton) and min(w.width, w.height) - 6 < min_px:
            problems.append(f"{screen}: button {w.text!r} is {min(w.size):.0f} px, under 15 mm ({min_px:.0f} px)")
    return problems
