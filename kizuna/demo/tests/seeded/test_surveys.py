"""The demo's survey loads on top of the foundation demo, through the real services."""

import pytest
from django.utils import timezone

from kizuna.surveys import selectors
from kizuna.surveys.models import Survey, SurveyResponse

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def test_the_demo_survey_is_sent_and_answered_by_most_reps(demo):
    from kizuna.accounts.models import User
    from kizuna.demo.surveys import seed_surveys

    now = timezone.now()
    seed_surveys(now=now)

    survey = Survey.objects.get(title="11月の研修アンケート")
    version = survey.latest_version
    responses = SurveyResponse.objects.filter(version=version)
    assert 15 < responses.count() < 30
    assert all(r.submitted_at <= now for r in responses)
    rep1 = User.objects.get(email="rep1@partner-a.example")
    assert not responses.filter(rep=rep1).exists()
    assert [row.version.pk for row in selectors.surveys_for_rep(rep1)] == [version.pk]
    nps = selectors.survey_results(version=version, partner_ids=None)[1]
    assert nps.nps is not None and nps.count == responses.count()
    per_partner = selectors.results_per_partner(version=version, partner_ids=None)
    assert len(per_partner) == 3
