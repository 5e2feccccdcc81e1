"""Small server-rendered SVG charts for the trends page (no JavaScript, nothing fetched from elsewhere).

Pure functions: numbers in, SVG markup out. Every label is escaped; every chart has a
``<title>`` and the page shows the same numbers in a table for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

#: Colours that stay distinguishable for most colour-blind readers (Okabe-Ito, then greys).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
    "#6b4c9a",
    "#8c564b",
    "#bbbbbb",
)

WIDTH = 720
HEIGHT = 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 10, 12, 34


@dataclass(frozen=True, slots=True)
class Series:
    """One coloured part of a chart: a name and a value per day."""

    name: str
    values: tuple[float, ...]
    colour: str


def colour_series(named: Sequence[tuple[str, Sequence[float]]]) -> list[Series]:
    """Gives each named series the next colour of :data:`PALETTE`."""
    return [Series(name, tuple(values), PALETTE[i % len(PALETTE)]) for i, (name, values) in enumerate(named)]


TICKS = 4
"""Grid lines above zero on the y axis."""


def _nice_top(value: float) -> float:
    """The top of a count axis: four whole, round steps (1, 2, 3, 5, 10, 20, ...) reaching ``value``."""
    needed = max(value, 1) / TICKS
    magnitude = 1.0
    while True:
        for factor in (1, 2, 3, 5):
            if magnitude * factor >= needed:
                return magnitude * factor * TICKS
        magnitude *= 10


def _day_label(day: date, count: int) -> str:
    return day.strftime("%d %b") if count <= 16 else day.strftime("%d")


def _frame(title: str, top: float, *, percent: bool) -> list[str]:
    inner_h = HEIGHT - _TOP - _BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(TICKS + 1):
        value = top * i / TICKS
        y = _TOP + inner_h - inner_h * i / TICKS
        label = f"{value:.0%}" if percent else f"{value:.0f}"
        parts.append(f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e6ea"/>')
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#5b6676">{label}</text>'
        )
    return parts


def _x_labels(days: Sequence[date], slot: float) -> list[str]:
    every = max(1, len(days) // 12)
    return [
        f'<text x="{_LEFT + slot * (i + 0.5):.1f}" y="{HEIGHT - _BOTTOM + 16}" text-anchor="middle" font-size="11" '
        f'fill="#5b6676">{escape(_day_label(day, len(days)))}</text>'
        for i, day in enumerate(days)
        if i % every == 0
    ]


def stacked_bars(days: Sequence[date], series: Sequence[Series], *, title: str) -> Markup:
    """Bars per day, each split by series (e.g. checks by scam type)."""
    totals = [sum(s.values[i] for s in series) for i in range(len(days))]
    top = _nice_top(max(totals, default=0))
    inner_w, inner_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    slot = inner_w / max(1, len(days))
    bar = max(2.0, slot * 0.7)
    parts = _frame(title, top, percent=False)
    for i, day in enumerate(days):
        y = _TOP + inner_h
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = inner_h * value / top
            y -= h
            x = _LEFT + slot * i + (slot - bar) / 2
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{s.colour}">'
                f"<title>{escape(day.isoformat())} · {escape(s.name)}: {value:g}</title></rect>"
            )
    parts += _x_labels(days, slot)
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(days: Sequence[date], series: Sequence[Series], *, title: str, percent: bool = True) -> Markup:
    """One line per series (e.g. the fallback rate per language); a missing day is a gap."""
    top = 1.0 if percent else _nice_top(max((v for s in series for v in s.values), default=0))
    inner_w, inner_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    slot = inner_w / max(1, len(days))
    parts = _frame(title, top, percent=percent)
    for s in series:
        points = [
            (_LEFT + slot * (i + 0.5), _TOP + inner_h - inner_h * min(v, top) / top)
            for i, v in enumerate(s.values)
            if v >= 0
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2"/>')
        for (x, y), v in zip(points, (v for v in s.values if v >= 0), strict=True):
            shown = f"{v:.0%}" if percent else f"{v:g}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.colour}"><title>{escape(s.name)}: {shown}</title>'
                "</circle>"
            )
    parts += _x_labels(days, slot)
    parts.append("</svg>")
    return Markup("".join(parts))
