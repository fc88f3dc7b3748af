"""Writes of certifications: definitions, reopening, evaluating reps (with the events that follow); webhooks are in `webhooks`."""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.ops.trail import Action, audit_record, changed_fields
from kizuna.orgs.access import Role
from kizuna.records.services import Activity, statement_record

from . import evaluation, vocab
from .definitions import Definition, _definitions, _matches, outcome_for
from .errors import CertificationError
from .models import (
    Certification,
    CertificationEvent,
    Entitlement,
    EntitlementEvent,
    Evidence,
    Holding,
    Reopening,
    Requirement,
    RequirementRep,
)
from .webhooks import webhook_event_publish

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import Course, Product
    from kizuna.orgs.models import Organization

Status = Holding.Status


# --- Definitions -----------------------------------------------------------------------------


def entitlement_create(*, code: str, name: str, description: str = "") -> Entitlement:
    """Add an entitlement the sales systems will be told about."""
    if Entitlement.objects.filter(code=code).exists():
        raise CertificationError(_("An entitlement with this code exists already. Choose another code."))
    return Entitlement.objects.create(code=code, name=name.strip(), description=description.strip())


def _check_validity(validity_days: int | None, reminder_days: int) -> None:
    if validity_days is not None and validity_days < 1:
        raise CertificationError(_("The validity must be at least one day, or left empty for no expiry."))
    if validity_days is not None and reminder_days >= validity_days:
        raise CertificationError(_("Reminders must start fewer days before expiry than the validity period."))


def certification_create(
    *,
    slug: str,
    name: str,
    created_by: "User",
    description: str = "",
    product: "Product | None" = None,
    skill: str = "",
    validity_days: int | None = None,
    reminder_days: int = 30,
    entitlements: Iterable[Entitlement] = (),
    partners: Iterable["Organization"] = (),
) -> Certification:
    """Define a certification; it has no requirements yet, so nobody holds it until some are added."""
    _check_validity(validity_days, reminder_days)
    if Certification.objects.filter(slug=slug).exists():
        raise CertificationError(_("A certification with this code exists already. Choose another code."))
    with transaction.atomic():
        cert = Certification.objects.create(
            slug=slug,
            name=name.strip(),
            description=description.strip(),
            product=product,
            skill=skill.strip(),
            validity_days=validity_days,
            reminder_days=reminder_days,
            created_by=created_by,
        )
        cert.entitlements.set(list(entitlements))
        cert.partners.set(list(partners))
        audit_record(
            action=Action.CERTIFICATION_CREATE,
            actor=created_by,
            target=cert,
            target_label=cert.name,
            after=_certification_state(cert),
        )
    return cert


def _certification_state(cert: Certification) -> dict[str, Any]:
    """A certification's settings as the audit trail keeps them."""
    return {
        "name": cert.name,
        "product": cert.product_id,
        "skill": cert.skill,
        "validity_days": cert.validity_days,
        "reminder_days": cert.reminder_days,
        "entitlements": sorted(e.code for e in cert.entitlements.all()),
        "partners": sorted(p.slug for p in cert.partners.all()),
    }


def certification_update(
    *,
    certification: Certification,
    name: str,
    description: str = "",
    product: "Product | None" = None,
    skill: str = "",
    validity_days: int | None = None,
    reminder_days: int = 30,
    entitlements: Iterable[Entitlement] = (),
    partners: Iterable["Organization"] = (),
    now: datetime | None = None,
) -> Certification:
    """Change a certification's settings; holders are evaluated again (a shorter validity can expire them)."""
    _check_validity(validity_days, reminder_days)
    before = _certification_state(certification)
    with transaction.atomic():
        certification.name = name.strip()
        certification.description = description.strip()
        certification.product = product
        certification.skill = skill.strip()
        certification.validity_days = validity_days
        certification.reminder_days = reminder_days
        certification.save()
        certification.entitlements.set(list(entitlements))
        certification.partners.set(list(partners))
        old, new = changed_fields(before, _certification_state(certification))
        if new:
            audit_record(
                action=Action.CERTIFICATION_UPDATE,
                target=certification,
                target_label=certification.name,
                before=old,
                after=new,
            )
        certification_refresh(certification=certification, now=now)
    return certification


