"""The demo's certifications, entitlements and incentive rules.

Runs after the foundation demo (people, courses, five weeks of history): the certifications are defined
through kizuna.certification.services, so the reps whose history already meets them are certified by the
same evaluation production runs, with their earned events at the time they finished.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from kizuna.catalog.selectors import published_courses
from kizuna.certification import services as certification
from kizuna.certification.models import Certification, Entitlement
from kizuna.incentives.selectors import rules_for_partner
from kizuna.incentives.services import incentive_rule_create
from kizuna.orgs.access import visible_partners

ENTITLEMENTS = (
    ("sell-kizuna-cloud", "クラウドプランの販売", "クラウドプランを提案・受注してよい"),
    ("lead-list-tier-a", "リードリスト Tier A", "成約見込みの高いリードリストを受け取れる"),
)
CERTIFICATIONS = (
    # slug, name, description, validity, required course slugs, entitlement codes
    (
        "cloud-plan-sales",
        "クラウドプラン販売認定",
        "製品の基本とお客様の声を学び終えた担当者は、クラウドプランを販売できます。",
        365,
        ("product-basics", "customer-voice-yamamoto"),
        ("sell-kizuna-cloud",),
    ),
    (
        "advanced-proposal",
        "上級提案認定",
        "失敗事例と価格の質問への答え方まで学んだ担当者に、Tier A のリードリストをお渡しします。",
        180,
        ("product-basics", "failure-case-logistics", "price-questions"),
        ("lead-list-tier-a",),
    ),
)


def seed_certification(*, now: datetime) -> None:
    """Define two certifications and their entitlements, certify whoever already qualifies, add incentive rules."""
    admin = get_user_model().objects.get(email="admin@principal.example")
    for code, name, description in ENTITLEMENTS:
        if not Entitlement.objects.filter(code=code).exists():
            certification.entitlement_create(code=code, name=name, description=description)
    entitlements = {e.code: e for e in Entitlement.objects.all()}
    courses = {c.slug: c for c in published_courses()}
    for slug, name, description, validity, course_slugs, codes in CERTIFICATIONS:
        if Certification.objects.filter(slug=slug).exists():
            continue
        cert = certification.certification_create(
            slug=slug,
            name=name,
            description=description,
            created_by=admin,
            validity_days=validity,
            reminder_days=30,
            entitlements=[entitlements[c] for c in codes],
        )
        # All requirements at once: added one by one, whoever finished the first course would be certified
        # and told so, then told to redo the requirements when the second arrived.
        certification.requirements_add(
            certification=cert,
            requirements=[
                {"kind": "course", "label": courses[slug].latest_version.title, "course": courses[slug]}
                for slug in course_slugs
                if slug in courses
            ],
            now=now,
        )
    _seed_incentives(admin=admin, now=now)


def _seed_incentives(*, admin: object, now: datetime) -> None:
    start = timezone.localdate(now) - timedelta(days=60)
    amounts = {"partner-a": (10_000, 3_000), "partner-b": (5_000, 2_000)}
    for partner in visible_partners(admin):
        if partner.slug not in amounts or rules_for_partner(partner):
            continue
        per_certification, per_course = amounts[partner.slug]
        incentive_rule_create(
            partner=partner,
            kind="certification_earned",
            amount_yen=per_certification,
            effective_from=start,
            created_by=admin,
            note="合意事項 第1版",
        )
        incentive_rule_create(
            partner=partner,
            kind="course_on_time",
            amount_yen=per_course,
            effective_from=start,
            created_by=admin,
            note="合意事項 第1版",
        )
