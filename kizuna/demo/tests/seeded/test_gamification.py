"""The demo's gamification loads on top of the foundation demo, through the real services."""

import pytest
from django.utils import timezone

from kizuna.gamification.models import BadgeAward, Kudos, RepScore, Spotlight

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def test_the_demo_scores_history_and_adds_kudos_badges_and_the_spotlight(demo):
    from kizuna.accounts.models import User
    from kizuna.demo.gamification import seed_gamification

    now = timezone.now()
    seed_gamification(now=now)
    seed_gamification(now=now)  # safe to run twice

    rep1 = User.objects.get(email="rep1@partner-a.example")
    assert RepScore.objects.get(user=rep1).points > 0
    assert RepScore.objects.filter(points__gt=0).count() >= 10
    assert BadgeAward.objects.filter(badge__slug="product-basics").exists()
    assert Kudos.objects.filter(recipient=rep1).count() == 1
    assert Spotlight.objects.filter(month=now.date().replace(day=1)).count() == 2
