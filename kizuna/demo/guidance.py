"""The demo's guidance and support (issue 18 part 4): an agency still being set up, shown by its checklist.

Written only through the owning apps' services, as production would.
"""

from datetime import datetime

from kizuna.orgs.selectors import partners_with_counts
from kizuna.orgs.services import partner_create, team_create

NEW_AGENCY = ("partner-d", "みらいセールスパートナーズ株式会社", "横浜チーム")


def seed_new_agency(*, now: datetime) -> None:
    """A partner signed last week: its first team is in, the manager, agreement and reps are still to come."""
    slug, name, team = NEW_AGENCY
    if partners_with_counts().filter(slug=slug).exists():
        return
    partner = partner_create(name=name, slug=slug)
    team_create(organization=partner, name=team)


def seed_guidance(*, now: datetime) -> None:
    seed_new_agency(now=now)
