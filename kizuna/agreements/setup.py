"""The agreement's step in a new agency's setup checklist (registered with orgs.readiness)."""

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.orgs.readiness import SetupStep, back_to_partner

from .models import AgreementVersion

if TYPE_CHECKING:
    from kizuna.orgs.models import Organization


def agreement_steps(partner: "Organization") -> list[SetupStep]:
    """Written, then accepted by the agency's manager: the newest version is the one that must be accepted."""
    latest = AgreementVersion.objects.filter(partner=partner).order_by("-number").first()
    if latest is None:
        new = reverse("agreements:agreement_version_new", kwargs={"partner_id": partner.pk})
        return [
            SetupStep(
                key="agreement",
                order=30,
                title=_("Agreement"),
                done=False,
                missing=_(
                    "No agreement yet. Write it: the required courses and their due dates, the monthly learning "
                    "minutes, and what is shared across agencies."
                ),
                url=back_to_partner(new, partner),
                action=_("Write the agreement"),
            )
        ]
    return [
        SetupStep(
            key="agreement",
            order=30,
            title=_("Agreement"),
            done=latest.is_accepted,
            missing=_(
                "Version %(number)s of the agreement is not accepted yet. The partner manager accepts it on their "
                "agreement page after signing in."
            )
            % {"number": latest.number},
            url=reverse("agreements:agreement_version", kwargs={"agreement_version_id": latest.pk}),
            action=_("See the agreement"),
        )
    ]
