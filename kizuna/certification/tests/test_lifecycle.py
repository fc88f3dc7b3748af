"""A rep is certified when they meet every requirement, the certification expires, and a reopening suspends it."""

import uuid
from datetime import timedelta

from django.utils import timezone

from conftest import publish_course
from kizuna.catalog import services as catalog
from kizuna.certification import services
from kizuna.certification.models import CertificationEvent, EntitlementEvent, Holding
from kizuna.certification.selectors import entitlements_by_rep, rep_certifications, rep_held_certifications
from kizuna.records.models import Statement

from .helpers import finish_course, product_certification, quiz_result, roleplay_passed


def _holding(rep, cert):
    return Holding.objects.get(rep=rep, certification=cert)


def test_finishing_the_required_course_certifies_the_rep_and_grants_the_entitlement(cast, article_course):
    cert = product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    holding = _holding(cast.rep_a1, cert)
    assert holding.status == Holding.Status.CERTIFIED
    assert holding.expires_at - holding.certified_at == timedelta(days=365)
    assert [e.kind for e in CertificationEvent.objects.filter(rep=cast.rep_a1)] == ["earned"]
    assert [(e.kind, e.entitlement.code) for e in EntitlementEvent.objects.filter(rep=cast.rep_a1)] == [
        ("granted", "sell-cloud-pro")
    ]
    assert Statement.objects.filter(actor=cast.rep_a1, verb__endswith="/xapi/vocab/verbs/earned").count() == 1
    assert [e["code"] for e in entitlements_by_rep([cast.rep_a1.pk])[cast.rep_a1.pk]] == ["sell-cloud-pro"]
    assert [h.certification for h in rep_held_certifications(cast.rep_a1)] == [cert]
    assert rep_held_certifications(cast.rep_a2) == []


def test_half_a_course_is_progress_not_a_certification(cast, article_course):
    cert = product_certification(cast, article_course)
    lesson = article_course.latest_version.lessons.order_by("position").first()
    from kizuna.records.services import lesson_complete

    lesson_complete(rep=cast.rep_a1, lesson=lesson)
    assert _holding(cast.rep_a1, cert).status == Holding.Status.IN_PROGRESS
    (card,) = rep_certifications(cast.rep_a1)
    assert (card.requirements[0].done, card.requirements[0].total, card.requirements[0].percent) == (1, 2, 50)
    assert entitlements_by_rep([cast.rep_a1.pk])[cast.rep_a1.pk] == []


def test_a_quiz_counts_with_its_best_score_and_a_roleplay_once_passed(cast, article_course):
    cert = product_certification(cast, article_course)
    quiz_key = uuid.uuid4()
    services.requirement_add(certification=cert, kind="quiz", label="確認テスト", quiz_key=quiz_key, min_score=80)
    services.requirement_add(certification=cert, kind="roleplay", label="提案ロープレ", roleplay_id=7)
    finish_course(cast.rep_a1, article_course)
    quiz_result(cast.rep_a1, quiz_key, 0.7, passed=False)
    assert _holding(cast.rep_a1, cert).status == Holding.Status.IN_PROGRESS
    quiz_result(cast.rep_a1, quiz_key, 0.9)
    roleplay_passed(cast.rep_a1, 77)  # another roleplay
    assert _holding(cast.rep_a1, cert).met == 2
    roleplay_passed(cast.rep_a1, 7)
    holding = _holding(cast.rep_a1, cert)
    assert (holding.status, holding.met, holding.total) == (Holding.Status.CERTIFIED, 3, 3)


