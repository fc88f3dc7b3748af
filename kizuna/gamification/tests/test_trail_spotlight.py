"""Putting a rep in the spotlight and taking them out are recorded in the audit trail, in the rep's agency."""

from typing import Any

from django.utils import timezone

from kizuna.audit.models import AuditEntry
from kizuna.gamification.services import spotlight_add, spotlight_remove


def test_the_spotlight_is_recorded_in_the_reps_agency(cast: Any) -> None:
    pick = spotlight_add(month=timezone.localdate(), rep=cast.rep_b1, note="B社のエース", by=cast.admin)
    spotlight_remove(spotlight=pick)
    added, removed = AuditEntry.objects.filter(action__startswith="spotlight.").order_by("pk")
    assert (added.action, added.organization_id, added.actor_id) == ("spotlight.add", cast.partner_b.pk, cast.admin.pk)
    assert added.after["note"] == "B社のエース" and added.target_label == cast.rep_b1.email
    assert (removed.action, removed.before["note"]) == ("spotlight.remove", "B社のエース")
