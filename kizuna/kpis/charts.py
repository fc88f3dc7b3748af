"""Charts of the KPI pages: the board's monthly trends (pygal, with the target as a dashed line); inline, from the
figures the page has: a rep's monthly rates as sparklines, and the intervals of "did learning move sales?"
against the zero line."""

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pygal
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.ops import charts
from kizuna.ops.charts import chart_style

if TYPE_CHECKING:
    from .effect import Reading
    from .selectors import RepMonth

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


def _signed(value: float) -> str:
    return "0" if value == 0 else f"{value:+g}"


def effect_charts(readings: Sequence["Reading"]) -> list[str]:
    """Draw the readings' 95% intervals against zero: the differences in points on one axis, the correlations on
    another from -1 to 1 (an interval that crosses the line cannot tell a rise from a fall)."""
    points = [r for r in readings if r.unit != "r"]
    correlations = [r for r in readings if r.unit == "r"]
    drawn = []
    # With too few reps nothing is known: the cards say why, and an axis of dashes would say nothing.
    if any(r.estimate.known for r in points):
        drawn.append(
            charts.interval_plot(
                title=_("Differences in percentage points, with %(level)s%% intervals") % {"level": 95},
                intervals=[_interval(r, digits=1) for r in points],
                fmt=_signed,
            )
        )
    if any(r.estimate.known for r in correlations):
        drawn.append(
            charts.interval_plot(
                title=_("Correlations (r), with %(level)s%% intervals") % {"level": 95},
                intervals=[_interval(r, digits=2) for r in correlations],
                domain=(-1, 1),
                fmt=_signed,
            )
        )
    return drawn


def _interval(reading: "Reading", *, digits: int) -> charts.Interval:
    e = reading.estimate
    text = f"{e.value:+.{digits}f} ({e.low:+.{digits}f} – {e.high:+.{digits}f})" if e.known else "–"  # type: ignore[operator]
    return charts.Interval(reading.title, e.value, e.low, e.high, text=text)


def rep_sparklines(months: Sequence["RepMonth"]) -> list[tuple[str, str, float | None, str]]:
    """A rep's rates month by month (oldest first) as sparklines: [(label, svg, latest value, unit)]."""
    oldest_first = list(reversed(months))
    rows = []
    for label, name, unit in (
        (_("Appointment rate"), "appointment_rate", "%"),
        (_("Close rate"), "close_rate", "%"),
        (_("Quiz score"), "average_score", ""),
        (_("Top-rep alignment"), "alignment", "%"),
    ):
        values = [getattr(m.figures, name) for m in oldest_first]
        title = _("%(figure)s by month") % {"figure": label}
        rows.append((label, charts.sparkline(title=title, values=values), values[-1] if values else None, unit))
    return rows


def group_label(group: str) -> str:
    """An arm or wave as the pages name it."""
    if group == "treatment":
        return _("Given it now")
    if group == "control":
        return _("Held out")
    return _("Wave %(n)s") % {"n": group}


def experiment_charts(result: object, *, metric_words: str, unit: str) -> list[str]:
    """The result's chart: the effect with its 95% interval overall, per agency and by instrumental variables
    (a forest plot against zero)."""
    rows = [charts.Interval(_("All agencies (pre-registered)"), *_triple(result.primary))]  # type: ignore[attr-defined]
    rows += [charts.Interval(a.name, *_triple(a.estimate)) for a in result.per_agency]  # type: ignore[attr-defined]
    if result.iv is not None:  # type: ignore[attr-defined]
        rows.append(charts.Interval(_("Effect of finishing it (IV)"), *_triple(result.iv)))  # type: ignore[attr-defined]
    return [
        charts.interval_plot(
            title=_("Change in the %(metric)s (%(unit)s), with 95%% intervals")
            % {"metric": metric_words, "unit": unit},
            intervals=rows,
            fmt=_signed,
        )
    ]


def experiment_group_rows(result: object, *, metric_words: str) -> list[tuple[str, str, list]]:
    """The monthly metric of each arm or wave: [(label, sparkline, values oldest first)]."""
    rows = []
    for group, values in result.by_group.items():  # type: ignore[attr-defined]
        label = group_label(group)
        title = _("%(group)s: %(metric)s by month") % {"group": label, "metric": metric_words}
        rows.append((label, charts.sparkline(title=title, values=values), values))
    return rows


def staggered_chart(staggered: object, *, metric_words: str) -> str:
    """The event study of a staggered rollout: the effect by months since training (before training: the pre-trend
    check, which should hold zero) with 95% intervals."""
    rows = []
    for event in staggered.events:  # type: ignore[attr-defined]
        n = abs(event.months_since)
        if event.months_since < 0:
            label = ngettext("%(n)s month before training", "%(n)s months before training", n) % {"n": n}
        elif n == 0:
            label = _("the month of training")
        else:
            label = ngettext("%(n)s month after training", "%(n)s months after training", n) % {"n": n}
        rows.append(charts.Interval(label, round(event.effect, 2), round(event.low, 2), round(event.high, 2)))
    return charts.interval_plot(
        title=_("Change in the %(metric)s by months since training (difference in differences), 95%% intervals")
        % {"metric": metric_words},
        intervals=rows,
        fmt=_signed,
    )


def _triple(estimate: object) -> tuple[float | None, float | None, float | None]:
    if estimate is None:
        return None, None, None
    return round(estimate.effect, 2), round(estimate.low, 2), round(estimate.high, 2)  # type: ignore[attr-defined]
