"""Reading certification definitions in the shape the evaluation rule takes, and evaluating one rep."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from . import evaluation
from .models import Certification, Entitlement, Evidence, Reopening, Requirement, RequirementRep


@dataclass
class Definition:
    certification: Certification
    reqs: list[evaluation.Req]
    reopened_at: datetime | None
    partner_ids: set[int]
    entitlements: list[Entitlement]
    # Targeted requirements (by id): the reps each applies to; the others' certification is judged without it.
    targeted: dict[int, set[int]] = field(default_factory=dict)

    def applies_to(self, partner_id: int | None) -> bool:
        return partner_id is not None and (not self.partner_ids or partner_id in self.partner_ids)

    def for_rep(self, rep_id: int) -> "Definition":
        """The definition as it applies to one rep: without the targeted requirements not given to them."""
        if not self.targeted:
            return self
        reqs = [r for r in self.reqs if r.id not in self.targeted or rep_id in self.targeted[r.id]]
        return replace(self, reqs=reqs, targeted={})


def _definitions(certifications: Iterable[Certification]) -> list[Definition]:
    certs = list(certifications)
    ids = [c.pk for c in certs]
    reqs: dict[int, list[evaluation.Req]] = {pk: [] for pk in ids}
    targeted: dict[int, dict[int, set[int]]] = {pk: {} for pk in ids}
    for r in Requirement.objects.filter(certification_id__in=ids).order_by("id"):
        if r.targeted:
            targeted[r.certification_id][r.pk] = set()
        reqs[r.certification_id].append(
            evaluation.Req(
                id=r.pk,
                kind=r.kind,
                course_id=r.course_id,
                quiz_key=str(r.quiz_key) if r.quiz_key else None,
                roleplay_id=r.roleplay_id,
                roleplay_iri=r.roleplay_iri,
                min_score=r.min_score,
                changed_at=r.changed_at,
            )
        )
    if any(targeted.values()):
        for cert_id, req_id, rep_id in RequirementRep.objects.filter(
            requirement__certification_id__in=ids, requirement__targeted=True
        ).values_list("requirement__certification_id", "requirement_id", "rep_id"):
            targeted[cert_id][req_id].add(rep_id)
    reopened: dict[int, datetime] = {}
    for cert_id, at in Reopening.objects.filter(certification_id__in=ids).values_list(
        "certification_id", "reopened_at"
    ):
        reopened[cert_id] = max(at, reopened.get(cert_id, at))
    partners: dict[int, set[int]] = {pk: set() for pk in ids}
    for cert_id, partner_id in Certification.partners.through.objects.filter(certification_id__in=ids).values_list(
        "certification_id", "organization_id"
    ):
        partners[cert_id].add(partner_id)
    grants: dict[int, list[Entitlement]] = {pk: [] for pk in ids}
    for link in Certification.entitlements.through.objects.filter(certification_id__in=ids).select_related(
        "entitlement"
    ):
        grants[link.certification_id].append(link.entitlement)
    return [Definition(c, reqs[c.pk], reopened.get(c.pk), partners[c.pk], grants[c.pk], targeted[c.pk]) for c in certs]


def _lesson_counts(evidence: Iterable[Evidence], cache: dict[int, int] | None = None) -> dict[int, int]:
    """Return the lesson count of each course version in the evidence (published versions never change)."""
    from kizuna.catalog.selectors import version_lesson_count

    cache = {} if cache is None else cache
    for version_id in {ev.version_id for ev in evidence if ev.kind == Evidence.Kind.LESSON and ev.version_id}:
        if version_id not in cache:
            cache[version_id] = version_lesson_count(version_id=version_id)
    return cache


def _matches(req: evaluation.Req, ev: Evidence) -> bool:
    if req.kind == evaluation.COURSE:
        return ev.kind in (Evidence.Kind.LESSON, Evidence.Kind.COURSE) and ev.course_id == req.course_id
    if req.kind == evaluation.QUIZ:
        return ev.kind == Evidence.Kind.QUIZ and ev.ref == req.quiz_key
    return ev.kind == Evidence.Kind.ROLEPLAY and evaluation.roleplay_is(req, ev.ref)


def outcome_for(
    definition: Definition, evidence: list[Evidence], *, now: datetime, lesson_counts: dict[int, int] | None = None
) -> evaluation.Outcome:
    """Evaluate one rep's evidence against one definition."""
    return evaluation.evaluate(
        definition.reqs,
        [evaluation.as_ev(ev) for ev in evidence],
        validity_days=definition.certification.validity_days,
        reminder_days=definition.certification.reminder_days,
        now=now,
        reopened_at=definition.reopened_at,
        lesson_counts=_lesson_counts(evidence, lesson_counts),
    )
