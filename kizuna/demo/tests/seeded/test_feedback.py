"""The demo's field voice and lesson feedback load on top of the foundation demo, through the real services."""

from datetime import date

import pytest
from django.utils import timezone

from kizuna.feedback import selectors
from kizuna.feedback.models import FieldVoice, LessonFeedback
from kizuna.feedback.selectors import ReportFilter

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def test_the_demo_has_field_voice_to_count_and_feedback_to_handle(demo):
    from kizuna.accounts.models import User
    from kizuna.demo.feedback import seed_feedback

    now = timezone.now()
    seed_feedback(now=now)
    seed_feedback(now=now)  # a second run adds nothing

    assert FieldVoice.objects.count() == 13 and LessonFeedback.objects.count() == 5
    assert FieldVoice.objects.filter(status=FieldVoice.Status.CONTENT).count() == 1
    assert LessonFeedback.objects.filter(status=LessonFeedback.Status.HANDLED).count() == 2
    admin = User.objects.get(email="admin@principal.example")
    report = selectors.voice_report(admin, ReportFilter(since=date(2000, 1, 1), until=timezone.localdate()))
    assert report.top[0].text.startswith("他社より") and report.top[0].count == 5 and report.top[0].answered == 1
    manager = User.objects.get(email="manager@partner-a.example")
    assert all(v.partner.slug == "partner-a" for v in selectors.voice_inbox(manager))
