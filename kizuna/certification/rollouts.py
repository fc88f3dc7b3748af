"""A certification requirement as a rollout kind (`catalog.rollouts`): added "as an experiment" it is *targeted* —
it applies to no one until given to reps one by one (`RequirementRep`), and an experiment gives it to each wave's
reps in their wave's month; until then their certification is judged without it.

- **give**: the requirement applies to the rep from now (their holding is judged again);
- **withhold**: nothing to do at the start: a targeted requirement applies to nobody until given;
- **contamination**: a withheld rep to whom it applied before their month (given outside the experiment, or the
  requirement no longer targeted), or who met it before their month (did the course, passed the quiz or the
  roleplay it asks for); "finished" is meeting it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuna.catalog.rollouts import RolloutKind

from . import evaluation
from .definitions import Definition, _definitions, _matches, outcome_for
from .models import Evidence, Requirement, RequirementRep


class RequirementReach:
    """(handle or None, since when) per rep: the requirement's own per-rep rows, and everyone of the certification's
    agencies since it was added when it is not targeted."""

    def __init__(self, requirement: Requirement | None) -> None:
        self.given: dict[int, list[tuple[int | None, datetime]]] = {}
        self.everyone: list[tuple[int | None, datetime]] = []
        self.partners: set[int] = set()
        if requirement is None:
            return
        for pk, rep_id, at in RequirementRep.objects.filter(requirement=requirement).values_list(
            "pk", "rep_id", "added_at"
        ):
            self.given.setdefault(rep_id, []).append((pk, at))
        if not requirement.targeted:
            self.everyone = [(None, requirement.created_at)]
            self.partners = set(requirement.certification.partners.values_list("pk", flat=True))

    def reaching(self, *, partner_id: int, team_id: int | None, rep_id: int) -> list[tuple[int | None, datetime]]:
        found = list(self.given.get(rep_id, ()))
        if self.everyone and (not self.partners or partner_id in self.partners):
            found += self.everyone
        return found


def _requirement(content_id: int) -> Requirement | None:
    return Requirement.objects.select_related("certification").filter(pk=content_id).first()


def _name(requirement: Requirement) -> str:
    return f"{requirement.certification.name}: {requirement.label}"


def _choices() -> list[tuple[int, str]]:
    rows = Requirement.objects.filter(targeted=True, certification__active=True).select_related("certification")
    return [(r.pk, _name(r)) for r in rows.order_by("certification__name", "pk")]


def _title(content_id: int) -> str | None:
    requirement = _requirement(content_id)
    return None if requirement is None else _name(requirement)


def _problem(content_id: int) -> str:
    requirement = _requirement(content_id)
    if requirement is None:
        return _("This requirement no longer exists.")
    if not requirement.certification.active:
        return _("The certification is not active.")
    if not requirement.targeted:
        return _("Only a requirement added as an experiment can be rolled out: the others apply to everyone already.")
    return ""


def _exposure(content_id: int, reps: Iterable[int] | Any) -> dict[int, tuple[datetime, datetime | None]]:
    """When each rep met the requirement (first used = met): its own course, quiz or roleplay evidence."""
    requirement = _requirement(content_id)
    if requirement is None:
        return {}
    (whole,) = _definitions([requirement.certification])
    req = next(r for r in whole.reqs if r.id == requirement.pk)
    alone = Definition(whole.certification, [req], None, set(), [])
    if req.kind == evaluation.COURSE:
        wanted = Q(kind__in=[Evidence.Kind.LESSON, Evidence.Kind.COURSE], course_id=req.course_id)
    elif req.kind == evaluation.QUIZ:
        wanted = Q(kind=Evidence.Kind.QUIZ, ref=req.quiz_key)
    else:
        wanted = Q(kind=Evidence.Kind.ROLEPLAY)
    by_rep: dict[int, list[Evidence]] = {}
    for ev in Evidence.objects.filter(wanted, rep_id__in=reps).order_by("at", "id"):
        if _matches(req, ev):
            by_rep.setdefault(ev.rep_id, []).append(ev)
    now = timezone.now()
    out: dict[int, tuple[datetime, datetime | None]] = {}
    for rep_id, evidence in by_rep.items():
        met = outcome_for(alone, evidence, now=now).met.get(req.id)
        if met is not None:
            out[rep_id] = (met, met)
    return out


def _give(content_id: int, rep: Any, by: Any, due_at: datetime) -> int:
    from .services import requirement_give

    requirement = Requirement.objects.select_related("certification").get(pk=content_id)
    before = RequirementRep.objects.filter(requirement=requirement, rep=rep).exists()
    given = requirement_give(requirement=requirement, rep=rep, by=by)
    return 0 if before else given.pk  # given outside the experiment already: not its own (stays contamination)


REQUIREMENT_ROLLOUT = RolloutKind(
    kind="requirement",
    label=gettext_lazy("Certification requirement"),
    choices=_choices,
    title=_title,
    problem=_problem,
    reach=lambda content_id, partner_ids: RequirementReach(_requirement(content_id)),
    exposure=_exposure,
    prepare=lambda content_id, by, partner_ids: None,  # targeted: it applies to nobody until given
    give=_give,
)
