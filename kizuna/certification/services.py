"""Writes of certifications: definitions, reopening, evaluating reps (with the events that follows) and webhooks."""

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.audit.services import Action, audit_record, changed_fields
from kizuna.ops.errors import ApplicationError
from kizuna.orgs.access import Role
from kizuna.records.services import Activity, statement_record

from . import evaluation, vocab
from .definitions import Definition, _definitions, _matches, outcome_for
from .models import (
    Certification,
    CertificationEvent,
    Entitlement,
    EntitlementEvent,
    Evidence,
    Holding,
    Reopening,
    Requirement,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import Course, Product
    from kizuna.orgs.models import Organization

Status = Holding.Status


class CertificationError(ApplicationError):
    """A change that cannot be made; the message is shown to the user."""


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
    now: datetime | None = None,
) -> Requirement:
    """Add a requirement; reps whose evidence already meets every requirement are certified at once."""
    spec = {"kind": kind, "label": label, "course": course, "quiz_key": quiz_key}
    spec |= {"roleplay_id": roleplay_id, "roleplay_iri": roleplay_iri, "min_score": min_score}
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
    for definition in definitions:
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


def holdings_derive(*, now: datetime) -> int:
    """Derive every holding from the evidence, writing no events (the projection's rebuild)."""
    definitions = [d for d in _definitions(Certification.objects.filter(active=True)) if d.reqs]
    by_rep: dict[int, list[Evidence]] = {}
    course_ids = {r.course_id for d in definitions for r in d.reqs if r.kind == evaluation.COURSE}
    quiz_keys = {r.quiz_key for d in definitions for r in d.reqs if r.kind == evaluation.QUIZ}
    wanted = Q(kind__in=[Evidence.Kind.LESSON, Evidence.Kind.COURSE], course_id__in=course_ids)
    wanted |= Q(kind=Evidence.Kind.QUIZ, ref__in=quiz_keys)
    if any(r.kind == evaluation.ROLEPLAY for d in definitions for r in d.reqs):
        wanted |= Q(kind=Evidence.Kind.ROLEPLAY)
    for ev in Evidence.objects.filter(wanted).order_by("at", "id").iterator(chunk_size=5000):
        by_rep.setdefault(ev.rep_id, []).append(ev)
    partners = _rep_partners(by_rep)
    counts: dict[int, int] = {}
    rows = []
    for rep_id, evidence in by_rep.items():
        partner_id = partners.get(rep_id)
        for definition in definitions:
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


# --- Webhooks --------------------------------------------------------------------------------------

# Seconds before each retry: 30 s doubling to 6 h; 16 attempts span about two days.
MAX_ATTEMPTS = 16
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 6 * 3600
TIMEOUT_SECONDS = 10


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS))


def webhook_endpoint_create(
    *, url: str, events: Iterable[str], created_by: "User", description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint; return it with its secret, which the admin sees only now."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CertificationError(_("Enter an http:// or https:// URL."))
    chosen = [e for e in WebhookEndpoint.EVENTS if e in set(events)]
    if not chosen:
        raise CertificationError(_("Choose at least one event to send."))
    secret = _new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            url=url.strip(), description=description.strip(), secret=secret, events=chosen, created_by=created_by
        )
        audit_record(
            action=Action.WEBHOOK_CREATE,
            actor=created_by,
            target=endpoint,
            target_label=endpoint.url,
            after={"url": endpoint.url, "events": chosen},
        )
    return endpoint, secret


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        audit_record(
            action=Action.WEBHOOK_DELETE,
            target=endpoint,
            target_label=endpoint.url,
            before={"url": endpoint.url, "events": endpoint.events},
        )
        endpoint.delete()


def _new_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_secret_rotate(*, endpoint: WebhookEndpoint, now: datetime | None = None) -> str:
    """Give the endpoint a new secret and keep the current one valid until retired; return the new one."""
    if endpoint.previous_secret:
        # A second rotation would drop a secret the receiver may still be using.
        raise CertificationError(_("Retire the old secret before making another new one."))
    secret = _new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.secret = secret
    endpoint.secret_rotated_at = now or timezone.now()
    with transaction.atomic():
        endpoint.save(update_fields=["secret", "previous_secret", "secret_rotated_at"])
        # Never the secrets themselves: only that one was made.
        audit_record(
            action=Action.WEBHOOK_SECRET_ROTATE,
            target=endpoint,
            target_label=endpoint.url,
            after={"rotated_at": endpoint.secret_rotated_at},
        )
    return secret


def webhook_secret_retire(*, endpoint: WebhookEndpoint) -> None:
    """Stop signing with the secret from before the last rotation (the receiver has switched)."""
    endpoint.previous_secret = ""
    endpoint.save(update_fields=["previous_secret"])


