"""Charts drawn on the server as SVG, one look for every app.

Two kinds. Full charts are drawn by pygal and served as an <img> of their own (the house style: fonts that
hold Japanese, colours, sizes; the room Japanese labels need, since pygal sizes labels for Latin glyphs and a
CJK glyph is about twice as wide; the fixed percent axis; the response that carries a chart).

Small charts beside a table's numbers (bars, stacked columns, a heat strip, a sparkline, an interval plot) are
drawn here as inline SVG from the figures the page already has: no second request and no query, a few hundred
bytes each, and no <style> or style attribute (the page's CSP allows neither; pygal's SVG needs both). Each is
an image to assistive technology (role="img", an aria-label and a <title>); the table beside it stays the text
alternative. It scales down to the width it is given (viewBox; `.chart` in app.css), so it fits a phone.
"""

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pygal
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

FONT_FAMILY = 'system-ui, -apple-system, "Hiragino Sans", "Noto Sans JP", "IPAGothic", sans-serif'
GREEN, ORANGE, BROWN, GREY, BLUE, RED = "#1f7a4d", "#e4572e", "#8a4b0f", "#8a94a3", "#1d4e89", "#b3261e"
LABEL_LENGTH = 16  # characters of a bar's label before pygal truncates it
SVG_CONTENT_TYPE = "image/svg+xml; charset=utf-8"

# pygal styles its SVG with a <style> element and a few style attributes; as an <img> the SVG runs no script
# and cannot reach the page, so a chart's response may carry inline styles (pass this to csp_replace).
SVG_CSP = {"style-src": ["'unsafe-inline'"], "script-src": ["'none'"], "img-src": ["'none'"]}


def chart_style(
    *,
    colors: tuple[str, ...],
    label_size: int = 16,
    value_size: int = 16,
    legend_size: int = 14,
    title_size: int = 18,
) -> Any:
    """Return the house style of a chart with these series colours and font sizes."""
    return pygal.style.Style(
        font_family=FONT_FAMILY,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1b2430",
        foreground_strong="#1b2430",
        foreground_subtle="#5b6675",
        colors=colors,
        opacity=".9",
        label_font_size=label_size,
        major_label_font_size=label_size,
        value_font_size=value_size,
        legend_font_size=legend_size,
        title_font_size=title_size,
        no_data_font_size=title_size,
    )


def wide_glyphs(text: str, *, length: int = LABEL_LENGTH) -> int:
    """Return how many of the label's first characters are wide (CJK) glyphs."""
    return sum(1 for char in text[:length] if unicodedata.east_asian_width(char) in "WF")


def label_margin(labels: Iterable[str], *, label_size: int = 16) -> float:
    """Return the left margin that fits the widest label: the room pygal leaves for Latin glyphs is not enough
    for Japanese names, so add about half a font size for each wide glyph."""
    return 10 + max((wide_glyphs(label) for label in labels), default=0) * label_size * 0.45


def percent_axis(rows: int) -> dict[str, Any]:
    """Return the options of a fixed 0–100 % value axis; none on a chart without data, where pygal cannot place
    fixed axis labels."""
    return {"range": (0, 100), "y_labels": [0, 25, 50, 75, 100]} if rows else {}


def svg_response(svg: str) -> HttpResponse:
    """Return a chart as an SVG response."""
    return HttpResponse(svg, content_type=SVG_CONTENT_TYPE)


# --- Small inline charts ------------------------------------------------------------------------------------