def requirement_add(
    *,
    certification: Certification,
    kind: str,
    label: str,
    course: "Course | None" = None,
    quiz_key: Any = None,
    roleplay_id: int | None = None,
    roleplay_iri: str = "",
    min_score: int = 0,
    targeted: bool = False,
    now: datetime | None = None,
) -> Requirement:
    """Add a requirement; reps whose evidence already meets every requirement are certified at once.

    `targeted`: it applies to no one until given to reps one by one (`requirement_give`: an experiment's waves)."""
    spec = {"kind": kind, "label": label, "course": course, "quiz_key": quiz_key}
    spec |= {"roleplay_id": roleplay_id, "roleplay_iri": roleplay_iri, "min_score": min_score, "targeted": targeted}
    return requirements_add(certification=certification, requirements=[spec], now=now)[0]


def requirements_add(
    *, certification: Certification, requirements: Iterable[dict[str, Any]], now: datetime | None = None
) -> list[Requirement]:
    """Add several requirements (each the keyword arguments of requirement_add) and evaluate reps once.

    Adding them one by one would certify whoever meets the first and then take it back when the next
    arrives ("you are certified", then "redo the changed requirements"): a certification being set up
    is judged on all its requirements together.
    """
    with transaction.atomic():
        made = [_requirement_create(certification=certification, **spec) for spec in requirements]
        audit_record(
            action=Action.CERTIFICATION_UPDATE,
            target=certification,
            target_label=certification.name,
            after={"requirements_added": [_requirement_state(r) for r in made]},
        )
        certification_refresh(certification=certification, now=now)
    return made


def requirement_give(*, requirement: Requirement, rep: "User", by: "User | None" = None) -> RequirementRep:
    """Make a targeted requirement apply to one rep from now (their certification is judged again with it)."""
    from kizuna.orgs.access import membership_of

    if not requirement.targeted:
        raise CertificationError(_("This requirement applies to everyone already."))
    m = membership_of(rep)
    if m is None or not m.is_rep or not rep.is_active:
        raise CertificationError(_("Only an active rep can be given a requirement."))
    with transaction.atomic():
        given, created = RequirementRep.objects.get_or_create(
            requirement=requirement, rep=rep, defaults={"added_by": by}
        )
        if created:
            (definition,) = _definitions([requirement.certification])
            holdings_evaluate(rep_id=rep.pk, partner_id=m.organization_id, definitions=[definition])
            audit_record(  # given to one rep, like an assignment: on the trail of the rep's agency
                action=Action.ASSIGNMENT_CREATE,
                actor=by,
                target=given,
                target_label=f"{requirement.certification.name} → {rep}",
                organization_id=m.organization_id,
                after={
                    "certification": requirement.certification.name,
                    "requirement": str(requirement),
                    "to": str(rep),
                },
            )
    return given


def _requirement_state(requirement: Requirement) -> dict[str, Any]:
    return {"kind": requirement.kind, "label": requirement.label, "min_score": requirement.min_score}


