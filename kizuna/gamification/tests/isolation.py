"""Partner A's gamification objects for the isolation walk (kizuna/tests/test_isolation.py).

Badges are the principal's public badge classes (their Open Badges documents are public); a badge that
partner A's rep earned gives the `assertion_id`; the spotlight pick is of partner A's rep.
"""

from typing import Any

# Open Badges 2.0 hosted verification: anyone may fetch these, by design.
PUBLIC_ROUTES = {"gamification:ob_badge_class", "gamification:badge_image", "gamification:ob_assertion"}


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from kizuna.gamification.models import BadgeAward
    from kizuna.gamification.services import spotlight_add

    from .conftest import quiz

    quiz(cast.rep_a1, key="isolation", scaled=1.0)
    award = BadgeAward.objects.select_related("badge").get(user=cast.rep_a1, badge__slug="perfect-score")
    pick = spotlight_add(month=timezone.localdate(), rep=cast.rep_a1, note="A社のエース", by=cast.admin)
    return {"badge_slug": award.badge.slug, "assertion_id": award.assertion, "spotlight_id": pick.pk}