INK, INK_SUBTLE, RULE = "#1b2430", "#5b6675", "#dfe4ea"
FONT_SIZE = 12
WIDTH = 360  # the viewBox width of a full-width small chart: a phone's content width, so 12 units read as ~12 px


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: its label and value (None: nothing to draw), and the text shown at its end."""

    label: str
    value: float | None
    text: str = ""


@dataclass(frozen=True)
class Series:
    """One stacked series of a column chart, with a value per column."""

    name: str
    values: Sequence[float]
    color: str


@dataclass(frozen=True)
class Interval:
    """One estimate of an interval plot: the point and its interval (None when nothing is known)."""

    label: str
    value: float | None
    low: float | None
    high: float | None
    text: str = ""


def text_width(text: str, *, size: float = FONT_SIZE) -> float:
    """Return about how wide a text is drawn: a wide (CJK) glyph takes a font size, any other about 0.6."""
    return sum(size if unicodedata.east_asian_width(char) in "WF" else size * 0.6 for char in text)


def fit_text(text: str, width: float, *, size: float = FONT_SIZE) -> str:
    """Return the text cut (with …) to fit a width."""
    if text_width(text, size=size) <= width:
        return text
    while text and text_width(text + "…", size=size) > width:
        text = text[:-1]
    return text + "…"


def scale(value: float, *, domain: tuple[float, float], start: float, length: float) -> float:
    """Return where a value falls on an axis from `start` of `length` units showing `domain` (clamped to it)."""
    low, high = domain
    value = min(max(value, low), high)
    return round(start + (value - low) / (high - low) * length, 2) if high > low else start


def nice_ceiling(value: float) -> float:
    """Return a round number at or above the value (1, 2, 2.5, 5 or 10 times a power of ten) for an axis end."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _number(value: float) -> str:
    return f"{value:g}"


def _svg(*, title: str, width: float, height: float, body: SafeString, css: str = "chart") -> SafeString:
    return format_html(
        '<svg class="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-label="{}" font-family="{}" font-size="{}" fill="{}"><title>{}</title>{}</svg>',
        css,
        _number(width),
        _number(height),
        _number(width),
        _number(height),
        title,
        FONT_FAMILY,
        FONT_SIZE,
        INK,
        title,
        body,
    )


def _join(parts: Iterable[SafeString]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html


def _axis_labels(
    ticks: Iterable[float],
    *,
    domain: tuple[float, float],
    x0: float,
    length: float,
    y: float,
    fmt: Callable[[float], str],
) -> SafeString:
    """Label ticks along the top; the ends are anchored inwards so their text stays inside the chart."""

    def anchor(tick: float) -> str:
        return "start" if tick == domain[0] else "end" if tick == domain[1] else "middle"

    return _join(
        format_html(
            '<text x="{}" y="{}" text-anchor="{}" font-size="10" fill="{}">{}</text>',
            scale(t, domain=domain, start=x0, length=length),
            y,
            anchor(t),
            INK_SUBTLE,
            fmt(t),
        )
        for t in ticks
    )


def bar_chart(
    *,
    title: str,
    bars: Sequence[Bar],
    domain: tuple[float, float] = (0, 100),
    marks: Sequence[tuple[float, str]] = (),
    color: str = GREEN,
    negative_color: str = ORANGE,
    fmt: Callable[[float], str] = _number,
) -> SafeString:
    """Return horizontal bars, one per row, from zero (or the domain's low end) to the value, with dashed marks
    (e.g. a threshold) and the axis ends labelled on top."""
    row, top, value_room = 22, 18, 48
    label_room = min(WIDTH * 0.4, max((text_width(b.label) for b in bars), default=0) + 8)
    x0, length = label_room, WIDTH - label_room - value_room
    base = scale(0, domain=domain, start=x0, length=length)
    height = top + row * len(bars) + 4
    parts = [
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', base, top - 4, base, height - 2, INK_SUBTLE)
    ]
    for value, label in marks:
        x = scale(value, domain=domain, start=x0, length=length)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="4 3"><title>{}</title></line>',
                x,
                top - 4,
                x,
                height - 2,
                GREY,
                label,
            )
        )
    ticks = sorted({domain[0], domain[1], *([0.0] if domain[0] < 0 < domain[1] else [])})
    parts.append(_axis_labels(ticks, domain=domain, x0=x0, length=length, y=11, fmt=fmt))
    for i, bar in enumerate(bars):
        y = top + i * row
        label = format_html(
            '<text x="{}" y="{}" text-anchor="end">{}</text>', x0 - 6, y + 15, fit_text(bar.label, label_room - 8)
        )
        if bar.value is None:
            parts.append(label)
            parts.append(format_html('<text x="{}" y="{}" fill="{}">–</text>', base + 4, y + 15, INK_SUBTLE))
            continue
        end = scale(bar.value, domain=domain, start=x0, length=length)
        parts.append(
            format_html(
                '<g><title>{}: {}</title>{}<rect x="{}" y="{}" width="{}" height="14" fill="{}"/>'
                '<text x="{}" y="{}">{}</text></g>',
                bar.label,
                bar.text or fmt(bar.value),
                label,
                min(base, end),
                y + 4,
                round(abs(end - base), 2),
                color if bar.value >= 0 else negative_color,
                max(base, end) + 4,
                y + 15,
                bar.text or fmt(bar.value),
            )
        )
    return _svg(title=title, width=WIDTH, height=height, body=_join(parts))


