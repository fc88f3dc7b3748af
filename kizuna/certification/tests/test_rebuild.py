"""Holdings are derived from statements and the definitions: rebuilding them gives exactly the live rows."""

import uuid
from datetime import timedelta

from django.utils import timezone

from kizuna.certification import services
from kizuna.certification.models import CertificationEvent, Evidence, Holding
from kizuna.certification.projections import rebuild

from .helpers import finish_course, product_certification, quiz_result

FIELDS = ("rep_id", "certification_id", "partner_id", "status", "certified_at", "expires_at", "version", "met", "total")


def _snapshot():
    return sorted(Holding.objects.values_list(*FIELDS)), Evidence.objects.count()


def test_rebuild_equals_live(cast, article_course):
    cert = product_certification(cast, article_course, validity_days=45)
    quiz_key = uuid.uuid4()
    services.requirement_add(certification=cert, kind="quiz", label="確認テスト", quiz_key=quiz_key, min_score=80)
    long_ago = timezone.now() - timedelta(days=90)
    finish_course(cast.rep_a1, article_course, at=long_ago)
    quiz_result(cast.rep_a1, quiz_key, 0.9, at=long_ago)  # certified, then expired
    finish_course(cast.rep_a2, article_course)
    quiz_result(cast.rep_a2, quiz_key, 0.5, passed=False)  # in progress
    quiz_result(cast.rep_b1, quiz_key, 0.95)  # partner B: evidence, but the course is not theirs
    live = _snapshot()
    statuses = {row[0]: row[3] for row in live[0]}
    assert statuses == {cast.rep_a1.pk: "expired", cast.rep_a2.pk: "in_progress", cast.rep_b1.pk: "in_progress"}
    events = CertificationEvent.objects.count()
    rebuild()
    assert _snapshot() == live
    assert CertificationEvent.objects.count() == events  # a rebuild sends nothing


def test_a_reopened_certification_rebuilds_to_the_same_suspension(cast, article_course):
    from kizuna.catalog import services as catalog

    cert = product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    catalog.lesson_create(module=article_course.modules.get(), kind="article", title="新機能", body="追加")
    catalog.course_publish(course=article_course, publisher=cast.author)
    services.certification_reopen(
        certification=cert, requirements=list(cert.requirements.all()), reason="改定", reopened_by=cast.admin
    )
    live = _snapshot()
    assert live[0][0][3] == "suspended"
    rebuild()
    assert _snapshot() == live


def test_a_partners_rebuild_gives_the_full_rebuilds_rows_and_leaves_the_other_agency(cast, article_course):
    from kizuna.records.tests.partner_rebuild import Table, assert_partner_rebuild, rep_rows

    cert = product_certification(cast, article_course)
    quiz_key = uuid.uuid4()
    services.requirement_add(certification=cert, kind="quiz", label="確認テスト", quiz_key=quiz_key, min_score=80)
    finish_course(cast.rep_a1, article_course)
    quiz_result(cast.rep_a1, quiz_key, 0.9)
    quiz_result(cast.rep_a2, quiz_key, 0.5, passed=False)
    quiz_result(cast.rep_b1, quiz_key, 0.95)
    evidence = ("statement_id", "rep_id", "kind", "course_id", "lesson_id", "ref", "score", "passed", "at")
    assert_partner_rebuild(
        cast,
        ("certification",),
        [Table(Evidence, evidence, rep_rows()), Table(Holding, FIELDS, rep_rows())],
    )
