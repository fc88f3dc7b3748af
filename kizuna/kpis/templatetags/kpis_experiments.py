"""Filters of the experiment pages: signed points, shares and the names of arms, waves and metrics."""

from django import template

from kizuna.kpis.charts import group_label

register = template.Library()


@register.filter
def signed(value: float | None) -> str:
    """A change in points with its sign and one decimal: +4.2, −1.0."""
    if value is None:
        return "–"
    return f"{value:+.1f}".replace("-", "−")


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}"


@register.filter
def group_name(group: str) -> str:
    return group_label(group)


@register.filter
def metric_name(metric: str) -> str:
    from kizuna.kpis.forms import ExperimentPlanForm

    return str(dict(ExperimentPlanForm.METRICS).get(metric, metric))


@register.filter
def metric_unit(metric: str) -> str:
    """Points for a rate, per rep a month for a count."""
    from kizuna.kpis.forms import metric_unit as unit

    return unit(metric)
