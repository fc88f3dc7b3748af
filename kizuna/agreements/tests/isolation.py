"""Partner A's objects for the isolation walk (kizuna/tests/test_isolation.py)."""

from typing import Any

from django.utils import timezone


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.agreements.services import agreement_version_create

    version = agreement_version_create(
        partner=cast.partner_a,
        created_by=cast.admin,
        effective_from=timezone.localdate(),
        min_minutes_per_month=60,
        counts_as_work=False,
        work_cap_minutes_per_month=None,
        evaluation_text="",
        share_rankings=False,
        share_reviews=False,
        share_community=True,
        manager_may_export=True,
        retention_days=90,
        courses=[],
    )
    return {"agreement_version_id": version.pk}
