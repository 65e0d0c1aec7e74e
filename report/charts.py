"""Charts as inline SVG, drawn here so the report needs no script, no library and no network."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 640, 220
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 16, 16, 40
# by series name; any other series (the force itself) is drawn as a solid line
SERIES_STYLES = {
    "England and Wales": {"stroke": "#555555", "dash": "6 4", "width": 1.5},
    "Most similar group": {"stroke": "#c26a00", "dash": "2 3", "width": 1.5},
}
MAIN_STYLE = {"stroke": "#1f5fa8", "dash": "", "width": 2.5}


def format_value(value: float | None, unit: str) -> str:
    """A value as people read it: counts whole, rates and proportions to one or two decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no value"
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit == "rate_per_1000":
        return f"{value:,.2f} per 1,000"
    if unit == "seconds":
        return f"{value:,.1f} s"
    if unit == "days":
        return f"{value:,.1f} days"
    if unit == "fte":
        return f"{value:,.1f} FTE"
    return f"{value:,.0f}"


def _nice_range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    low = min(low, 0.0) if low >= 0 else low
    if high == low:
        high = low + 1.0
    return low, high + (high - low) * 0.05


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], unit: str,
               title: str) -> str:
    """Lines over periods (a gap where a value is missing), one style per series, with a legend."""
    present = [v for _, values in series for v in values if v is not None]
    if not present or not labels:
        return f'<p class="nochart">No values to chart for {escape(title)}.</p>'
    low, high = _nice_range(present)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return MARGIN_LEFT + (i * step if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return MARGIN_TOP + plot_h - (v - low) / (high - low) * plot_h

    parts = [f'<svg class="chart line" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     'stroke="#e3e3e3"/>')
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" class="tick">'
                     f'{escape(format_value(tick, unit))}</text>')
    shown = sorted({0, len(labels) - 1, (len(labels) - 1) // 2})
    for i in shown:
        anchor = "start" if i == 0 and len(labels) > 1 else "end" if i == len(labels) - 1 and i else "middle"
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - MARGIN_BOTTOM + 18}" text-anchor="{anchor}" class="tick">'
                     f'{escape(labels[i])}</text>')
    for number, (name, values) in enumerate(series):
        style = SERIES_STYLES.get(name, MAIN_STYLE)
        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(v):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline class="series-{number}" fill="none" stroke="{style["stroke"]}" '
                             f'stroke-width="{style["width"]}" stroke-dasharray="{style["dash"]}" '
                             f'points="{" ".join(run)}"/>')
            elif run:
                cx, cy = run[0].split(",")
                parts.append(f'<circle class="series-{number}" cx="{cx}" cy="{cy}" r="3" fill="{style["stroke"]}"/>')
        legend_x = MARGIN_LEFT + number * 200
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 24}" y1="{HEIGHT - 8}" y2="{HEIGHT - 8}" '
                     f'stroke="{style["stroke"]}" stroke-width="{style["width"]}" '
                     f'stroke-dasharray="{style["dash"]}"/>')
        parts.append(f'<text x="{legend_x + 30}" y="{HEIGHT - 4}" class="legend">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(rows: Sequence[tuple[str, float, bool]], unit: str, title: str) -> str:
    """Horizontal bars, one per (label, value, highlighted), in the order given."""
    if not rows:
        return f'<p class="nochart">No values to chart for {escape(title)}.</p>'
    bar_h, gap, label_w, value_w = 14, 4, 190, 110
    height = MARGIN_TOP + len(rows) * (bar_h + gap) + 8
    plot_w = WIDTH - label_w - value_w
    top = max(max(v for _, v, _ in rows), 0.0) or 1.0
    parts = [f'<svg class="chart bars" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
             f'height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, value, highlighted) in enumerate(rows):
        top_y = MARGIN_TOP + i * (bar_h + gap)
        width = max(value, 0.0) / top * plot_w
        fill = "#c26a00" if highlighted else "#1f5fa8"
        parts.append(f'<text x="{label_w - 6}" y="{top_y + bar_h - 3}" text-anchor="end" class="tick">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{top_y}" width="{width:.1f}" height="{bar_h}" fill="{fill}"/>')
        parts.append(f'<text x="{label_w + width + 4:.1f}" y="{top_y + bar_h - 3}" class="tick">'
                     f'{escape(format_value(value, unit))}</text>')
    parts.append("</svg>")
    return "".join(parts)
