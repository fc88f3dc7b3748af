"""Charts drawn on the server as SVG by pygal, one look for every app.

The house style (fonts that hold Japanese, colours, sizes), the room that Japanese labels need (pygal
sizes labels for Latin glyphs, and a CJK glyph is about twice as wide), the fixed percent axis, and the
response that carries a chart as an <img>.
"""

import unicodedata
from collections.abc import Iterable
from typing import Any

import pygal
from django.http import HttpResponse

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
