"""Whether a new partner agency is ready to start: the admin's setup checklist, filled by the apps that know.

Setting up an agency touches several apps (its teams and people here, its agreement in ``agreements``, its
required courses in ``catalog``). Each registers, from its AppConfig.ready(), a check that looks at one partner
and returns its steps; the partner's page shows the steps in order, each linking to the page where it is done,
until every one is. orgs never imports those apps.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import Membership, Organization

if TYPE_CHECKING:
    from django.utils.functional import Promise

Role = Membership.Role


@dataclass(frozen=True)
class SetupStep:
    """One step of setting up an agency: what it is, whether it is done, and where it is done (in the viewer's
    language: checks run inside the request)."""

    key: str
    order: int
    title: "str | Promise"
    done: bool
    missing: "str | Promise" = ""  # what is still missing, shown while not done
    url: str = ""  # the page where it is fixed
    action: "str | Promise" = ""  # the link's text


SetupCheck = Callable[[Organization], list[SetupStep]]
_CHECKS: list[SetupCheck] = []


def register_setup_check(check: SetupCheck) -> None:
    """Add a check of an agency's setup (call from AppConfig.ready())."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def back_to_partner(url: str, partner: Organization) -> str:
    """Return the link with a ``next`` that brings the admin back to the partner's page afterwards."""
    joiner = "&" if "?" in url else "?"
    return url + joiner + urlencode({"next": reverse("orgs:partner", kwargs={"partner_id": partner.pk})})


def partner_setup(partner: Organization) -> list[SetupStep]:
    """Return every step of setting up this partner, in order (done ones included)."""
    steps = [step for check in _CHECKS for step in check(partner)]
    return sorted(steps, key=lambda s: (s.order, s.key))


def people_steps(partner: Organization) -> list[SetupStep]:
    """The steps orgs knows: teams, a partner manager, reps invited."""
    memberships = Membership.objects.filter(organization=partner, user__is_active=True)
    has_team = partner.teams.exists()
    has_manager = memberships.filter(role=Role.MANAGER).exists()
    new_person = reverse("orgs:person_new")
    reps = memberships.filter(role=Role.REP)
    # Invited (the e-mail went out) or already in (a password set, or signed in), as invitation_status says.
    reps_invited = reps.filter(
        Q(user__invited_at__isnull=False)
        | Q(user__last_login__isnull=False)
        | ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    ).exists()
    partner_page = reverse("orgs:partner", kwargs={"partner_id": partner.pk})
    return [
        SetupStep(
            key="teams",
            order=10,
            title=_("Teams"),
            done=has_team,
            missing=_("No team yet. Add the agency's teams (for example one per office)."),
            url=partner_page + "#new-team",
            action=_("Add a team"),
        ),
        SetupStep(
            key="manager",
            order=20,
            title=_("Partner manager"),
            done=has_manager,
            missing=_("No partner manager yet. Invite the person who will run learning at the agency."),
            url=back_to_partner(
                new_person + "?" + urlencode({"organization": partner.pk, "role": Role.MANAGER}), partner
            ),
            action=_("Invite the manager"),
        ),
        SetupStep(
            key="reps",
            order=50,
            title=_("Reps invited"),
            done=reps_invited,
            missing=_(
                "No rep has been invited yet. Invite them one by one here, or many at once with "
                "“Import from CSV” under People below."
            ),
            url=back_to_partner(new_person + "?" + urlencode({"organization": partner.pk, "role": Role.REP}), partner),
            action=_("Invite a rep"),
        ),
    ]


def setup_open_steps(partner: Organization) -> list[SetupStep]:
    """Return the steps still to do (empty once the agency is ready)."""
    return [step for step in partner_setup(partner) if not step.done]
