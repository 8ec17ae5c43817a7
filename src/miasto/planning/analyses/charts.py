"""Small inline SVG charts for the analysis pages, drawn on the server (no chart library).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; the table next to
it on the page carries the same numbers (its accessible equivalent). Colours meet 3:1 against
white and series differ by shape/dash too, not only by colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b5394", "#b45f06", "#38761d", "#741b47")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "diamond", "triangle")
#: sequential palette for choropleths (light → dark), ColorBrewer "Blues" 5
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return (
            f'<rect x="{_num(x - 3.5)}" y="{_num(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
        )
    if kind == "diamond":
        corners = ((x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y))
        pts = " ".join(f"{_num(a)},{_num(b)}" for a, b in corners)
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if kind == "triangle":
        pts = (
            f"{_num(x)},{_num(y - 4.5)} {_num(x + 4.5)},{_num(y + 4)} {_num(x - 4.5)},{_num(y + 4)}"
        )
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" fill="{colour}"/>'


def _svg_open(chart: Chart, width: float, height: float) -> str:
    """The chart's opening tag with its accessible name (title) and description."""
    chart_id, title, description = chart.chart_id, chart.title, chart.description
    return format_html(
        '<svg class="chart" id="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        chart_id, width, height, chart_id, chart_id, chart_id, title, chart_id, description,
    )  # fmt: skip


def nice_ticks(value: float, count: int = 4) -> list[float]:
    """Round axis ticks from 0 to at least ``value``: steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if value <= 0:
        value = 1.0
    raw = value / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    n = math.ceil(value / step - 1e-9)
    return [round(step * i, 10) for i in range(n + 1)]


@dataclass(frozen=True)
class Chart:
    """What a chart shows: its element id, accessible name (title) and description, the
    categories and the series of values (one per category)."""

    chart_id: str
    title: str
    description: str
    labels: Sequence[str]
    series: Sequence[Series]


def line_chart(
    chart: Chart,
    *,
    y_max: float,
    y_format: Callable[[float], str],
    width: int = 720,
    height: int = 300,
) -> SafeString:
    """Lines over categories (dates); ``y_format`` labels the axis (e.g. as percent). The
    categories' labels are slanted, with room for a date written out ("30 września 2026")."""
    labels, series = chart.labels, chart.series
    left, right, top, bottom = 96, 16, 16, 96
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)
    ticks = nice_ticks(y_max)
    top_value = ticks[-1]

    def px(i: int) -> float:
        return left + (i * step if n > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h - (v / top_value) * plot_h

    parts = [_svg_open(chart, width, height)]
    for t in ticks:
        y = py(t)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{_num(y + 4)}" text-anchor="end" font-size="12" '
            f'fill="#333333">{escape(y_format(t))}</text>'
        )
    every = max(1, round(n / 10))
    for i, label in enumerate(labels):
        if i % every and i != n - 1:
            continue
        x = px(i)
        parts.append(
            f'<text x="{_num(x)}" y="{height - bottom + 18}" font-size="12" fill="#333333" '
            f'text-anchor="end" transform="rotate(-40 {_num(x)} {height - bottom + 18})">'
            f"{escape(label)}</text>"
        )
    for k, s in enumerate(series):
        colour, dash, marker = PALETTE[k % 4], DASHES[k % 4], MARKERS[k % 4]
        points = [(px(i), py(v)) for i, v in enumerate(s.values) if v is not None]
        if points:
            path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f"{dash_attr}/>"
            )
            parts.extend(_marker(marker, x, y, colour) for x, y in points)
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#333333"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="#333333"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 — every text escaped above


def bar_chart(
    chart: Chart,
    *,
    value_format: Callable[[float], str],
    width: int = 720,
    row_height: int = 22,
) -> SafeString:
    """Horizontal bars, one group per label and one bar per series (values ≥ 0; a negative
    value is drawn from 0 to the left in the same scale)."""
    labels, series = chart.labels, chart.series
    longest = max((len(label) for label in labels), default=10)
    label_w, right, top = min(max(120, 7 * longest + 16), 340), 90, 8
    group_h = row_height * max(len(series), 1) + 10
    height = top * 2 + group_h * max(len(labels), 1)
    values = [v for s in series for v in s.values if v is not None]
    lo = min([0.0, *values])
    hi = max([0.0, *values]) or 1.0
    span = (hi - lo) or 1.0
    plot_w = width - label_w - right

    def px(v: float) -> float:
        return label_w + (v - lo) / span * plot_w

    parts = [_svg_open(chart, width, height)]
    zero = px(0.0)
    for g, label in enumerate(labels):
        y0 = top + g * group_h
        # a label longer than its column is shortened (the full text in a tooltip; the table
        # beside the chart has it too) instead of running off the chart's left edge
        room = max((label_w - 16) // 7, 4)
        shown = label if len(label) <= room else label[: room - 1].rstrip() + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{_num(y0 + group_h / 2)}" text-anchor="end" '
            f'dominant-baseline="middle" font-size="12" fill="#1d1f21">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>"
        )
        for k, s in enumerate(series):
            v = s.values[g] if g < len(s.values) else None
            if v is None:
                continue
            y = y0 + 5 + k * row_height
            x0, x1 = sorted((zero, px(v)))
            colour = PALETTE[k % 4]
            pattern = "" if k == 0 else f' stroke="#1d1f21" stroke-dasharray="{DASHES[k % 4]}"'
            parts.append(
                f'<rect x="{_num(x0)}" y="{_num(y)}" width="{_num(max(x1 - x0, 1))}" '
                f'height="{row_height - 6}" fill="{colour}"{pattern}/>'
                f'<text x="{_num(x1 + 4)}" y="{_num(y + (row_height - 6) / 2)}" '
                f'dominant-baseline="middle" font-size="11" fill="#1d1f21">'
                f"{escape(value_format(v))}</text>"
            )
    parts.append(
        f'<line x1="{_num(zero)}" x2="{_num(zero)}" y1="{top}" y2="{height - top}" '
        f'stroke="#333333"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 — every text escaped above


def classes(values: Sequence[float | None], count: int = 5) -> list[tuple[float, float]]:
    """Equal-interval class breaks over the values (for a choropleth)."""
    present = [v for v in values if v is not None]
    if not present:
        return []
    lo, hi = min(present), max(present)
    if hi == lo:
        return [(lo, hi)]
    step = (hi - lo) / count
    return [(lo + i * step, lo + (i + 1) * step) for i in range(count)]


def class_colour(value: float | None, breaks: list[tuple[float, float]]) -> str | None:
    if value is None or not breaks:
        return None
    colours = SEQUENTIAL[-len(breaks) :] if len(breaks) < len(SEQUENTIAL) else SEQUENTIAL
    for i, (_lo, hi) in enumerate(breaks):
        if value <= hi + 1e-12:
            return colours[i]
    return colours[-1]
