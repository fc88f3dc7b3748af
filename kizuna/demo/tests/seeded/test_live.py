"""The demo's live sessions load on top of the foundation demo, through the real services."""

import pytest
from django.utils import timezone

from kizuna.live import vocab
from kizuna.live.models import LiveSession, Registration
from kizuna.records.models import Statement

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def test_the_demo_sessions_have_registrations_and_attendance(demo):
    from kizuna.accounts.models import User
    from kizuna.demo.live import seed_live

    now = timezone.now()
    seed_live(now=now)

    sessions = {s.title: s for s in LiveSession.objects.all()}
    assert len(sessions) == 3
    past = sessions["年間契約プラン 説明会"]
    attended = Registration.objects.filter(session=past, attended_at__isnull=False)
    assert 5 < attended.count() < Registration.objects.filter(session=past).count()
    assert Statement.objects.filter(verb=vocab.ATTENDED.iri).count() == attended.count()
    assert all(st.timestamp <= now for st in Statement.objects.filter(verb=vocab.REGISTERED.iri))
    rep1 = User.objects.get(email="rep1@partner-a.example")
    assert Registration.objects.filter(rep=rep1, session=sessions["東京第1チーム 月次ふりかえり"]).exists()
    assert sessions["競合対策ライブ: 切り返しトーク実演"].starts_at > now