def column_chart(*, title: str, labels: Sequence[str], series: Sequence[Series], label_every: int = 1) -> SafeString:
    """Return stacked columns, one per label (a month, a day), the series stacked in order from the bottom, with
    the top of the axis labelled and a legend when there is more than one series."""
    top, plot_h, axis_room, left = 12, 120, 18, 28
    legend_h = 20 if len(series) > 1 else 0
    height = top + plot_h + axis_room + legend_h
    length = WIDTH - left - 4
    step = length / max(len(labels), 1)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = nice_ceiling(max(totals, default=0))
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            left,
            top + plot_h,
            WIDTH - 4,
            top + plot_h,
            INK_SUBTLE,
        ),
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', left, top, WIDTH - 4, top, RULE),
        format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="10" fill="{}">{}</text>',
            left - 4,
            top + 4,
            INK_SUBTLE,
            _number(peak),
        ),
        format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="10" fill="{}">0</text>',
            left - 4,
            top + plot_h,
            INK_SUBTLE,
        ),
    ]
    for i, label in enumerate(labels):
        x = round(left + i * step + step * 0.15, 2)
        width = round(step * 0.7, 2)
        stacked = 0.0
        rects = []
        for s in series:
            value = s.values[i]
            if value > 0:
                h = round(value / peak * plot_h, 2)
                y = round(top + plot_h - stacked - h, 2)
                rects.append(
                    format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', x, y, width, h, s.color)
                )
                stacked += h
        tip = ", ".join(f"{s.name} {_number(s.values[i])}" for s in series)
        parts.append(format_html("<g><title>{}: {}</title>{}</g>", label, tip, _join(rects)))
        if i % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{}">{}</text>',
                    round(x + width / 2, 2),
                    top + plot_h + 13,
                    INK_SUBTLE,
                    label,
                )
            )
    if legend_h:
        x = float(left)
        for s in series:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}">{}</text>',
                    x,
                    height - 14,
                    s.color,
                    x + 14,
                    height - 5,
                    s.name,
                )
            )
            x += 14 + text_width(s.name) + 14
    return _svg(title=title, width=WIDTH, height=height, body=_join(parts))


def heat_strip(
    *, title: str, values: Sequence[float], labels: Sequence[str], high: float | None = None, color: str = GREEN
) -> SafeString:
    """Return a strip of cells, one per value (a day), shaded from pale (little) to full colour (`high` or more);
    an empty cell for zero. Sized for a table cell."""
    cell, gap, height = 6, 1, 16
    top = high if high else max(values, default=0) or 1
    parts = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        opacity = 0 if value <= 0 else round(0.2 + 0.8 * min(value / top, 1), 2)
        parts.append(
            format_html(
                '<rect x="{}" y="1" width="{}" height="{}" fill="{}" fill-opacity="{}" stroke="{}" '
                'stroke-width="0.5"><title>{}: {}</title></rect>',
                i * (cell + gap),
                cell,
                height - 2,
                color,
                opacity,
                RULE,
                label,
                _number(value),
            )
        )
    width = max(len(values) * (cell + gap) - gap, 1)
    return _svg(title=title, width=width, height=height, body=_join(parts), css="chart chart-inline")


