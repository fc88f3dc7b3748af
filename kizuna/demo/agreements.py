"""The demo's agreements (合意事項): one per partner, accepted by two managers; partner A has a new version waiting.

Runs after the foundation demo (people, courses) and writes only through kizuna.agreements.services,
so the assignments, sharing settings and acceptance records are what production would have.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from kizuna.agreements.models import AgreementVersion
from kizuna.agreements.services import CourseTerm, agreement_version_accept, agreement_version_create
from kizuna.catalog.models import Course
from kizuna.orgs.models import Organization

EVALUATION = (
    "必須コースの期限内修了と月間学習時間は、四半期の評価面談で確認します。\n"
    "確認テストで85点以上の担当者は、インセンティブの加点対象です。"
)


def seed_agreements(*, now: datetime) -> None:
    """Write version 1 for every demo partner (60 days ago), accept A's and B's, and a pending version 2 for A."""
    if AgreementVersion.objects.exists():
        return  # loaded already
    user_model = get_user_model()
    admin = user_model.objects.get(email="admin@principal.example")
    courses = {c.slug: c for c in Course.objects.filter(latest_version__isnull=False)}
    today = timezone.localdate(now)
    start = today - timedelta(days=60)

    def terms(due_days: int) -> list[CourseTerm]:
        wanted = [
            ("product-basics", True, due_days),
            ("price-questions", True, due_days + 14),
            ("customer-voice-yamamoto", False, None),
            ("founder-story", False, None),
        ]
        return [
            CourseTerm(
                course=courses[slug],
                required=required,
                due_on=start + timedelta(days=days) if required and days is not None else None,
            )
            for slug, required, days in wanted
            if slug in courses
        ]

    partners = {p.slug: p for p in Organization.objects.filter(kind=Organization.Kind.PARTNER)}
    plans = {
        # slug: (minimum minutes, counts as work, cap, rankings shared, manager may export, accepted)
        "partner-a": (120, True, 240, True, True, True),
        "partner-b": (90, True, None, True, True, True),
        "partner-c": (60, False, None, False, False, False),
    }
    for slug, (minimum, as_work, cap, rankings, export, accepted) in plans.items():
        partner = partners.get(slug)
        if partner is None:
            continue
        version = agreement_version_create(
            partner=partner,
            created_by=admin,
            effective_from=start,
            min_minutes_per_month=minimum,
            counts_as_work=as_work,
            work_cap_minutes_per_month=cap,
            evaluation_text=EVALUATION,
            share_rankings=rankings,
            share_reviews=False,
            share_community=True,
            manager_may_export=export,
            retention_days=90,
            courses=terms(75),
            now=now,
        )
        if accepted:
            manager = user_model.objects.get(email=f"manager@{slug}.example")
            agreement_version_accept(version=version, manager=manager, now=now - timedelta(days=58))
    partner_a = partners.get("partner-a")
    if partner_a is not None:
        # Version 2: more learning time and a later due date for the price course, from the first of next month.
        next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        agreement_version_create(
            partner=partner_a,
            created_by=admin,
            effective_from=next_month,
            min_minutes_per_month=150,
            counts_as_work=True,
            work_cap_minutes_per_month=300,
            evaluation_text=EVALUATION,
            share_rankings=True,
            share_reviews=True,
            share_community=True,
            manager_may_export=True,
            retention_days=90,
            courses=[
                CourseTerm(course=t.course, required=t.required, due_on=max(t.due_on, next_month) + timedelta(days=30))
                if t.required and t.due_on
                else t
                for t in terms(75)
            ],
            now=now,
        )
