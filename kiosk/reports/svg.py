"""Small inline SVG charts for the printed report: no scripts, no external resources.

>>> "<svg" in bar_chart([("08", 30.0, 60.0)], "s", target=45.0)
True
"""

from __future__ import annotations

from html import escape
from math import ceil, log10

INK = "#1f2933"
MUTED = "#7b8794"
BAR = "#3e7cb1"
WARN = "#d9822b"
BAD = "#c23030"
GRID = "#d9dde3"


def nice_max(value: float) -> float:
    """A round axis top at or above ``value`` (1, 2, 2.5, 5 x 10^n)."""
    if value <= 0:
        return 1.0
    base: float = 10 ** int(log10(value))  # an int at run time for value >= 1, as before
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * base:
            return step * base
    return 10 * base


def bar_chart(
    bars: list[tuple[str, float | None, float | None]],
    unit: str,
    target: float | None = None,
    width: int = 360,
    height: int = 150,
) -> str:
    """Bars (label, value, whisker top): e.g. the mean wait with the p90 as a tick above it."""
    left, bottom, top = 34, 18, 8
    plot_w, plot_h = width - left - 4, height - bottom - top
    values = [v for _, a, b in bars for v in (a, b) if v is not None] + ([target] if target else [])
    top_value = max(values, default=1.0)
    in_minutes = unit == "s" and top_value >= 300  # long waits read better in minutes
    vmax = nice_max(top_value / 60) * 60 if in_minutes else nice_max(top_value)
    unit = "min" if in_minutes else unit
    n = max(len(bars), 1)
    slot = plot_w / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' font-family="sans-serif" font-size="8" role="img">'
    ]
    for i in range(5):
        y = top + plot_h * i / 4
        tick = vmax * (4 - i) / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{left - 3}" y="{y + 3:.1f}" text-anchor="end" fill="{MUTED}">{_axis(tick, unit)}</text>'
        )
    for i, (label, value, whisker) in enumerate(bars):
        x = left + i * slot
        if value is not None:
            h = plot_h * value / vmax
            colour = BAR if target is None or value <= target else BAD
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.7:.1f}"'
                f' height="{h:.1f}" fill="{colour}"/>'
            )
        if whisker is not None:
            y = top + plot_h - plot_h * whisker / vmax
            parts.append(
                f'<line x1="{x + slot * 0.3:.1f}" x2="{x + slot * 0.7:.1f}" y1="{y:.1f}" y2="{y:.1f}"'
                f' stroke="{INK}" stroke-width="1.2"/>'
            )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="{INK}">{escape(label)}</text>'
        )
    if target:
        y = top + plot_h - plot_h * target / vmax
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="{WARN}"'
            f' stroke-dasharray="4 2" stroke-width="1"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _axis(value: float, unit: str) -> str:
    if unit == "min":
        return f"{value / 60:g}m"
    if unit == "s":
        return f"{value:g}s"
    if unit == "%":
        return f"{value * 100:.0f}%"
    return f"{value:g}"


def heat_map(
    cells: dict[tuple[str, int], float | None],
    rows: list[str],
    hours: list[int],
    width: int = 360,
    height: int = 150,
    scale: float = 1.0,
) -> str:
    """Weekday x hour: colour from white (no wait) to red (the longest mean wait); value / ``scale`` in the cell."""
    left, top, bottom = 26, 4, 14
    cw = (width - left - 2) / max(len(hours), 1)
    ch = (height - top - bottom) / max(len(rows), 1)
    vmax = max((v for v in cells.values() if v is not None), default=1.0) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' font-family="sans-serif" font-size="7" role="img">'
    ]
    for r, row in enumerate(rows):
        y = top + r * ch
        parts.append(
            f'<text x="{left - 3}" y="{y + ch / 2 + 3:.1f}" text-anchor="end" fill="{INK}">{escape(row)}</text>'
        )
        for c, hour in enumerate(hours):
            value = cells.get((row, hour))
            x = left + c * cw
            if value is None:
                fill = "#f4f5f7"
            else:
                share = min(value / vmax, 1.0)
                fill = f"rgb(255,{int(245 - 180 * share)},{int(235 - 200 * share)})"
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cw - 1:.1f}" height="{ch - 1:.1f}" fill="{fill}"/>')
            if value is not None and cw >= 12:
                parts.append(
                    f'<text x="{x + cw / 2 - 0.5:.1f}" y="{y + ch / 2 + 2.5:.1f}" text-anchor="middle"'
                    f' fill="{INK}">{value / scale:.0f}</text>'
                )
    for c, hour in enumerate(hours):
        parts.append(
            f'<text x="{left + c * cw + cw / 2:.1f}" y="{height - 3}" text-anchor="middle" fill="{MUTED}">{hour}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def level_bars(items: list[tuple[str, float | None]], goal: float = 0.8, width: int = 360, row_h: int = 16) -> str:
    """Horizontal bars of shares (0..1), e.g. the service level of each service, with a goal mark."""
    left = 70
    height = row_h * max(len(items), 1) + 12
    plot_w = width - left - 36
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' font-family="sans-serif" font-size="8" role="img">'
    ]
    for i, (label, share) in enumerate(items):
        y = 2 + i * row_h
        parts.append(
            f'<text x="{left - 4}" y="{y + row_h / 2 + 3:.1f}" text-anchor="end" fill="{INK}">{escape(label)}</text>'
        )
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{plot_w}" height="{row_h - 5}" fill="#f4f5f7"/>')
        if share is not None:
            colour = BAR if share >= goal else (WARN if share >= goal - 0.1 else BAD)
            parts.append(
                f'<rect x="{left}" y="{y + 2}" width="{plot_w * share:.1f}" height="{row_h - 5}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{left + plot_w + 3}" y="{y + row_h / 2 + 3:.1f}" fill="{INK}">{share * 100:.0f}%</text>'
            )
        else:
            parts.append(f'<text x="{left + plot_w + 3}" y="{y + row_h / 2 + 3:.1f}" fill="{MUTED}">no target</text>')
    x = left + plot_w * goal
    parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height - 10}" stroke="{INK}" stroke-dasharray="2 2"/>')
    parts.append(
        f'<text x="{x:.1f}" y="{height - 2}" text-anchor="middle" fill="{MUTED}">goal {goal * 100:.0f}%</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(points: list[tuple[str, float, float]], width: int = 360, height: int = 120) -> str:
    """(label, mean, max) over the day: the mean as a line, the most seen as a light band."""
    left, bottom, top = 26, 16, 6
    plot_w, plot_h = width - left - 4, height - bottom - top
    vmax = nice_max(max((m for _, _, m in points), default=1.0))
    n = max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / n, top + plot_h - plot_h * v / vmax

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' font-family="sans-serif" font-size="8" role="img">'
    ]
    for i in range(3):
        y = top + plot_h * i / 2
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{left - 3}" y="{y + 3:.1f}" text-anchor="end" fill="{MUTED}">{vmax * (2 - i) / 2:g}</text>'
        )
    band = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, m) for i, (_, _, m) in enumerate(points)))
    base = f"{xy(len(points) - 1, 0)[0]:.1f},{top + plot_h:.1f} {left:.1f},{top + plot_h:.1f}"
    parts.append(f'<polygon points="{band} {base}" fill="#dbe7f3"/>')
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, (_, v, _) in enumerate(points)))
    parts.append(f'<polyline points="{line}" fill="none" stroke="{BAR}" stroke-width="1.5"/>')
    step = max(1, ceil(len(points) / 10))
    for i, (label, _, _) in enumerate(points):
        if i % step == 0:
            x = xy(i, 0)[0]
            parts.append(
                f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
