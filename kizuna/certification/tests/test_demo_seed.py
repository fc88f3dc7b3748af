"""The demo seed defines the certifications, certifies whoever already qualifies, and can run twice."""

from django.utils import timezone

from kizuna.certification.models import Certification, Holding
from kizuna.demo.certification import seed_certification
from kizuna.incentives.selectors import rules_for_partner

from .helpers import finish_course


def test_the_seed_certifies_reps_who_finished_and_adds_incentive_rules(cast, article_course):
    finish_course(cast.rep_a1, article_course)
    seed_certification(now=timezone.now())
    seed_certification(now=timezone.now())
    assert Certification.objects.count() == 2
    advanced = Certification.objects.get(slug="advanced-proposal")
    assert advanced.requirements.count() == 1  # only product-basics exists in this test
    assert Holding.objects.get(rep=cast.rep_a1, certification=advanced).status == "certified"
    assert len(rules_for_partner(cast.partner_a)) == 2
    assert len(rules_for_partner(cast.partner_b)) == 2
