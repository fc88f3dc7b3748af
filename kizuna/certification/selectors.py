"""Reads of certifications: who may see which, a rep's progress, an agency's holders, entitlements, webhooks."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.notifications.subjects import SubjectState
from kizuna.orgs.access import can_manage_people, membership_of, visible_reps

from .definitions import _definitions, _matches, outcome_for
from .models import (
    Certification,
    CertificationEvent,
    Entitlement,
    Evidence,
    Holding,
    Reopening,
    Requirement,
    WebhookDelivery,
    WebhookEndpoint,
)

if TYPE_CHECKING:
    from kizuna.accounts.models import User

Status = Holding.Status


def can_manage_certifications(user: "User") -> bool:
    return can_manage_people(user)


def certifications_applying_to(partner_id: int) -> QuerySet[Certification]:
    """Return the active certifications an agency's reps may earn (those for every agency, or for this one)."""
    return Certification.objects.filter(active=True).filter(Q(partners=None) | Q(partners=partner_id)).distinct()


def certifications_for_user(user: "User") -> QuerySet[Certification]:
    """Return the certifications this person may see: all for principal staff, their agency's for others."""
    m = membership_of(user)
    if m is None:
        return Certification.objects.none()
    if m.is_principal_staff:
        return Certification.objects.all()
    return certifications_applying_to(m.organization_id)


