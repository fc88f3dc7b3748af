"""Grading essays: a coach or the rep's manager scores each essay of a submitted attempt with its rubric.

An attempt submitted with answered essays has no score (``Attempt.grading_pending``) and the
graders are notified. Each grade is a `graded` statement (actor: the grader) whose projection
gives the answer its score; the last one records the rep's `passed`/`failed` with the final
score (and completes a passed quiz lesson), exactly as a submission without essays does, and
the rep is notified. A manager grades only their own agency's reps (orgs.access.visible_reps).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.coaching.scoring import CriterionSpec, rubric_score
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.access import Role, has_role, visible_reps
from kizuna.records.projections import reps_hold
from kizuna.records.selectors import statement_owner_id
from kizuna.records.services import StatementError, statement_record

from .. import vocab
from ..errors import AssessmentError
from ..models import Attempt, AttemptAnswer
from ..published import snapshot_question, snapshot_type
from ..types.open import essay_rubric
from .attempts import _locked, _quiz_activity, attempt_outcome, attempt_outcome_record, manual_keys, question_activity

FEEDBACK_MAX_CHARS = 4000
GRADER_ROLES = (Role.ADMIN, Role.COACH, Role.MANAGER)


def can_grade(user: Any, attempt: Attempt) -> bool:
    """A coach or admin grades any rep's essays; a manager only their own agency's reps'."""
    return has_role(user, *GRADER_ROLES) and visible_reps(user).filter(pk=attempt.rep_id).exists()


def _notify(*, recipient: Any, kind: str, title: str, body: str, params: dict[str, Any], url: str, dedupe: str) -> None:
    from kizuna.notifications.services import notification_send

    notification_send(recipient=recipient, kind=kind, title=title, body=body, params=params, url=url, dedupe_key=dedupe)


def _graders(attempt: Attempt) -> list[Any]:
    """Who is asked to grade: the rep's agency's managers and the principal's coaches."""
    users = get_user_model().objects.filter(is_active=True)
    coaches = users.filter(membership__role=Role.COACH)
    if attempt.partner_id is None:
        return list(coaches.order_by("pk"))
    managers = users.filter(membership__role=Role.MANAGER, membership__organization_id=attempt.partner_id)
    return list((managers | coaches).distinct().order_by("pk"))


def grading_requested_notify(*, attempt: Attempt, count: int) -> None:
    """Tell the graders that an attempt waits for them (once per attempt and grader)."""
    for grader in _graders(attempt):
        _notify(
            recipient=grader,
            kind="assessments.grading_requested",
            title=gettext_noop("Essays to grade: %(quiz)s"),
            body=gettext_noop("%(rep)s answered %(count)s essay question(s). Their score waits for your grade."),
            params={"quiz": attempt.quiz_version.title, "rep": str(attempt.rep), "count": count},
            url=reverse("assessments:grading_attempt", args=[attempt.pk]),
            dedupe=f"grading:{attempt.pk}",
        )


