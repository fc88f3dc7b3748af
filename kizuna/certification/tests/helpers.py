"""Set-up shared by the certification tests, through the real services."""

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings

from kizuna.certification import services
from kizuna.records import services as records
from kizuna.records import vocab

ASSESSMENT = vocab.Term(vocab.ADL_ACTIVITIES + "assessment", "確認テスト", "assessment")
ROLEPLAY = vocab.Term("activity-types/roleplay", "ロールプレイ", "roleplay", own=True)


def finish_course(rep: Any, course: Any, *, at: datetime | None = None, version: Any = None) -> None:
    for lesson in (version or course.latest_version).lessons.order_by("position"):
        records.lesson_complete(rep=rep, lesson=lesson, timestamp=at)


def quiz_result(
    rep: Any, quiz_key: uuid.UUID, score: float, *, at: datetime | None = None, passed: bool = True
) -> None:
    records.statement_record(
        actor=rep,
        verb=vocab.PASSED if passed else vocab.FAILED,
        activity=records.Activity(
            iri=f"{settings.SITE_URL}/xapi/activities/quiz/{quiz_key}/v1", type=ASSESSMENT, name={"ja-JP": "確認"}
        ),
        result={"score": {"scaled": score}, "success": passed},
        timestamp=at,
    )


def roleplay_passed(rep: Any, roleplay_id: int | str, *, at: datetime | None = None) -> None:
    """Record a roleplay pass as the coaching app does; a str is the roleplay's whole activity IRI."""
    iri = roleplay_id if isinstance(roleplay_id, str) else f"{settings.SITE_URL}/xapi/activities/roleplay/{roleplay_id}"
    records.statement_record(
        actor=rep,
        verb=vocab.PASSED,
        activity=records.Activity(iri=iri, type=ROLEPLAY, name={"ja-JP": "ロープレ"}),
        result={"score": {"scaled": 0.8}, "success": True},
        timestamp=at,
    )


def product_certification(cast: Any, course: Any, *, validity_days: int | None = 365, **extra: Any) -> Any:
    entitlement = services.entitlement_create(code="sell-cloud-pro", name="クラウドProの販売")
    cert = services.certification_create(
        slug="cloud-pro",
        name="クラウドPro販売認定",
        created_by=cast.admin,
        validity_days=validity_days,
        reminder_days=30,
        entitlements=[entitlement],
        **extra,
    )
    services.requirement_add(certification=cert, kind="course", label=course.title, course=course)
    return cert
