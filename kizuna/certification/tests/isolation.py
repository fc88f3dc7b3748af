"""Partner A's certification objects for the isolation walk (kizuna/tests/test_isolation.py)."""

from datetime import date
from typing import Any

from django.utils import timezone


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.certification import services, webhooks
    from kizuna.certification.models import WebhookDelivery
    from kizuna.incentives.services import incentive_rule_create

    cert = services.certification_create(
        slug="a-only-cert", name="A専用認定", created_by=cast.admin, partners=[cast.partner_a]
    )
    requirement = services.requirement_add(certification=cert, kind="roleplay", label="ロープレ", roleplay_id=1)
    # Port 9 (discard) on loopback: a replay during the walk fails fast and harmlessly.
    endpoint, _secret = webhooks.webhook_endpoint_create(
        url="http://127.0.0.1:9/hook", events=["entitlement.granted"], created_by=cast.admin
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_id=cert.key, event_type="entitlement.granted", body="{}", created_at=timezone.now()
    )
    rule = incentive_rule_create(
        partner=cast.partner_a,
        kind="course_on_time",
        amount_yen=1000,
        effective_from=date(2026, 1, 1),
        created_by=cast.admin,
    )
    return {
        "certification_id": cert.pk,
        "requirement_id": requirement.pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": delivery.pk,
        "rule_id": rule.pk,
    }