def _clean_levels(rubric: list[dict[str, Any]], levels: Mapping[str, Any]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for criterion in rubric:
        raw = levels.get(str(criterion["id"]))
        try:
            level = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= len(criterion["levels"]):
            raise AssessmentError(
                _("Choose a level for “%(criterion)s”.") % {"criterion": criterion["title"]}, field="levels"
            )
        cleaned[str(criterion["id"])] = level
    return cleaned


def essay_grade(
    *,
    grader: Any,
    attempt: Attempt,
    question_key: str,
    levels: Mapping[str, Any],
    feedback: str = "",
    statement_id: uuid.UUID,
    timestamp: datetime | None = None,
) -> Attempt:
    """Grade one essay of a submitted attempt; the last grade finalises the attempt's score.

    The same statement id again records nothing. A grade may be changed until the attempt is final.
    """
    if not can_grade(grader, attempt):
        raise AssessmentError(_("You may not grade this rep's answers."))
    feedback = (feedback or "").replace("\r\n", "\n").strip()
    if len(feedback) > FEEDBACK_MAX_CHARS:
        raise AssessmentError(
            _("The feedback is longer than %(max)s characters.") % {"max": f"{FEEDBACK_MAX_CHARS:,}"}, field="feedback"
        )
    now = timestamp or timezone.now()
    key = str(question_key)
    with transaction.atomic():
        reps_hold(attempt.rep_id, grader.pk)  # the grade changes the rep's attempt: no rebuild of theirs meanwhile
        attempt = _locked(attempt)
        if statement_owner_id(statement_id) is not None:  # a double tap: the grade was recorded the first time
            return Attempt.objects.select_related("quiz_version", "lesson", "rep").get(pk=attempt.pk)
        if not attempt.grading_pending:
            raise AssessmentError(_("This attempt is already graded: its score is final."))
        if key not in manual_keys(attempt):
            raise AssessmentError(_("This question is not an essay of this attempt."))
        answer = AttemptAnswer.objects.filter(attempt=attempt, question_key=key).first()
        if answer is None:
            raise AssessmentError(_("The rep left this essay blank: there is nothing to grade."))
        version = attempt.quiz_version
        question = snapshot_question(version, key) or {}
        rubric = essay_rubric(question.get("data") or {})
        chosen = _clean_levels(rubric, levels)
        specs = [CriterionSpec(id=i, weight=int(c["weight"]), max_level=len(c["levels"])) for i, c in enumerate(rubric)]
        score = rubric_score(criteria=specs, levels={i: chosen[str(c["id"])] for i, c in enumerate(rubric)})
        try:
            statement_record(
                actor=grader,
                verb=vocab.GRADED,
                activity=question_activity(
                    key, question, snapshot_type(version, key), parent=_quiz_activity(version, attempt.lesson)
                ),
                result={
                    "score": {"scaled": score, "raw": score, "min": 0, "max": 1},
                    "success": score >= 1 - 1e-9,
                    "extensions": {
                        vocab.EXT_RUBRIC_LEVELS.iri: chosen,
                        vocab.EXT_GRADING.iri: {"feedback": feedback, "rep": attempt.rep_id},
                    },
                },
                extensions={vocab.EXT_QUIZ_VERSION.iri: version.pk},
                statement_id=statement_id,
                timestamp=now,
                registration=attempt.key,
            )
        except StatementError as exc:
            raise AssessmentError(str(exc)) from None
        audit_record(
            action=Action.ESSAY_GRADE,
            actor=grader,
            target=attempt,
            target_label=f"{version.title} › {attempt.rep.email}",
            organization_id=attempt.partner_id,
            before={"question": key, "score": answer.score if answer.graded_at else None},
            after={"question": key, "rep": attempt.rep.email, "score": score, "levels": chosen, "feedback": feedback},
        )
        answers = {str(a.question_key): a for a in AttemptAnswer.objects.filter(attempt=attempt)}
        waiting = [k for k in manual_keys(attempt) if k in answers and answers[k].graded_at is None]
        if not waiting:
            _finalise(attempt, {k: a.score for k, a in answers.items()}, now)
        return Attempt.objects.select_related("quiz_version", "lesson", "rep").get(pk=attempt.pk)


def _finalise(attempt: Attempt, scores: dict[str, float], now: datetime) -> None:
    result = attempt_outcome(attempt, scores)
    attempt_outcome_record(
        attempt=attempt,
        result=result,
        statement_id=uuid.uuid5(attempt.key, "graded"),
        timestamp=now,
        extensions={vocab.EXT_GRADING.iri: {"final": True}},
    )
    _notify(
        recipient=attempt.rep,
        kind="assessments.graded",
        title=gettext_noop("Your answers were graded: %(quiz)s"),
        body=gettext_noop("Your score is %(percent)s%%."),
        params={"quiz": attempt.quiz_version.title, "percent": round(result["score"]["scaled"] * 100)},
        url=reverse("assessments:quiz_attempt_result", args=[attempt.pk]),
        dedupe=f"graded:{attempt.pk}",
    )