def webhook_signature(secret: str, body: bytes) -> str:
    """Return the deprecated X-Kizuna-Signature value: sha256=<hex HMAC-SHA256 of the raw body>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _secret_key(secret: str) -> bytes:
    """The HMAC key of a whsec_ secret, decoded exactly as the Standard Webhooks libraries decode it."""
    encoded = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(encoded + "==")
    except binascii.Error:
        # A secret made before Standard Webhooks that is not base64: no library can verify it; rotate it.
        return encoded.encode()


def webhook_standard_signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return one Standard Webhooks signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(_secret_key(secret), signed, hashlib.sha256).digest()).decode()


def webhook_headers(*, endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime) -> dict[str, str]:
    """Return the headers that identify and sign one attempt of a delivery (Standard Webhooks + ours)."""
    body = delivery.body.encode()
    msg_id = str(delivery.event_id)  # the same on every retry and replay: receivers de-duplicate on it
    timestamp = int(now.timestamp())
    secrets_now = [endpoint.secret] + ([endpoint.previous_secret] if endpoint.previous_secret else [])
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            webhook_standard_signature(secret=s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_now
        ),
        "X-Kizuna-Event": delivery.event_type,
        "X-Kizuna-Event-Id": msg_id,
        "Idempotency-Key": msg_id,
        # Deprecated (kept for one release): signs the body only, so a captured delivery can be re-sent.
        "X-Kizuna-Timestamp": str(timestamp),
        "X-Kizuna-Signature": webhook_signature(endpoint.secret, body),
    }


def _event_body(event: EntitlementEvent, expires_at: datetime | None) -> str:
    rep = get_user_model().objects.select_related("membership__organization").get(pk=event.rep_id)
    partner = rep.membership.organization if hasattr(rep, "membership") else None
    return json.dumps(
        {
            "id": str(event.event_id),
            "type": f"entitlement.{event.kind}",
            "created_at": event.at.isoformat(),
            "data": {
                "rep": {"public_id": str(rep.public_id), "email": rep.email, "name": rep.name},
                "partner": {"id": partner.pk, "name": partner.name} if partner else None,
                "entitlement": {"code": event.entitlement.code, "name": event.entitlement.name},
                "certification": {
                    "slug": event.certification.slug,
                    "name": event.certification.name,
                    "version": event.certification.version,
                },
                "expires_at": expires_at.isoformat() if expires_at and event.kind == "granted" else None,
                "reason": event.reason,
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _enqueue_delivery(delivery_id: int) -> None:
    from .tasks import deliver_webhook_task

    transaction.on_commit(lambda: deliver_webhook_task.enqueue(delivery_id))


def webhook_event_publish(*, event: EntitlementEvent, expires_at: datetime | None = None) -> list[WebhookDelivery]:
    """Queue the event for every active endpoint that subscribed to its type; sent after commit."""
    event_type = f"entitlement.{event.kind}"
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event_type in e.events]
    if not endpoints:
        return []
    body = _event_body(event, expires_at)
    deliveries = []
    for endpoint in endpoints:
        delivery, created = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint,
            event_id=event.event_id,
            defaults={
                "event_type": event_type,
                "body": body,
                "created_at": event.at,
                "next_attempt_at": timezone.now(),
            },
        )
        if created:
            _enqueue_delivery(delivery.pk)
        deliveries.append(delivery)
    return deliveries


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    body = delivery.body.encode()
    request = urllib.request.Request(  # noqa: S310 (the URL's scheme is checked: http or https only)
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Kizuna-Webhooks/1",
            **webhook_headers(endpoint=endpoint, delivery=delivery, now=now),
        },
    )
    if urlsplit(endpoint.url).scheme not in ("http", "https"):
        return None, "unsupported URL scheme"
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:300]


def webhook_delivery_attempt(
    *, delivery: WebhookDelivery, now: datetime | None = None, replay: bool = False
) -> WebhookDelivery:
    """POST the delivery once; on failure schedule the next try with exponential back-off, up to MAX_ATTEMPTS."""
    now = now or timezone.now()
    if delivery.status == WebhookDelivery.Status.DELIVERED and not replay:
        return delivery
    endpoint = delivery.endpoint
    started = time.monotonic()
    status_code, error = _post(endpoint, delivery, now)
    ok = status_code is not None and 200 <= status_code < 300
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=status_code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
        replay=replay,
    )
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.status == WebhookDelivery.Status.DELIVERED:
        pass  # a failed replay of a delivered event leaves it delivered
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        _schedule_retry(delivery)
    delivery.save()
    return delivery


def _schedule_retry(delivery: WebhookDelivery) -> None:
    """Enqueue the retry for its time when the task backend can defer; the sweep catches it otherwise."""
    from django_tasks import default_task_backend

    from .tasks import deliver_webhook_task

    if getattr(default_task_backend, "supports_defer", False) and delivery.next_attempt_at is not None:
        run_after = delivery.next_attempt_at
        transaction.on_commit(lambda: deliver_webhook_task.using(run_after=run_after).enqueue(delivery.pk))


def webhook_deliveries_due(*, now: datetime | None = None) -> int:
    """Attempt every pending delivery whose time has come (the sweep that makes delivery at-least-once)."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
    count = 0
    for delivery in due.select_related("endpoint").order_by("next_attempt_at", "id"):
        webhook_delivery_attempt(delivery=delivery, now=now)
        count += 1
    return count


def webhook_delivery_replay(*, delivery: WebhookDelivery, now: datetime | None = None) -> WebhookDelivery:
    """Send a delivery again now, with the same event id (receivers de-duplicate on it); resets a given-up one."""
    if delivery.status == WebhookDelivery.Status.FAILED:
        delivery.attempts = 0
        delivery.status = WebhookDelivery.Status.PENDING
    return webhook_delivery_attempt(delivery=delivery, now=now, replay=True)
