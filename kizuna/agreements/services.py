"""Writes of agreements: versions, acceptance, taking effect (sharing and re-planned assignments), anonymization."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.accounts.services import person_anonymize
from kizuna.catalog.models import Assignment, Course
from kizuna.catalog.services import CatalogError, assignment_create, assignment_update
from kizuna.notifications.services import notification_send, notifications_settle
from kizuna.ops.errors import ApplicationError
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.access import membership_of
from kizuna.orgs.models import Membership, Organization
from kizuna.orgs.sharing import partner_sharing_set

from .models import AgreementAssignment, AgreementCourse, AgreementVersion, DepartedRep
from .selectors import _tz, end_of_day, partner_managers, version_in_effect

if TYPE_CHECKING:
    from kizuna.accounts.models import User
else:
    User = get_user_model()
logger = logging.getLogger(__name__)
DEFAULT_RETENTION_DAYS = 90


class AgreementError(ApplicationError):
    """An agreement change that cannot be made; the message is shown to the user."""


@dataclass(frozen=True)
class CourseTerm:
    """One course of an agreement: required (with a due date) or optional."""

    course: Course
    required: bool
    due_on: date | None = None


def _today(now: datetime) -> date:
    return timezone.localdate(now, timezone=_tz())


def _check_courses(courses: list[CourseTerm], effective_from: date) -> None:
    seen: set[int] = set()
    for term in courses:
        if term.course.pk in seen:
            raise AgreementError(_("“%(title)s” is listed twice.") % {"title": term.course.title})
        seen.add(term.course.pk)
        if term.course.latest_version_id is None:
            raise AgreementError(_("“%(title)s” is not published yet.") % {"title": term.course.title})
        if term.required and term.due_on is None:
            raise AgreementError(_("Give the required course “%(title)s” a due date.") % {"title": term.course.title})
        if term.required and term.due_on is not None and term.due_on < effective_from:
            raise AgreementError(
                _("The due date of “%(title)s” is before the effective date.") % {"title": term.course.title}
            )


@transaction.atomic
def agreement_version_create(
    *,
    partner: Organization,
    created_by: User,
    effective_from: date,
    min_minutes_per_month: int,
    counts_as_work: bool,
    work_cap_minutes_per_month: int | None,
    evaluation_text: str,
    share_rankings: bool,
    share_reviews: bool,
    share_community: bool,
    manager_may_export: bool,
    retention_days: int,
    courses: list[CourseTerm],
    now: datetime | None = None,
) -> AgreementVersion:
    """Write a new version of a partner's agreement; it takes effect at once when its date has come."""
    now = now or timezone.now()
    if partner.kind != Organization.Kind.PARTNER:
        raise AgreementError(_("Agreements are made with partners."))
    m = membership_of(created_by)
    if m is None or not m.is_admin:
        raise AgreementError(_("Only a principal admin can write agreements."))
    previous = AgreementVersion.objects.select_for_update().filter(partner=partner).order_by("-number").first()
    if previous is not None and effective_from < previous.effective_from:
        raise AgreementError(
            _("The effective date cannot be before the previous version's (%(date)s).")
            % {"date": previous.effective_from.isoformat()}
        )
    if min_minutes_per_month > 24 * 60 * 31 or retention_days > 3650:
        raise AgreementError(_("A figure is out of range."))
    if not counts_as_work:
        work_cap_minutes_per_month = None
    _check_courses(courses, effective_from)
    version = AgreementVersion.objects.create(
        partner=partner,
        number=(previous.number + 1) if previous else 1,
        effective_from=effective_from,
        min_minutes_per_month=min_minutes_per_month,
        counts_as_work=counts_as_work,
        work_cap_minutes_per_month=work_cap_minutes_per_month,
        evaluation_text=evaluation_text.strip(),
        share_rankings=share_rankings,
        share_reviews=share_reviews,
        share_community=share_community,
        manager_may_export=manager_may_export,
        retention_days=retention_days,
        created_by=created_by,
    )
    AgreementCourse.objects.bulk_create(
        [
            AgreementCourse(
                version=version, course=t.course, required=t.required, due_on=t.due_on if t.required else None
            )
            for t in courses
        ]
    )
    audit_record(
        action=Action.AGREEMENT_CREATE,
        actor=created_by,
        target=version,
        target_label=f"{partner.name} v{version.number}",
        organization_id=partner.pk,
        before=_terms(previous) if previous is not None else {},
        after=_terms(version),
    )
    if effective_from <= _today(now):
        agreement_version_apply(version=version, now=now)
    _ask_managers_to_accept(version)
    return version