def _requirement_create(
    *,
    certification: Certification,
    kind: str,
    label: str,
    course: "Course | None" = None,
    quiz_key: Any = None,
    roleplay_id: int | None = None,
    roleplay_iri: str = "",
    min_score: int = 0,
    targeted: bool = False,
) -> Requirement:
    if kind == Requirement.Kind.COURSE and course is None:
        raise CertificationError(_("Choose the course to finish."))
    if kind == Requirement.Kind.QUIZ and quiz_key is None:
        raise CertificationError(_("Choose the quiz."))
    if kind == Requirement.Kind.ROLEPLAY and roleplay_id is None:
        raise CertificationError(_("Choose the roleplay."))
    if not 0 <= min_score <= 100:
        raise CertificationError(_("The minimum score is a percentage from 0 to 100."))
    return Requirement.objects.create(
        certification=certification,
        kind=kind,
        label=label[:200],
        course=course if kind == Requirement.Kind.COURSE else None,
        quiz_key=quiz_key if kind == Requirement.Kind.QUIZ else None,
        roleplay_id=roleplay_id if kind == Requirement.Kind.ROLEPLAY else None,
        roleplay_iri=roleplay_iri[:500] if kind == Requirement.Kind.ROLEPLAY else "",
        min_score=min_score if kind == Requirement.Kind.QUIZ else 0,
        changed_in_version=certification.version,
        targeted=targeted,
    )


def requirement_remove(*, requirement: Requirement, now: datetime | None = None) -> None:
    with transaction.atomic():
        certification = requirement.certification
        audit_record(
            action=Action.CERTIFICATION_UPDATE,
            target=certification,
            target_label=certification.name,
            before={"requirement_removed": _requirement_state(requirement)},
        )
        requirement.delete()
        certification_refresh(certification=certification, now=now)


def certification_reopen(
    *,
    certification: Certification,
    requirements: Iterable[Requirement],
    reason: str,
    reopened_by: "User",
    now: datetime | None = None,
) -> Reopening:
    """Open a new version: holders must redo the named requirements; their entitlements are suspended until then."""
    now = now or timezone.now()
    chosen = [r for r in requirements if r.certification_id == certification.pk]
    if not chosen:
        raise CertificationError(_("Choose at least one requirement that changed."))
    if not reason.strip():
        raise CertificationError(_("Say what changed, so that reps know what to redo."))
    with transaction.atomic():
        certification.version += 1
        certification.save(update_fields=["version"])
        Requirement.objects.filter(pk__in=[r.pk for r in chosen]).update(
            changed_at=now, changed_in_version=certification.version
        )
        reopening = Reopening.objects.create(
            certification=certification,
            version=certification.version,
            reason=reason.strip(),
            requirement_labels=[r.label for r in chosen],
            reopened_at=now,
            reopened_by=reopened_by,
        )
        audit_record(
            action=Action.CERTIFICATION_REOPEN,
            actor=reopened_by,
            target=certification,
            target_label=certification.name,
            before={"version": certification.version - 1},
            after={"version": certification.version, "reason": reason.strip(), "redo": [r.label for r in chosen]},
        )
        certification_refresh(certification=certification, now=now)
    return reopening


# --- Evaluation --------------------------------------------------------------------------------


def _holding_values(definition: Definition, outcome: evaluation.Outcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "certified_at": outcome.certified_at,
        "expires_at": outcome.expires_at,
        "version": definition.certification.version,
        "met": outcome.met_count,
        "total": len(definition.reqs),
    }


def _rep_partners(rep_ids: Iterable[int]) -> dict[int, int | None]:
    rows = get_user_model().objects.filter(pk__in=list(rep_ids), membership__role=Role.REP)
    return dict(rows.values_list("pk", "membership__organization_id"))


def holdings_evaluate(
    *, rep_id: int, partner_id: int | None, definitions: list[Definition], now: datetime | None = None
) -> list[Holding]:
    """Evaluate one rep against some certifications; record and send whatever changed."""
    now = now or timezone.now()
    evidence = list(Evidence.objects.filter(rep_id=rep_id).order_by("at", "id"))
    changed = []
    for definition in (d.for_rep(rep_id) for d in definitions):
        if not definition.applies_to(partner_id):
            continue
        relevant = [ev for ev in evidence if any(_matches(r, ev) for r in definition.reqs)]
        holding = (
            Holding.objects.select_for_update()
            .filter(rep_id=rep_id, certification_id=definition.certification.pk)
            .first()
        )
        if holding is None and not relevant:
            continue
        outcome = outcome_for(definition, relevant, now=now)
        values = _holding_values(definition, outcome)
        before_status = holding.status if holding else Status.IN_PROGRESS
        before_certified = holding.certified_at if holding else None
        if holding is None:
            holding = Holding(rep_id=rep_id, certification=definition.certification, partner_id=partner_id, **values)
        else:
            for name, value in values.items():
                setattr(holding, name, value)
            holding.partner_id = partner_id
        holding.save()
        _transition(holding, definition, before_status, before_certified, now=now)
        changed.append(holding)
    return changed


