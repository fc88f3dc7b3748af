"""Writes of the privacy app: a person's data export, and the erasure of a departed person."""

import tempfile
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.accounts.personal_data import Erasure, contributions
from kizuna.accounts.services import person_anonymize
from kizuna.ops.errors import ApplicationError
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.access import membership_of

from .exports import export_write
from .models import DataExport, ErasureRecord

if TYPE_CHECKING:
    from kizuna.accounts.models import User

# One export per person per interval: building one reads their whole history.
EXPORT_INTERVAL = timedelta(minutes=10)
# A ready export can be downloaded this long; the daily job then deletes it.
EXPORT_KEPT = timedelta(days=7)
# An export still pending after this long was lost (a worker stopped): the person may ask again.
EXPORT_STUCK = timedelta(hours=1)


class PrivacyError(ApplicationError):
    """A request that cannot be done; the message is shown to the user in their language."""


def data_export_request(*, user: "User", now: datetime | None = None) -> DataExport:
    """Start building the person's export in the background; refuse a repeat within EXPORT_INTERVAL."""
    from .tasks import data_export_build_task

    now = now or timezone.now()
    latest = DataExport.objects.filter(user=user).order_by("-requested_at").first()
    if latest is not None and latest.status == DataExport.Status.PENDING and now - latest.requested_at < EXPORT_STUCK:
        raise PrivacyError(_("Your data is already being prepared. Come back in a few minutes."))
    if latest is not None and now - latest.requested_at < EXPORT_INTERVAL:
        minutes = max(1, int((EXPORT_INTERVAL - (now - latest.requested_at)).total_seconds() // 60) + 1)
        raise PrivacyError(
            _("You asked for your data a moment ago. You can ask again in %(minutes)d minutes.") % {"minutes": minutes}
        )
    with transaction.atomic():
        old = list(DataExport.objects.filter(user=user))
        export = DataExport.objects.create(user=user, requested_at=now)
    for item in old:
        _export_delete(item)
    transaction.on_commit(lambda: data_export_build_task.enqueue(export.pk))
    return export


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the zip (reading only, outside any transaction), then store it and mark the export ready."""
    export = DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).select_related("user").first()
    if export is None:
        return None
    try:
        with tempfile.TemporaryFile() as tmp:
            export_write(user=export.user, out=tmp)
            size = tmp.tell()
            tmp.seek(0)
            export.file.save(f"{export.key}.zip", File(tmp), save=False)
    except Exception:
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED, finished_at=timezone.now())
        raise
    export.status, export.size, export.finished_at = DataExport.Status.READY, size, timezone.now()
    export.save(update_fields=["file", "status", "size", "finished_at"])
    return export


def _export_delete(export: DataExport) -> None:
    if export.file:
        export.file.delete(save=False)
    export.delete()


def data_exports_expire(*, now: datetime | None = None) -> int:
    """Daily: delete exports (and their files) older than EXPORT_KEPT; return how many."""
    now = now or timezone.now()
    old = list(DataExport.objects.filter(requested_at__lt=now - EXPORT_KEPT))
    for export in old:
        _export_delete(export)
    return len(old)


def erasure_refusal(*, person: "User", by: "User") -> str:
    """Return why this person cannot be erased by `by` (in the user's language), or "" when they can."""
    if person.pk == by.pk:
        return _("You cannot erase yourself.")
    if person.is_active:
        return _("Only a person who has left can be erased. Deactivate their account first.")
    return ""


def _erase_data(person: "User") -> dict[str, int]:
    """Apply every app's rule to the person's data (delete, scrub, keep) and remove the free texts of their
    statements; return how many rows of each part there were. The account itself is anonymized by the caller."""
    from kizuna.records.privacy import statements_free_text_erase

    from .selectors import erasure_preview

    summary = {row["name"]: row["count"] for row in erasure_preview(person=person)}
    free_texts = []
    for contribution in contributions():
        if contribution.erase:
            contribution.erase(person)
        for part in contribution.parts:
            if part.erasure == Erasure.DELETE:
                part.rows(person).delete()
            elif part.erasure == Erasure.SCRUB and part.scrub:
                part.rows(person).update(**part.scrub)
        if contribution.free_text_statements:
            free_texts.append(contribution.free_text_statements())
    if free_texts:
        summary["statements_free_text_removed"] = statements_free_text_erase(
            actor=person, where=reduce(or_, free_texts, Q(pk__in=[]))
        )
    return summary


def person_erase_after_retention(*, person: "User", days: int) -> dict[str, int]:
    """The agreement's retention period of a departed rep ran out: their data goes by the same rules as an erasure
    on request (directory record, sign-in addresses and SSO links deleted, free texts and media scrubbed, figures
    kept under the anonymous id), then the account is anonymized. Recorded on the audit trail, without a name."""
    membership = membership_of(person)
    with transaction.atomic():
        summary = _erase_data(person)
        audit_record(
            action=Action.PERSON_ERASE,
            target=person,
            target_label=str(person.public_id),
            organization_id=membership.organization_id if membership else None,
            after={"reason": "retention", "retention_days": days, "erased": summary},
        )
        person_anonymize(user=person)
    return summary


def person_erase(*, person: "User", by: "User", reason: str, confirmation: str) -> ErasureRecord:
    """Erase a departed person on request: every app's parts per its rule, free texts in their statements,
    then the account itself (anonymized); log who erased whom, when and why."""
    refusal = erasure_refusal(person=person, by=by)
    if refusal:
        raise PrivacyError(refusal)
    reason = reason.strip()
    if not reason:
        raise PrivacyError(_("Write why this person is erased (for example, their request and its date)."))
    if len(reason) > 2000:
        raise PrivacyError(_("The reason is too long (limit 2,000 characters)."))
    if confirmation.strip().lower() != person.email.lower():
        raise PrivacyError(_("The confirmation does not match. Type the person's e-mail address exactly."))
    membership = membership_of(person)
    with transaction.atomic():
        summary = _erase_data(person)
        record = ErasureRecord.objects.create(
            person=person,
            person_public_id=person.public_id,
            person_organization=membership.organization.name if membership else "",
            erased_by=by,
            erased_by_name=by.name or by.email,
            reason=reason,
            summary=summary,
        )
        audit_record(
            action=Action.PERSON_ERASE,
            actor=by,
            target=person,
            # Never the erased person's name or e-mail: only the id that stays.
            target_label=str(person.public_id),
            organization_id=membership.organization_id if membership else None,
            after={"reason": reason, "erased": summary},
        )
        person_anonymize(user=person)
    return record