_TERM_FIELDS = (
    "effective_from",
    "min_minutes_per_month",
    "counts_as_work",
    "work_cap_minutes_per_month",
    "share_rankings",
    "share_reviews",
    "share_community",
    "manager_may_export",
    "retention_days",
)


def _terms(version: AgreementVersion) -> dict[str, Any]:
    """A version's terms as the audit trail keeps them (its courses by slug, required or not, due when)."""
    terms: dict[str, Any] = {name: getattr(version, name) for name in _TERM_FIELDS}
    terms["courses"] = [
        [term.course.slug, term.required, term.due_on] for term in version.courses.select_related("course")
    ]
    return terms


def _ask_managers_to_accept(version: AgreementVersion) -> None:
    """Tell the agency's managers a version waits for them; its page shows what changed since the last one."""
    for manager in partner_managers(version.partner):
        notification_send(
            recipient=manager,
            kind="agreements.version",
            title=gettext_noop("Version %(number)s of the agreement is waiting for your acceptance"),
            body=gettext_noop("Its page shows what changed since the previous version and when it takes effect."),
            params={"number": version.number},
            url=reverse("agreements:agreement_version", kwargs={"agreement_version_id": version.pk}),
            dedupe_key=_acceptance_key(version),
        )


def _acceptance_key(version: AgreementVersion) -> str:
    return f"agreement-version:{version.pk}"


@transaction.atomic
def agreement_version_accept(*, version: AgreementVersion, manager: User, now: datetime | None = None) -> None:
    """Record that the partner's manager reviewed and accepted this version (who and when are kept)."""
    m = membership_of(manager)
    if m is None or m.role != Membership.Role.MANAGER or m.organization_id != version.partner_id:
        raise AgreementError(_("Only the partner's manager can accept its agreement."))
    locked = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if locked.accepted_at is not None:
        raise AgreementError(_("This version has already been accepted."))
    locked.accepted_by, locked.accepted_by_name, locked.accepted_at = manager, manager.name, now or timezone.now()
    locked.save(update_fields=["accepted_by", "accepted_by_name", "accepted_at"])
    version.accepted_by, version.accepted_by_name, version.accepted_at = (
        locked.accepted_by,
        locked.accepted_by_name,
        locked.accepted_at,
    )
    audit_record(
        action=Action.AGREEMENT_ACCEPT,
        actor=manager,
        target=version,
        target_label=f"{version.partner.name} v{version.number}",
        organization_id=version.partner_id,
        after={"accepted_at": locked.accepted_at},
    )
    # The request to accept is done, for every manager of the agency: the bell must not keep asking.
    notifications_settle(dedupe_key=_acceptance_key(version))


def _assigner(version: AgreementVersion) -> User:
    """Who the assignments of a version are made by: its writer, or any admin if that account is gone."""
    if version.created_by is not None:
        return version.created_by
    # Admins cannot demote or deactivate themselves, so an active admin always remains: never None here.
    return User.objects.filter(membership__role=Membership.Role.ADMIN, is_active=True).order_by("pk").first()  # type: ignore[return-value]


def _assign(*, version: AgreementVersion, course: Course, required: bool, due_on: date | None) -> Assignment:
    try:
        return assignment_create(
            course=course,
            assigned_by=_assigner(version),
            required=required,
            due_at=end_of_day(due_on) if required and due_on else None,
            partner=version.partner,
        )
    except CatalogError as exc:
        raise AgreementError(str(exc)) from None


@transaction.atomic
def agreement_version_apply(*, version: AgreementVersion, now: datetime | None = None) -> None:
    """Make a version take effect: set what the partner shares across agencies and re-plan its assignments.

    Courses new to the agreement are assigned; courses whose terms changed are assigned again with the new
    terms (required or not, the new due date); courses the agreement no longer lists stay assigned but are no
    longer required. Assignments not made by an agreement are left alone. Applying twice changes nothing.
    """
    now = now or timezone.now()
    locked = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if locked.applied_at is not None:
        return
    partner = version.partner
    partner_sharing_set(
        partner=partner,
        rankings=version.share_rankings,
        reviews=version.share_reviews,
        community=version.share_community,
    )
    # Only the link rows are locked: PostgreSQL cannot lock the nullable side of the outer join.
    links = {
        link.course_id: link
        for link in AgreementAssignment.objects.select_for_update(of=("self",))
        .filter(partner=partner)
        .select_related("assignment")
    }
    wanted = {term.course_id: term for term in version.courses.select_related("course")}
    for course_id, term in wanted.items():
        link = links.get(course_id)
        current = link.assignment if link else None
        due_at = end_of_day(term.due_on) if term.required and term.due_on else None
        if link is not None and current is not None and current.required == term.required and current.due_at == due_at:
            AgreementAssignment.objects.filter(pk=link.pk).update(version=version)
            continue
        if current is not None:
            new = assignment_update(
                assignment=current, assigned_by=_assigner(version), required=term.required, due_at=due_at
            )
        else:
            new = _assign(version=version, course=term.course, required=term.required, due_on=term.due_on)
        AgreementAssignment.objects.update_or_create(
            partner=partner, course_id=course_id, defaults={"assignment": new, "version": version}
        )
    for course_id, link in links.items():
        if course_id in wanted:
            continue
        current = link.assignment
        if current is not None and current.required:
            assignment_update(assignment=current, assigned_by=_assigner(version), required=False, due_at=None)
        AgreementAssignment.objects.filter(pk=link.pk).update(version=version)
    # Older versions that never took effect are superseded by this one.
    AgreementVersion.objects.filter(partner=partner, number__lt=version.number, applied_at__isnull=True).update(
        applied_at=now
    )
    locked.applied_at = now
    locked.save(update_fields=["applied_at"])
    version.applied_at = now