def holdings_evaluate_for_evidence(*, evidence: Evidence, partner_id: int | None) -> None:
    """Re-evaluate the rep for the certifications that name this evidence's course, quiz or roleplay."""
    if evidence.kind in (Evidence.Kind.LESSON, Evidence.Kind.COURSE):
        match = Q(kind=Requirement.Kind.COURSE, course_id=evidence.course_id)
    elif evidence.kind == Evidence.Kind.QUIZ:
        match = Q(kind=Requirement.Kind.QUIZ, quiz_key=evidence.ref)
    else:
        match = Q(kind=Requirement.Kind.ROLEPLAY)
    cert_ids = set(
        Requirement.objects.filter(match, certification__active=True).values_list("certification_id", flat=True)
    )
    if not cert_ids:
        return
    definitions = _definitions(Certification.objects.filter(pk__in=cert_ids))
    holdings_evaluate(rep_id=evidence.rep_id, partner_id=partner_id, definitions=definitions)


def _candidate_reps(definition: Definition) -> set[int]:
    reps = set(Holding.objects.filter(certification=definition.certification).values_list("rep_id", flat=True))
    for req in definition.reqs:
        if req.kind == evaluation.COURSE:
            q = Q(kind__in=[Evidence.Kind.LESSON, Evidence.Kind.COURSE], course_id=req.course_id)
        elif req.kind == evaluation.QUIZ:
            q = Q(kind=Evidence.Kind.QUIZ, ref=req.quiz_key)
        else:
            q = Q(kind=Evidence.Kind.ROLEPLAY)
        reps |= set(Evidence.objects.filter(q).values_list("rep_id", flat=True).distinct())
    return reps


def certification_refresh(*, certification: Certification, now: datetime | None = None) -> int:
    """Evaluate every rep who holds or has evidence toward the certification; return how many were evaluated."""
    (definition,) = _definitions([certification])
    reps = _candidate_reps(definition)
    partners = _rep_partners(reps)
    for rep_id in sorted(reps):
        if rep_id in partners:
            holdings_evaluate(rep_id=rep_id, partner_id=partners[rep_id], definitions=[definition], now=now)
    return len(reps)


def holdings_derive(*, now: datetime, rep_ids: list[int] | None = None) -> int:
    """Derive every holding (or these reps') from the evidence, writing no events (the projection's rebuild)."""
    definitions = [d for d in _definitions(Certification.objects.filter(active=True)) if d.reqs]
    by_rep: dict[int, list[Evidence]] = {}
    course_ids = {r.course_id for d in definitions for r in d.reqs if r.kind == evaluation.COURSE}
    quiz_keys = {r.quiz_key for d in definitions for r in d.reqs if r.kind == evaluation.QUIZ}
    wanted = Q(kind__in=[Evidence.Kind.LESSON, Evidence.Kind.COURSE], course_id__in=course_ids)
    wanted |= Q(kind=Evidence.Kind.QUIZ, ref__in=quiz_keys)
    if any(r.kind == evaluation.ROLEPLAY for d in definitions for r in d.reqs):
        wanted |= Q(kind=Evidence.Kind.ROLEPLAY)
    evidence_rows = Evidence.objects.filter(wanted)
    if rep_ids is not None:
        evidence_rows = evidence_rows.filter(rep_id__in=rep_ids)
    for ev in evidence_rows.order_by("at", "id").iterator(chunk_size=5000):
        by_rep.setdefault(ev.rep_id, []).append(ev)
    partners = _rep_partners(by_rep)
    counts: dict[int, int] = {}
    rows = []
    for rep_id, evidence in by_rep.items():
        partner_id = partners.get(rep_id)
        for definition in (d.for_rep(rep_id) for d in definitions):
            if rep_id not in partners or not definition.applies_to(partner_id):
                continue
            relevant = [ev for ev in evidence if any(_matches(r, ev) for r in definition.reqs)]
            if not relevant:
                continue
            outcome = outcome_for(definition, relevant, now=now, lesson_counts=counts)
            rows.append(
                Holding(
                    rep_id=rep_id,
                    certification=definition.certification,
                    partner_id=partner_id,
                    **_holding_values(definition, outcome),
                )
            )
    Holding.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# --- Events: statements, the entitlement log, notifications and webhooks ----------------------


