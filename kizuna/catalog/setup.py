"""The required courses' step in a new agency's setup checklist (registered with orgs.readiness)."""

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.orgs.readiness import SetupStep

from .models import Assignment

if TYPE_CHECKING:
    from kizuna.orgs.models import Organization


def required_course_steps(partner: "Organization") -> list[SetupStep]:
    """At least one required course for the agency, and every required course with a due date."""
    required = Assignment.objects.filter(partner=partner, required=True)
    total = required.count()
    undated = required.filter(due_at__isnull=True).count() if total else 0
    if not total:
        missing = _("No required course yet. Pick the courses the agency's reps must finish, in the agreement or here.")
    else:
        missing = ngettext(
            "%(count)d required course has no due date. Give it one so that reps and their manager see when it is due.",
            "%(count)d required courses have no due date. Give each one so that reps and their manager see when "
            "they are due.",
            undated,
        ) % {"count": undated}
    return [
        SetupStep(
            key="courses",
            order=40,
            title=_("Required courses with due dates"),
            done=total > 0 and undated == 0,
            missing=missing,
            url=reverse("catalog:assignments") + "?" + urlencode({"partner": partner.pk}),
            action=_("Pick required courses") if not total else _("Set the due dates"),
        )
    ]