def access_certification_for_user(user: "User", certification_id: int) -> Certification:
    try:
        return (
            certifications_for_user(user)
            .select_related("product")
            .prefetch_related("entitlements", "partners")
            .get(pk=certification_id)
        )
    except (Certification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_requirement_for_user(user: "User", certification: Certification, requirement_id: int) -> Requirement:
    if not can_manage_certifications(user):
        raise Http404
    try:
        return certification.requirements.get(pk=requirement_id)
    except (Requirement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def certification_requirements(certification: Certification) -> list[Requirement]:
    return list(certification.requirements.select_related("course").order_by("kind", "id"))


def certification_reopenings(certification: Certification) -> QuerySet[Reopening]:
    return certification.reopenings.select_related("reopened_by")


def entitlements_all() -> QuerySet[Entitlement]:
    return Entitlement.objects.prefetch_related("certifications")


# --- A rep's progress ---------------------------------------------------------------------------


@dataclass
class RequirementProgress:
    requirement: Requirement
    met: bool
    met_at: datetime | None
    # Course: lessons done and total of its latest version; quiz: best score in %; roleplay: passed.
    done: int = 0
    total: int = 0
    best_score: int | None = None
    changed: bool = False

    @property
    def percent(self) -> int:
        if self.met:
            return 100
        if self.requirement.kind == Requirement.Kind.COURSE:
            return round(100 * self.done / self.total) if self.total else 0
        if self.requirement.kind == Requirement.Kind.QUIZ and self.best_score is not None:
            target = self.requirement.min_score or 100
            return min(99, round(100 * self.best_score / target)) if target else 0
        return 0


@dataclass
class RepCertification:
    certification: Certification
    status: str
    certified_at: datetime | None
    expires_at: datetime | None
    renewing: bool
    requirements: list[RequirementProgress]
    expiring_soon: bool = False

    @property
    def met(self) -> int:
        return sum(1 for r in self.requirements if r.met)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def _latest_version_ids(requirements: list[Requirement]) -> dict[int, int]:
    return {
        r.course_id: r.course.latest_version_id
        for r in requirements
        if r.course_id and r.course is not None and r.course.latest_version_id
    }


def rep_certifications(
    rep: "User", *, certification: Certification | None = None, now: datetime | None = None
) -> list[RepCertification]:
    """Return the rep's standing and progress toward each requirement of each certification they may earn."""
    from kizuna.catalog.selectors import version_lesson_count

    now = now or timezone.now()
    m = membership_of(rep)
    if m is None or not m.is_rep:
        return []
    certs = [certification] if certification is not None else list(certifications_applying_to(m.organization_id))
    definitions = _definitions(certs)
    requirements = {r.pk: r for r in Requirement.objects.filter(certification__in=certs).select_related("course")}
    latest = _latest_version_ids(list(requirements.values()))
    counts = {v: version_lesson_count(version_id=v) for v in set(latest.values())}
    evidence = list(Evidence.objects.filter(rep=rep).order_by("at", "id"))
    cards = []
    for definition in (d.for_rep(rep.pk) for d in definitions):
        relevant = [ev for ev in evidence if any(_matches(r, ev) for r in definition.reqs)]
        outcome = outcome_for(definition, relevant, now=now)
        progress = []
        for req in definition.reqs:
            requirement = requirements[req.id]
            met_at = outcome.met.get(req.id)
            item = RequirementProgress(
                requirement=requirement, met=met_at is not None, met_at=met_at, changed=req.changed_at is not None
            )
            mine = [ev for ev in relevant if _matches(req, ev)]
            if req.kind == Requirement.Kind.COURSE:
                version_id = latest.get(req.course_id or 0)
                item.total = counts.get(version_id or 0, 0)
                item.done = len({ev.lesson_id for ev in mine if ev.version_id == version_id and ev.kind == "lesson"})
            elif req.kind == Requirement.Kind.QUIZ:
                scores = [ev.score for ev in mine if ev.score is not None]
                item.best_score = round(max(scores) * 100) if scores else None
            progress.append(item)
        expiring = bool(
            outcome.status == Status.CERTIFIED
            and outcome.expires_at
            and (outcome.expires_at - now).days < definition.certification.reminder_days
        )
        cards.append(
            RepCertification(
                certification=definition.certification,
                status=outcome.status,
                certified_at=outcome.certified_at,
                expires_at=outcome.expires_at,
                renewing=outcome.renewing,
                requirements=progress,
                expiring_soon=expiring,
            )
        )
    return cards


# --- An agency's holders --------------------------------------------------------------------


@dataclass
class HolderRow:
    rep: "User"
    cells: list[Holding | None]


def partner_holders(user: "User", *, partner_id: int) -> tuple[list[Certification], list[HolderRow]]:
    """Return the agency's certifications and one row per visible rep with their holding of each (3 queries)."""
    certs = list(certifications_applying_to(partner_id).order_by("name"))
    reps = list(
        visible_reps(user)
        .filter(membership__organization_id=partner_id)
        .select_related("membership__team")
        .order_by("name", "pk")
    )
    holdings = {
        (h.rep_id, h.certification_id): h
        for h in Holding.objects.filter(rep__in=[r.pk for r in reps], certification__in=certs)
    }
    return certs, [HolderRow(rep=rep, cells=[holdings.get((rep.pk, c.pk)) for c in certs]) for rep in reps]


def certification_holders(user: "User", certification: Certification) -> list[Holding]:
    """Return the holdings of this certification among the reps the person may see."""
    return list(
        Holding.objects.filter(certification=certification, rep__in=visible_reps(user))
        .select_related("rep", "partner")
        .order_by("status", "rep__name")
    )


def certification_counts(certifications: list[Certification], *, partner_id: int | None = None) -> dict[int, int]:
    """Return certification id → how many reps hold it now (optionally in one agency)."""
    from django.db.models import Count

    holdings = Holding.objects.filter(certification__in=certifications, status=Status.CERTIFIED)
    if partner_id is not None:
        holdings = holdings.filter(partner_id=partner_id)
    return dict(holdings.values("certification_id").annotate(n=Count("id")).values_list("certification_id", "n"))


# --- Entitlements: what a rep or an agency may do now ----------------------------------------------


def _held_now(holdings: QuerySet[Holding], now: datetime) -> QuerySet[Holding]:
    return holdings.filter(status=Status.CERTIFIED).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def entitlements_by_rep(rep_ids: list[int], *, now: datetime | None = None) -> dict[int, list[dict[str, Any]]]:
    """Return rep id → the entitlements they hold now, each with the certification granting it and its expiry."""
    now = now or timezone.now()
    out: dict[int, list[dict[str, Any]]] = {pk: [] for pk in rep_ids}
    holdings = _held_now(Holding.objects.filter(rep_id__in=rep_ids), now).select_related("certification")
    holdings = holdings.prefetch_related("certification__entitlements").order_by("rep_id", "certification__name")
    for h in holdings:
        for entitlement in h.certification.entitlements.all():
            out[h.rep_id].append(
                {
                    "code": entitlement.code,
                    "name": entitlement.name,
                    "certification": {"slug": h.certification.slug, "name": h.certification.name},
                    "since": h.certified_at,
                    "expires_at": h.expires_at,
                }
            )
    return out


def rep_for_lookup(user: "User", value: str) -> "User":
    """Return the rep named by public id or e-mail among those the person may see, or 404."""
    import uuid

    reps = visible_reps(user).select_related("membership__organization")
    try:
        found = reps.filter(public_id=uuid.UUID(value)).first()
    except ValueError:
        found = reps.filter(email__iexact=value.strip()).first()
    if found is None:
        raise Http404
    return found


def certification_events(
    *, partner_id: int, start: datetime, end: datetime, kinds: list[str], rep_id: int | None = None
) -> list[CertificationEvent]:
    """Return an agency's certification events in [start, end), optionally one rep's (for incentive statements)."""
    events = CertificationEvent.objects.filter(partner_id=partner_id, kind__in=kinds, at__gte=start, at__lt=end)
    if rep_id is not None:
        events = events.filter(rep_id=rep_id)
    return list(events.select_related("rep", "certification").order_by("at", "id"))


def certification_choices() -> list[tuple[int, str]]:
    return list(Certification.objects.filter(active=True).order_by("name").values_list("id", "name"))


# --- Webhooks ---------------------------------------------------------------------------------


def webhook_endpoints(user: "User") -> QuerySet[WebhookEndpoint]:
    if not can_manage_certifications(user):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.all()


def access_endpoint_for_user(user: "User", endpoint_id: int) -> WebhookEndpoint:
    try:
        return webhook_endpoints(user).get(pk=endpoint_id)
    except (WebhookEndpoint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def endpoint_deliveries(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return endpoint.deliveries.prefetch_related("attempt_log").order_by("-created_at", "-id")


def access_delivery_for_user(user: "User", endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    if not can_manage_certifications(user):
        raise Http404
    try:
        return endpoint.deliveries.select_related("endpoint").get(pk=delivery_id)
    except (WebhookDelivery.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def rep_held_certifications(rep: "User", *, now: datetime | None = None) -> list[Holding]:
    """Return the certifications the rep holds now, soonest expiry first (one query; for the home and profile)."""
    now = now or timezone.now()
    held = _held_now(Holding.objects.filter(rep=rep), now).select_related("certification")
    return sorted(held, key=lambda h: (h.expires_at is None, h.expires_at or now, h.certification.name))


def certification_states(user: "User", certification_ids: Collection[int]) -> dict[int, SubjectState]:
    """Return this rep's standing in these certifications now and when it last changed (for the notification
    list: a "you are certified" followed by a reopening shows that the certification is now suspended)."""
    changed = dict(
        CertificationEvent.objects.filter(rep=user, certification_id__in=certification_ids)
        .values("certification_id")
        .annotate(last=Max("at"))
        .values_list("certification_id", "last")
    )
    states = {}
    for holding in Holding.objects.filter(rep=user, certification_id__in=list(changed)):
        label = _("Now: %(status)s (%(met)s of %(total)s requirements met)") % {
            "status": Status(holding.status).label,
            "met": holding.met,
            "total": holding.total,
        }
        states[holding.certification_id] = SubjectState(label=label, changed_at=changed[holding.certification_id])
    return states


def certifications_for_product(product_id: int) -> QuerySet[Certification]:
    """Return the active certifications about this product, with their requirements (a product change may reopen them)."""
    return Certification.objects.filter(active=True, product_id=product_id).prefetch_related("requirements")