def _certification_activity(cert: Certification) -> Activity:
    return Activity(
        iri=f"{settings.SITE_URL}/xapi/activities/certification/{cert.key}",
        type=vocab.TYPE_CERTIFICATION,
        name={"ja-JP": cert.name},
    )


def _certification_event(holding: Holding, kind: str, at: datetime) -> CertificationEvent | None:
    cert = holding.certification
    event_id = uuid.uuid5(cert.key, f"{holding.rep_id}:{kind}:{at.isoformat()}")
    if CertificationEvent.objects.filter(event_id=event_id).exists():
        return None
    rep = get_user_model().objects.get(pk=holding.rep_id)
    statement_record(
        actor=rep,
        verb=vocab.VERB_OF_KIND[kind],
        activity=_certification_activity(cert),
        extensions={vocab.EXT_VERSION.iri: cert.version},
        statement_id=event_id,
        timestamp=at,
    )
    return CertificationEvent.objects.create(
        event_id=event_id,
        rep_id=holding.rep_id,
        partner_id=holding.partner_id,
        certification=cert,
        version=cert.version,
        kind=kind,
        at=at,
    )


def _held_elsewhere(holding: Holding, entitlement: Entitlement) -> bool:
    return (
        Holding.objects.filter(rep_id=holding.rep_id, status=Status.CERTIFIED, certification__entitlements=entitlement)
        .exclude(pk=holding.pk)
        .exists()
    )


def _entitlement_events(
    holding: Holding, definition: Definition, kind: str, at: datetime, source: Any, reason: str
) -> None:
    for entitlement in definition.entitlements:
        if kind != EntitlementEvent.Kind.GRANTED and _held_elsewhere(holding, entitlement):
            continue
        event = EntitlementEvent.objects.create(
            event_id=uuid.uuid5(source.event_id, entitlement.code),
            rep_id=holding.rep_id,
            partner_id=holding.partner_id,
            entitlement=entitlement,
            certification=definition.certification,
            kind=kind,
            reason=reason,
            at=at,
        )
        webhook_event_publish(event=event, expires_at=holding.expires_at)


NOTIFICATION_SUBJECT = "certification.certification"


def _notify(holding: Holding, title: str, kind: str, at: datetime, dedupe: str | None = None) -> None:
    from kizuna.notifications.services import notification_send

    rep = get_user_model().objects.get(pk=holding.rep_id)
    notification_send(
        recipient=rep,
        kind=f"certification.{kind}",
        title=title,
        params={"name": holding.certification.name},
        url=reverse("certification:certification_detail", args=[holding.certification_id]),
        dedupe_key=dedupe,
        # Dated as the event, so the list can tell when the rep's standing changed after it.
        subject=(NOTIFICATION_SUBJECT, holding.certification_id),
        at=at,
    )


