"""Writes of roleplay assignments: the draft with its rubric, publishing, and who it is assigned to."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.catalog.text_checks import unexplained_terms_problems
from kizuna.ops.trail import Action, audit_edit, audit_record
from kizuna.orgs.access import Role
from kizuna.orgs.models import Organization, Team

from ..errors import CoachingError
from ..models import Criterion, Roleplay, RoleplayTarget

MIN_LEVELS, MAX_LEVELS = 2, 6
MAX_CRITERIA = 10


@dataclass
class CriterionInput:
    title: str
    weight: int
    levels: list[str]


def _check_roleplay(*, title: str, pass_threshold: int, peer_count: int, review_days: int) -> None:
    if not title.strip():
        raise CoachingError(_("Enter a title."))
    if not 0 <= pass_threshold <= 100:
        raise CoachingError(_("The pass threshold must be between 0 and 100."))
    if not 0 <= peer_count <= 10:
        raise CoachingError(_("Choose between 0 and 10 peer reviewers."))
    if not 1 <= review_days <= 60:
        raise CoachingError(_("Reviewers need between 1 and 60 days."))


def _check_criteria(criteria: Sequence[CriterionInput]) -> None:
    if not criteria:
        raise CoachingError(_("Add at least one rubric criterion."))
    if len(criteria) > MAX_CRITERIA:
        raise CoachingError(_("A rubric has at most %(count)s criteria.") % {"count": MAX_CRITERIA})
    for criterion in criteria:
        if not criterion.title.strip():
            raise CoachingError(_("Every criterion needs a name."))
        if not 1 <= criterion.weight <= 10:
            raise CoachingError(_("Weights are whole numbers from 1 to 10."))
        levels = [level for level in criterion.levels if level.strip()]
        if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
            raise CoachingError(
                _("“%(criterion)s” needs between %(min)s and %(max)s level descriptions, one per line.")
                % {"criterion": criterion.title, "min": MIN_LEVELS, "max": MAX_LEVELS}
            )


def _write_criteria(roleplay: Roleplay, criteria: Sequence[CriterionInput]) -> None:
    roleplay.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(
            roleplay=roleplay,
            position=i,
            title=c.title.strip(),
            weight=c.weight,
            levels=[level.strip() for level in c.levels if level.strip()],
        )
        for i, c in enumerate(criteria)
    )


@transaction.atomic
def _roleplay_state(roleplay: Roleplay) -> dict[str, Any]:
    fields = ("title", "situation", "persona", "goal", "pass_threshold", "review_by_coach", "review_by_manager")
    return {
        **{f: getattr(roleplay, f) for f in fields},
        "peer_count": roleplay.peer_count,
        "review_days": roleplay.review_days,
        "due_at": roleplay.due_at,
        "criteria": [[c.title, c.weight, c.levels] for c in roleplay.criteria.all()],
    }


@transaction.atomic
def roleplay_create(
    *,
    author: Any,
    title: str,
    situation: str,
    persona: str,
    goal: str,
    criteria: Sequence[CriterionInput],
    pass_threshold: int = 60,
    review_by_coach: bool = True,
    review_by_manager: bool = False,
    peer_count: int = 2,
    review_days: int = 3,
    due_at: datetime | None = None,
) -> Roleplay:
    """Write a draft roleplay assignment with its rubric."""
    _check_roleplay(title=title, pass_threshold=pass_threshold, peer_count=peer_count, review_days=review_days)
    _check_criteria(criteria)
    roleplay = Roleplay.objects.create(
        title=title.strip(),
        situation=situation.strip(),
        persona=persona.strip(),
        goal=goal.strip(),
        pass_threshold=pass_threshold,
        review_by_coach=review_by_coach,
        review_by_manager=review_by_manager,
        peer_count=peer_count,
        review_days=review_days,
        due_at=due_at,
        created_by=author,
    )
    _write_criteria(roleplay, criteria)
    audit_edit(
        action=Action.ROLEPLAY_EDIT,
        target=roleplay,
        target_label=roleplay.title,
        edit="roleplay.create",
        after=_roleplay_state(roleplay),
        actor=author,
    )
    return roleplay


@transaction.atomic
def roleplay_update(
    *,
    roleplay: Roleplay,
    title: str,
    situation: str,
    persona: str,
    goal: str,
    criteria: Sequence[CriterionInput],
    pass_threshold: int,
    review_by_coach: bool,
    review_by_manager: bool,
    peer_count: int,
    review_days: int,
    due_at: datetime | None,
) -> Roleplay:
    """Change a roleplay; its rubric can change only until the first take is handed in (scores refer to it)."""
    _check_roleplay(title=title, pass_threshold=pass_threshold, peer_count=peer_count, review_days=review_days)
    _check_criteria(criteria)
    before = _roleplay_state(Roleplay.objects.get(pk=roleplay.pk))
    if roleplay.submissions.exists():
        current = [(c.title, c.weight, c.levels) for c in roleplay.criteria.all()]
        wanted = [(c.title.strip(), c.weight, [lv.strip() for lv in c.levels if lv.strip()]) for c in criteria]
        if current != wanted:
            raise CoachingError(_("Takes have been handed in, so the rubric can no longer change."))
    else:
        _write_criteria(roleplay, criteria)
    roleplay.title, roleplay.situation, roleplay.persona, roleplay.goal = (
        title.strip(),
        situation.strip(),
        persona.strip(),
        goal.strip(),
    )
    roleplay.pass_threshold, roleplay.review_by_coach, roleplay.review_by_manager = (
        pass_threshold,
        review_by_coach,
        review_by_manager,
    )
    roleplay.peer_count, roleplay.review_days, roleplay.due_at = peer_count, review_days, due_at
    roleplay.save()
    audit_edit(
        action=Action.ROLEPLAY_EDIT,
        target=roleplay,
        target_label=roleplay.title,
        edit="roleplay.update",
        before=before,
        after=_roleplay_state(roleplay),
    )
    return roleplay


def roleplay_publish(*, roleplay: Roleplay, when: datetime | None = None) -> Roleplay:
    """Open a roleplay to the reps it is assigned to."""
    if not roleplay.criteria.exists():
        raise CoachingError(_("Add at least one rubric criterion."))
    if not (roleplay.review_by_coach or roleplay.review_by_manager or roleplay.peer_count):
        raise CoachingError(_("Choose at least one kind of reviewer."))
    criteria = [text for title, levels in roleplay.criteria.values_list("title", "levels") for text in [title, *levels]]
    problems = unexplained_terms_problems(
        roleplay.title, roleplay.situation, roleplay.persona, roleplay.goal, *criteria
    )
    if problems:
        raise CoachingError(problems[0])
    was = roleplay.status
    roleplay.status = Roleplay.Status.PUBLISHED
    roleplay.published_at = roleplay.published_at or when or timezone.now()
    with transaction.atomic():
        roleplay.save(update_fields=["status", "published_at"])
        if was != roleplay.status:
            audit_record(
                action=Action.CONTENT_PUBLISH,
                target=roleplay,
                target_label=roleplay.title,
                before={"status": was},
                after={"kind": "roleplay", "status": roleplay.status},
            )
    return roleplay


def roleplay_target_add(
    *,
    roleplay: Roleplay,
    assigned_by: Any,
    partner: Organization | None = None,
    team: Team | None = None,
    rep: Any | None = None,
) -> RoleplayTarget:
    """Assign a roleplay to a whole partner, one team or one rep."""
    if rep is not None:
        m = getattr(rep, "membership", None)
        if m is None or m.role != Role.REP:
            raise CoachingError(_("Roleplays can only be assigned to reps."))
        partner, team = m.organization, None
    elif team is not None:
        partner = team.organization
    if partner is None or partner.kind != Organization.Kind.PARTNER:
        raise CoachingError(_("Choose a partner, a team or a rep."))
    with transaction.atomic():
        target = RoleplayTarget.objects.create(
            roleplay=roleplay, partner=partner, team=team, rep=rep, assigned_by=assigned_by
        )
        audit_record(
            action=Action.ASSIGNMENT_CREATE,
            actor=assigned_by,
            target=target,
            target_label=roleplay.title,
            organization_id=partner.pk,
            after=_target_state(target),
        )
    return target


def _target_state(target: RoleplayTarget) -> dict[str, Any]:
    return {
        "kind": "roleplay",
        "roleplay": target.roleplay.title,
        "partner": target.partner.name,
        "team": target.team.name if target.team is not None else None,
        "rep": target.rep.email if target.rep is not None else None,
    }


def roleplay_target_remove(*, target: RoleplayTarget) -> None:
    with transaction.atomic():
        audit_record(
            action=Action.ASSIGNMENT_DELETE,
            target=target,
            target_label=target.roleplay.title,
            organization_id=target.partner_id,
            before=_target_state(target),
        )
        target.delete()
