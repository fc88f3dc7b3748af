"""A certification that expires is recorded in the audit trail, in the rep's agency, once."""

from datetime import timedelta

from kizuna.audit.models import AuditEntry
from kizuna.certification import services
from kizuna.certification.models import Holding

from .helpers import finish_course, product_certification


def test_an_expired_certification_is_recorded_once_in_the_reps_agency(cast, article_course):
    cert = product_certification(cast, article_course, validity_days=60)
    finish_course(cast.rep_a1, article_course)
    holding = Holding.objects.get(rep=cast.rep_a1, certification=cert)
    services.certifications_daily(now=holding.expires_at + timedelta(hours=1))
    services.certifications_daily(now=holding.expires_at + timedelta(days=1))
    (entry,) = AuditEntry.objects.filter(action="certification.expire")
    assert (entry.organization_id, entry.target_id) == (cast.partner_a.pk, str(holding.pk))
    assert (entry.before, entry.after["status"], entry.after["why"]) == ({"status": "certified"}, "expired", "expired")