def _transition(
    holding: Holding, definition: Definition, before: str, before_certified: datetime | None, *, now: datetime
) -> None:
    after = holding.status
    was_held = before == Status.CERTIFIED
    if after == Status.CERTIFIED:
        if was_held and before_certified == holding.certified_at:
            return
        if was_held or before == Status.EXPIRED:
            kind, at = CertificationEvent.Kind.RENEWED, holding.certified_at
        elif before == Status.SUSPENDED:
            kind, at = CertificationEvent.Kind.RESTORED, now
        else:
            kind, at = CertificationEvent.Kind.EARNED, holding.certified_at
        event = _certification_event(holding, kind, at or now)
        if event is not None:
            _holding_record(holding, definition, Action.CERTIFICATION_GRANT, before=before, why=kind)
            _entitlement_events(holding, definition, EntitlementEvent.Kind.GRANTED, event.at, event, kind)
            _notify(holding, gettext_noop("You are certified: %(name)s"), kind, event.at)
        return
    if after == Status.EXPIRED:
        if before in (Status.IN_PROGRESS, Status.SUSPENDED) and holding.certified_at:
            # Earned and already past its validity (history replayed late): both events, in order.
            _certification_event(holding, CertificationEvent.Kind.EARNED, holding.certified_at)
        elif before == Status.EXPIRED:
            return
        event = _certification_event(holding, CertificationEvent.Kind.EXPIRED, holding.expires_at or now)
        if event is not None and was_held:
            _holding_record(holding, definition, Action.CERTIFICATION_EXPIRE, before=before, why="expired")
            _entitlement_events(holding, definition, EntitlementEvent.Kind.EXPIRED, event.at, event, "expired")
            _notify(holding, gettext_noop("Your certification has expired: %(name)s"), "expired", event.at)
        return
    if was_held:
        # Suspended by a reopening, or no longer met after the requirements changed.
        event = _certification_event(holding, CertificationEvent.Kind.SUSPENDED, now)
        if event is not None:
            reason = "certification_reopened" if after == Status.SUSPENDED else "requirements_changed"
            _holding_record(holding, definition, Action.CERTIFICATION_REVOKE, before=before, why=reason)
            _entitlement_events(holding, definition, EntitlementEvent.Kind.REVOKED, now, event, reason)
            _notify(
                holding,
                gettext_noop("Redo the changed requirements to keep your certification: %(name)s"),
                "suspended",
                event.at,
            )


def _holding_record(holding: Holding, definition: Definition, action: Action, *, before: str, why: str) -> None:
    """Record a rep's certification granted or taken back (once per event: rebuilding the holdings adds none).

    The actor is whoever caused it in this request (the admin who reopened it, the rep whose learning met the
    last requirement), or nobody when the projector or the daily job applies it.
    """
    audit_record(
        action=action,
        target=holding,
        target_label=f"{definition.certification.name} → {holding.rep}",
        organization_id=holding.partner_id,
        before={"status": before},
        after={"status": holding.status, "why": why, "version": holding.version},
    )


def certifications_daily(*, now: datetime | None = None) -> dict[str, int]:
    """Daily: expire certifications past their validity and remind holders N days before expiry."""
    now = now or timezone.now()
    expired = reminded = 0
    due = Holding.objects.filter(status=Status.CERTIFIED, expires_at__isnull=False).select_related("certification")
    definitions = {d.certification.pk: d for d in _definitions(Certification.objects.filter(active=True))}
    for holding in due.iterator():
        definition = definitions.get(holding.certification_id)
        if definition is None or holding.expires_at is None:  # (never None: the query excludes it)
            continue
        if holding.expires_at <= now:
            with transaction.atomic():
                holdings_evaluate(
                    rep_id=holding.rep_id, partner_id=holding.partner_id, definitions=[definition], now=now
                )
            expired += 1
        elif holding.expires_at - timedelta(days=holding.certification.reminder_days) <= now:
            _notify(
                holding,
                gettext_noop(
                    "Your certification expires soon: %(name)s. Retake its quizzes and roleplays to renew it."
                ),
                "expiring",
                now,
                dedupe=f"certification:expiring:{holding.certification_id}:{holding.expires_at.date().isoformat()}",
            )
            reminded += 1
    return {"expired": expired, "reminded": reminded}
