"""Test helpers: agreement versions written through the real service."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kizuna.agreements.services import CourseTerm, agreement_version_create


def today() -> date:
    return timezone.localdate()


def write_version(cast: Any, *, partner: Any = None, courses: list[CourseTerm] | None = None, **terms: Any) -> Any:
    values = {
        "effective_from": today(),
        "min_minutes_per_month": 60,
        "counts_as_work": True,
        "work_cap_minutes_per_month": 120,
        "evaluation_text": "必須コースの修了を四半期評価に反映します。",
        "share_rankings": True,
        "share_reviews": False,
        "share_community": True,
        "manager_may_export": True,
        "retention_days": 30,
        **terms,
    }
    return agreement_version_create(
        partner=partner or cast.partner_a, created_by=cast.admin, courses=courses or [], **values
    )


def in_days(n: int) -> date:
    return today() + timedelta(days=n)
