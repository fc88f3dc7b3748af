"""Giving a scenario to one rep on its own (per-rep targeting): an experiment's reps get it wave by wave."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.ops.trail import Action, audit_record

from ..errors import ScenarioError
from ..models import Assignment, Scenario

NOTIFICATION_KIND = "scenarios.assigned"


def scenario_assign_rep(*, scenario: Scenario, rep: Any, by: Any, due_at: datetime | None = None) -> Assignment:
    """Give a published scenario to one active rep, who may then play its latest version on its own, and tell them
    (a notification linking to it). Giving it again returns the first assignment."""
    from kizuna.notifications.services import notification_send
    from kizuna.orgs.access import membership_of

    if scenario.latest_version_id is None:
        raise ScenarioError(_("Publish the scenario before giving it to reps."))
    m = membership_of(rep)
    if m is None or not m.is_rep or not rep.is_active:
        raise ScenarioError(_("Only an active rep can be given a scenario."))
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            scenario=scenario, rep=rep, defaults={"assigned_by": by, "due_at": due_at}
        )
        if created:  # an assignment like a course's, on the trail of the rep's agency
            audit_record(
                action=Action.ASSIGNMENT_CREATE,
                actor=by,
                target=assignment,
                target_label=f"{scenario.title} → {rep}",
                organization_id=m.organization_id,
                after={"scenario": scenario.title, "to": str(rep), "due_at": due_at.isoformat() if due_at else None},
            )
    if created:
        notification_send(
            recipient=rep,
            kind=NOTIFICATION_KIND,
            title=gettext_noop("A scenario to play: %(title)s"),
            params={"title": scenario.title},
            url=reverse("scenarios:scenario_play", args=[scenario.latest_version_id]),
            dedupe_key=f"scenario-assigned:{assignment.pk}",
        )
    return assignment
