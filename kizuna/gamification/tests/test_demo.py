"""The demo's gamification loads on top of the foundation demo, through the real services."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from kizuna.gamification.models import BadgeAward, Kudos, RepScore, Spotlight


def test_the_demo_scores_history_and_adds_kudos_badges_and_the_spotlight(db, settings):
    from kizuna.accounts.models import User
    from kizuna.demo.gamification import seed_gamification

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_seed", "--no-video", stdout=StringIO())
    now = timezone.now()
    seed_gamification(now=now)
    seed_gamification(now=now)  # safe to run twice

    rep1 = User.objects.get(email="rep1@partner-a.example")
    assert RepScore.objects.get(user=rep1).points > 0
    assert RepScore.objects.filter(points__gt=0).count() >= 10
    assert BadgeAward.objects.filter(badge__slug="product-basics").exists()
    assert Kudos.objects.filter(recipient=rep1).count() == 1
    assert Spotlight.objects.filter(month=now.date().replace(day=1)).count() == 2
