"""Monthly trend charts of the KPI board, drawn on the server as SVG by pygal, with the target as a dashed line."""

from datetime import date

import pygal
from django.utils.translation import gettext as _

from kizuna.ops.charts import chart_style

CHART_SIZE = (560, 300)

STYLE = chart_style(colors=("#1d4e89", "#c0392b"), label_size=13, title_size=16)


def month_label(month: date) -> str:
    """A short label that fits under a phone-wide chart: 2026/11."""
    return f"{month.year}/{month.month:02d}"


def trend_chart(*, title: str, months: list[date], values: list[float | None], target: float | None, unit: str) -> str:
    """Draw a monthly line with the target level as a dashed line (SVG text)."""
    width, height = CHART_SIZE
    chart = pygal.Line(
        style=STYLE,
        js=[],
        width=width,
        height=height,
        show_dots=True,
        dots_size=3,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=3,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        allow_interruptions=True,
        value_formatter=lambda v: f"{v:.1f}{unit}",
        no_data_text=_("No figures yet"),
        include_x_axis=False,
        truncate_label=-1,
    )
    chart.title = title
    chart.x_labels = [month_label(m) for m in months]
    if any(v is not None for v in values):
        chart.add(_("Actual"), [None if v is None else round(v, 1) for v in values])
        if target is not None:
            chart.add(
                _("Target"),
                [round(target, 1)] * len(months),
                show_dots=False,
                stroke_style={"dasharray": "6,4", "width": 2},
            )
    return chart.render(is_unicode=True)
