"""Template helpers of the dashboards.

The reps × courses matrix of a 500-rep partner has thousands of cells. Rendered
node by node by the template engine it cost most of the page's time budget, so
its body is built here in one pass: every label is translated once, every cell
picks one of a few prepared fragments, and only names and dates are escaped.
"""

from datetime import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.analytics.selectors import ProgressMatrix, ProgressRow, ProgressStatus

register = template.Library()


@register.filter
def since(value: datetime | None) -> str:
    """Say how long ago, in days: today, yesterday, n days ago, then the date."""
    if value is None:
        return ""
    days = (timezone.localdate() - timezone.localtime(value).date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    if days <= 30:
        return ngettext("%(n)s day ago", "%(n)s days ago", days) % {"n": days}
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


@register.simple_tag
def when(value: datetime | None) -> SafeString:
    """A <time> element saying how long ago, with the exact date and time on hover."""
    if value is None:
        return mark_safe("")  # noqa: S308
    local = timezone.localtime(value)
    return mark_safe(  # noqa: S308 - only formatted dates, escaped
        f'<time datetime="{local.isoformat(timespec="minutes")}" title="{escape(date_format(local, "SHORT_DATETIME_FORMAT"))}">'
        f"{escape(since(value))}</time>"
    )


def _cell(row: ProgressRow | None, overdue_label: str) -> str:
    # Classes, not titles, keep each of the thousands of cells short; the legend above the table explains them.
    if row is None:
        return '<td class="na">·</td>'
    css = "" if row.required else ' class="opt"'
    if row.status == ProgressStatus.COMPLETED:
        return '<td class="ok">✓</td>' if row.required else '<td class="ok opt">✓</td>'
    if row.status == ProgressStatus.OVERDUE:
        return f'<td class="od">{overdue_label} {row.percent}%</td>'
    return f"<td{css}>{row.percent}%</td>"


@register.simple_tag
def matrix_rows(matrix: ProgressMatrix) -> SafeString:
    """Render the <tr> of every rep: the card on a phone, the line of the table from 700px."""
    labels = {
        key: escape(text)
        for key, text in {
            "finished": _("Finished"),
            "overdue": _("Overdue"),
            "last_activity": _("Last activity"),
            "learning_time": _("Learning time"),
            "not_yet": _("Not yet"),
        }.items()
    }
    detail_url = reverse("analytics:rep_detail", args=[0]).replace("/0/", "/{}/")
    out = []
    for rep in matrix.reps:
        team = f'<span class="meta sub">{escape(rep.team_name)}</span>' if rep.team_name else ""
        if rep.overdue:
            count = ngettext("%(n)s overdue", "%(n)s overdue", rep.overdue) % {"n": rep.overdue}
            overdue = f'<td class="num"><span class="badge overdue">{escape(count)}</span></td>'
        else:
            overdue = '<td class="num zero">–</td>'
        minutes = ngettext("%(minutes)s min", "%(minutes)s min", rep.time_spent_minutes) % {
            "minutes": rep.time_spent_minutes
        }
        out.append(
            "<tr>"
            f'<th scope="row" class="lead"><a class="rowlink" href="{detail_url.format(rep.rep_id)}">'
            f"{escape(rep.name)}</a>{team}</th>"
            f'<td class="num"><span class="m-label">{labels["finished"]}</span> {rep.completed}/{rep.assigned}</td>'
            f"{overdue}"
            f'<td><span class="m-label">{labels["last_activity"]}</span> '
            f"{when(rep.last_activity_at) or labels['not_yet']}</td>"
            f'<td class="num"><span class="m-label">{labels["learning_time"]}</span> {escape(minutes)}</td>'
            + "".join(_cell(cell, labels["overdue"]) for cell in rep.cells)
            + "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every dynamic piece above is escaped