def sparkline(*, title: str, values: Sequence[float | None], color: str = BLUE) -> SafeString:
    """Return a small line of the values over time (oldest first), broken where a value is missing (None), its
    last known point marked. Sized for a table cell."""
    width, height, pad = 64, 18, 2
    peak = max((v for v in values if v is not None), default=0) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((round(pad + i * step, 2), round(height - pad - v / peak * (height - 2 * pad), 2)))
    runs = [run for run in runs if run]
    if not runs:
        return _svg(title=title, width=width, height=height, body=mark_safe(""), css="chart chart-inline")  # noqa: S308
    lines = _join(
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5"/>',
            " ".join(f"{x},{y}" for x, y in run),
            color,
        )
        for run in runs
    )
    last_x, last_y = runs[-1][-1]
    body = format_html('{}<circle cx="{}" cy="{}" r="2" fill="{}"/>', lines, last_x, last_y, color)
    return _svg(title=title, width=width, height=height, body=body, css="chart chart-inline")


def bullet(
    *, title: str, value: float, target: float | None, high: float, color: str = GREEN, width: float = 96
) -> SafeString:
    """Return one value as a bar on a scale from 0 to `high` with a tick at its target (a minimum to reach), so a
    column of them compares rows at a glance. Sized for a table cell."""
    height = 14
    domain = (0.0, max(high, value, target or 0, 1))
    end = scale(value, domain=domain, start=0, length=width)
    parts = [
        format_html('<rect x="0" y="3" width="{}" height="8" fill="{}" fill-opacity="0.25"/>', _number(width), GREY),
        format_html('<rect x="0" y="3" width="{}" height="8" fill="{}"/>', end, color),
    ]
    if target is not None:
        x = scale(target, domain=domain, start=0, length=width)
        parts.append(
            format_html('<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>', x, x, height, INK)
        )
    return _svg(title=title, width=width, height=height, body=_join(parts), css="chart chart-inline")


def interval_domain(intervals: Iterable[Interval], *, zero: float = 0.0) -> tuple[float, float]:
    """Return an axis that holds zero and every interval, symmetric about zero and ending on a round number."""
    reach = max((abs(v - zero) for i in intervals for v in (i.low, i.high) if v is not None), default=0)
    end = nice_ceiling(reach * 1.05)
    return zero - end, zero + end


def interval_plot(
    *,
    title: str,
    intervals: Sequence[Interval],
    domain: tuple[float, float] | None = None,
    zero: float = 0.0,
    fmt: Callable[[float], str] = _number,
) -> SafeString:
    """Return a forest plot: one row per estimate, its label above a line from the low to the high end with a dot
    at the estimate, against a solid line at zero (no difference). Green when the whole interval is above zero,
    red when below, grey when it holds zero."""
    domain = domain or interval_domain(intervals, zero=zero)
    row, top, pad = 38, 18, 12
    x0, length = pad, WIDTH - 2 * pad
    height = top + row * len(intervals) + 4
    base = scale(zero, domain=domain, start=x0, length=length)
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5"/>',
            base,
            top - 4,
            base,
            height - 2,
            INK,
        ),
        _axis_labels((domain[0], zero, domain[1]), domain=domain, x0=x0, length=length, y=11, fmt=fmt),
    ]
    for i, item in enumerate(intervals):
        y = top + i * row
        # A label written across the zero line keeps a halo of the background so both stay legible.
        label = format_html(
            '<text x="{}" y="{}" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">{}'
            "</text>",
            x0,
            y + 12,
            fit_text(item.label, length),
        )
        if item.value is None or item.low is None or item.high is None:
            parts.append(label)
            parts.append(format_html('<text x="{}" y="{}" fill="{}">–</text>', base + 4, y + 29, INK_SUBTLE))
            continue
        color = GREEN if item.low > zero else RED if item.high < zero else GREY
        low, high = (scale(v, domain=domain, start=x0, length=length) for v in (item.low, item.high))
        mid = scale(item.value, domain=domain, start=x0, length=length)
        cy = y + 25
        parts.append(
            format_html(
                '<g><title>{}: {}</title>{}<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"/>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>'
                '<circle cx="{}" cy="{}" r="5" fill="{}"/></g>',
                item.label,
                item.text or f"{fmt(item.value)} ({fmt(item.low)} – {fmt(item.high)})",
                label,
                low,
                cy,
                high,
                cy,
                color,
                low,
                cy - 5,
                low,
                cy + 5,
                color,
                high,
                cy - 5,
                high,
                cy + 5,
                color,
                mid,
                cy,
                color,
            )
        )
    return _svg(title=title, width=WIDTH, height=height, body=_join(parts))
