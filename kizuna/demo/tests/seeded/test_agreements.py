"""The demo's agreements load on top of the foundation demo, through the real services."""

import pytest
from django.utils import timezone

from kizuna.agreements import learning_time
from kizuna.agreements.models import AgreementVersion, LearningTimeDay
from kizuna.agreements.selectors import compliance_for_partner, this_month

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def test_the_demo_agreements_are_written_accepted_and_pending(demo):
    from kizuna.demo.agreements import seed_agreements
    from kizuna.orgs.models import Organization

    seed_agreements(now=timezone.now())  # a second run adds nothing

    a = Organization.objects.get(slug="partner-a")
    versions = list(AgreementVersion.objects.filter(partner=a).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].is_accepted and versions[0].applied_at is not None
    assert not versions[1].is_accepted and versions[1].applied_at is None
    c = Organization.objects.get(slug="partner-c")
    assert not AgreementVersion.objects.get(partner=c).is_accepted
    # The demo history gives learning time, and compliance has figures to show.
    assert LearningTimeDay.objects.filter(partner=a, seconds__gt=0).exists()
    compliance = compliance_for_partner(partner=a, month=this_month())
    assert compliance.required > 0 and compliance.rows
    before = sorted(LearningTimeDay.objects.values_list("rep_id", "day", "seconds", "statements"))
    learning_time.rebuild()
    assert sorted(LearningTimeDay.objects.values_list("rep_id", "day", "seconds", "statements")) == before