def agreements_apply_due(*, now: datetime | None = None) -> int:
    """Daily: make the versions whose effective date has come take effect; return how many did."""
    now = now or timezone.now()
    today = _today(now)
    applied = 0
    for partner in Organization.objects.filter(kind=Organization.Kind.PARTNER):
        version = version_in_effect(partner, today)
        if version is not None and version.applied_at is None:
            version.partner = partner
            try:
                agreement_version_apply(version=version, now=now)
            except AgreementError:
                # One partner's problem must not stop the others; the next run tries again.
                logger.exception("agreement version %s of partner %s could not take effect", version.pk, partner.pk)
                continue
            applied += 1
    return applied


# What happens to a departed rep's data when the retention period runs out: the privacy app registers its
# erasure (every app's rule, then the account anonymized); without it, the account alone is anonymized.
_retention_erasers: list[Callable[..., Any]] = []


def register_retention_eraser(eraser: Callable[..., Any]) -> None:
    """Called once by the privacy app: ``eraser(person=…, days=…)`` erases a rep whose retention ran out."""
    if eraser not in _retention_erasers:
        _retention_erasers.append(eraser)


def departure_note(*, user: Any, left: bool, now: datetime | None = None) -> None:
    """A partner's rep was deactivated (``left``) or reactivated: start (or stop) the agreement's retention clock
    at this moment. The daily job still notes reps it finds inactive without a note (deactivated before)."""
    membership = membership_of(user)
    if left:
        if (
            membership is not None
            and membership.role == Membership.Role.REP
            and membership.organization.kind == Organization.Kind.PARTNER
        ):
            DepartedRep.objects.get_or_create(
                user=user,
                defaults={"partner_id": membership.organization_id, "departed_at": now or timezone.now()},
            )
    else:
        # Back before being anonymized: if they leave again, the period starts again from zero.
        DepartedRep.objects.filter(user=user, anonymized_at__isnull=True).delete()


def departed_reps_anonymize(*, now: datetime | None = None) -> int:
    """Daily: note reps who left (deactivated), and anonymize those kept longer than their agreement allows.

    The retention period counts from the deactivation (``departure_note``; for reps deactivated before it was
    noted, from the first day this job saw them inactive). Their data then goes by every app's erasure rule
    (the privacy app's eraser): name and e-mail replaced, directory records and sign-in addresses deleted, free
    texts and media scrubbed; statements and figures stay, tied only to the opaque id. Returns how many.
    """
    now = now or timezone.now()
    departed = Membership.objects.filter(
        role=Membership.Role.REP, user__is_active=False, organization__kind=Organization.Kind.PARTNER
    ).values_list("user_id", "organization_id")
    known = set(DepartedRep.objects.values_list("user_id", flat=True))
    DepartedRep.objects.bulk_create(
        [DepartedRep(user_id=u, partner_id=p, departed_at=now) for u, p in departed if u not in known]
    )
    # Reps who came back before being anonymized start again from zero if they leave later.
    DepartedRep.objects.filter(anonymized_at__isnull=True, user__is_active=True).delete()
    today = _today(now)
    anonymized = 0
    for record in DepartedRep.objects.filter(anonymized_at__isnull=True).select_related("user"):
        version = version_in_effect(record.partner_id, today)
        days = version.retention_days if version else DEFAULT_RETENTION_DAYS
        if record.departed_at + timedelta(days=days) > now:
            continue
        with transaction.atomic():
            if _retention_erasers:
                for eraser in _retention_erasers:
                    eraser(person=record.user, days=days)
            else:
                person_anonymize(user=record.user)
            record.anonymized_at = now
            record.save(update_fields=["anonymized_at"])
        anonymized += 1
    return anonymized
