"""Writes of incentives: rules an admin adds to an agency, and ending them."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.ops.trail import Action, audit_record

from .models import IncentiveRule

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import Course
    from kizuna.orgs.models import Organization


class IncentiveError(ApplicationError):
    """A rule that cannot be saved; the message is shown to the user."""


def incentive_rule_create(
    *,
    partner: "Organization",
    kind: str,
    amount_yen: int,
    effective_from: date,
    created_by: "User",
    effective_to: date | None = None,
    certification: Any = None,
    course: "Course | None" = None,
    note: str = "",
) -> IncentiveRule:
    """Add a reward for an achievement at one agency, effective from a date (and optionally until one)."""
    if partner.is_principal:
        raise IncentiveError(_("Incentives are for partner agencies."))
    if amount_yen <= 0:
        raise IncentiveError(_("Enter an amount of at least 1 yen."))
    if effective_to is not None and effective_to < effective_from:
        raise IncentiveError(_("The end date must not be before the start date."))
    if kind == IncentiveRule.Kind.COURSE_ON_TIME:
        certification = None
    else:
        course = None
    with transaction.atomic():
        rule = IncentiveRule.objects.create(
            partner=partner,
            kind=kind,
            amount_yen=amount_yen,
            effective_from=effective_from,
            effective_to=effective_to,
            certification=certification,
            course=course,
            note=note.strip(),
            created_by=created_by,
        )
        audit_record(
            action=Action.INCENTIVE_RULE_CREATE,
            actor=created_by,
            target=rule,
            organization_id=partner.pk,
            after={
                "kind": kind,
                "amount_yen": amount_yen,
                "effective_from": effective_from,
                "effective_to": effective_to,
                "certification": certification,
                "course": course,
                "note": rule.note,
            },
        )
    return rule


def incentive_rule_end(*, rule: IncentiveRule, on: date | None = None) -> IncentiveRule | None:
    """End a rule on the given day (today by default); a rule not yet in effect is removed instead."""
    day = on or timezone.localdate()
    with transaction.atomic():
        if rule.effective_from > day:
            _end_record(rule, after={"removed": True})
            rule.delete()
            return None
        if rule.effective_to is None or rule.effective_to > day:
            _end_record(rule, after={"effective_to": day})
            rule.effective_to = day
            rule.save(update_fields=["effective_to"])
    return rule


def _end_record(rule: IncentiveRule, *, after: dict[str, Any]) -> None:
    audit_record(
        action=Action.INCENTIVE_RULE_END,
        target=rule,
        organization_id=rule.partner_id,
        before={"effective_from": rule.effective_from, "effective_to": rule.effective_to},
        after=after,
    )