def test_it_expires_after_its_validity_and_reminds_before(cast, article_course, mailoutbox):
    cert = product_certification(cast, article_course, validity_days=60)
    finish_course(cast.rep_a1, article_course)
    holding = _holding(cast.rep_a1, cert)
    counts = services.certifications_daily(now=holding.expires_at - timedelta(days=10))
    assert counts == {"expired": 0, "reminded": 1}
    assert services.certifications_daily(now=holding.expires_at - timedelta(days=9))["reminded"] == 1
    from kizuna.notifications.models import Notification

    assert Notification.objects.filter(recipient=cast.rep_a1, kind="certification.expiring").count() == 1
    counts = services.certifications_daily(now=holding.expires_at + timedelta(hours=1))
    assert counts["expired"] == 1
    assert _holding(cast.rep_a1, cert).status == Holding.Status.EXPIRED
    kinds = list(EntitlementEvent.objects.filter(rep=cast.rep_a1).order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["granted", "expired"]
    later = holding.expires_at + timedelta(days=1)
    assert entitlements_by_rep([cast.rep_a1.pk], now=later)[cast.rep_a1.pk] == []


def test_retaking_the_quiz_renews_an_expired_certification(cast, article_course):
    start = timezone.now() - timedelta(days=100)
    cert = product_certification(cast, article_course, validity_days=60)
    quiz_key = uuid.uuid4()
    services.requirement_add(certification=cert, kind="quiz", label="確認テスト", quiz_key=quiz_key, min_score=80)
    finish_course(cast.rep_a1, article_course, at=start)
    quiz_result(cast.rep_a1, quiz_key, 0.85, at=start)
    assert _holding(cast.rep_a1, cert).status == Holding.Status.EXPIRED
    quiz_result(cast.rep_a1, quiz_key, 0.95)
    holding = _holding(cast.rep_a1, cert)
    assert holding.status == Holding.Status.CERTIFIED
    assert list(CertificationEvent.objects.filter(rep=cast.rep_a1).order_by("at").values_list("kind", flat=True)) == [
        "earned",
        "expired",
        "renewed",
    ]


def test_reopening_suspends_holders_until_they_redo_the_changed_course(cast, article_course):
    cert = product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    requirement = cert.requirements.get()
    # The product changed: the course gets a new lesson and a new version, and the certification is reopened.
    catalog.lesson_create(module=article_course.modules.get(), kind="article", title="新機能", body="新しい料金")
    catalog.course_publish(course=article_course, publisher=cast.author)
    article_course.refresh_from_db()
    services.certification_reopen(
        certification=cert, requirements=[requirement], reason="新料金プラン", reopened_by=cast.admin
    )
    holding = _holding(cast.rep_a1, cert)
    assert (holding.status, holding.version) == (Holding.Status.SUSPENDED, 2)
    assert entitlements_by_rep([cast.rep_a1.pk])[cast.rep_a1.pk] == []
    revoked = EntitlementEvent.objects.get(rep=cast.rep_a1, kind="revoked")
    assert revoked.reason == "certification_reopened"
    (card,) = rep_certifications(cast.rep_a1)
    assert card.requirements[0].changed and not card.requirements[0].met
    finish_course(cast.rep_a1, article_course)
    assert _holding(cast.rep_a1, cert).status == Holding.Status.CERTIFIED
    assert EntitlementEvent.objects.filter(rep=cast.rep_a1, kind="granted").count() == 2


def test_a_certification_for_partner_a_is_not_earned_by_partner_b(cast, article_course):
    cert = product_certification(cast, article_course, partners=[cast.partner_a])
    other = publish_course(
        cast,
        slug="b-course",
        title="B",
        lessons=[{"kind": "article", "title": "x", "body": "y"}],
        partner=cast.partner_b,
    )
    services.requirement_add(certification=cert, kind="course", label="B", course=other)
    finish_course(cast.rep_b1, other)
    assert not Holding.objects.filter(rep=cast.rep_b1).exists()


def test_a_roleplay_is_recognised_by_the_activity_iri_the_coaching_app_records(cast, article_course):
    cert = product_certification(cast, article_course)
    iri = f"http://127.0.0.1:8000/roleplay/{uuid.uuid4()}"
    services.requirement_add(certification=cert, kind="roleplay", label="提案ロープレ", roleplay_id=3, roleplay_iri=iri)
    finish_course(cast.rep_a1, article_course)
    roleplay_passed(cast.rep_a1, f"http://127.0.0.1:8000/roleplay/{uuid.uuid4()}")
    assert _holding(cast.rep_a1, cert).status == Holding.Status.IN_PROGRESS
    roleplay_passed(cast.rep_a1, iri)
    assert _holding(cast.rep_a1, cert).status == Holding.Status.CERTIFIED
