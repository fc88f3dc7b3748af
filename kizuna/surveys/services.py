"""Writes of surveys: the author's draft, publishing, sending to partners, and a rep's answers."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.catalog.text_checks import unexplained_terms_problems
from kizuna.ops.errors import ApplicationError, problems_text
from kizuna.ops.ordering import position_swap
from kizuna.ops.trail import Action, audit_edit, audit_record
from kizuna.orgs.models import Organization, Team
from kizuna.orgs.selectors import active_rep_memberships
from kizuna.records.services import Activity, statement_record

from . import vocab
from .models import QuestionKind, Survey, SurveyQuestion, SurveyResponse, SurveySend, SurveyVersion

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import PublishedLesson

MAX_QUESTIONS = 30
MAX_OPTIONS = 10
MAX_TEXT_ANSWER = 2000
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
# The range of each scale question.
SCALES = {QuestionKind.LIKERT: (1, 5), QuestionKind.NPS: (0, 10)}
INTERACTION_TYPES = {
    QuestionKind.LIKERT: "likert",
    QuestionKind.NPS: "numeric",
    QuestionKind.SINGLE: "choice",
    QuestionKind.MULTIPLE: "choice",
    QuestionKind.TEXT: "fill-in",
}


class SurveyError(ApplicationError):
    """A survey change or answer that cannot be accepted; the message is shown to the user.

    ``errors`` maps each refused answer's question key to its message.
    """

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


def _touch(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(draft_changed_at=timezone.now())


def _audit(
    survey: Survey,
    edit: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
) -> None:
    """A survey's draft is the principal's content: no organization."""
    audit_edit(
        action=Action.SURVEY_EDIT,
        target=survey,
        edit=edit,
        target_label=survey.title,
        before=before,
        after=after,
        actor=actor,
    )


def _question_state(question: SurveyQuestion) -> dict[str, Any]:
    return {
        "question": question.pk,
        "kind": question.kind,
        "text": question.text,
        "options": list(question.options),
        "required": question.required,
        "position": question.position,
    }


@transaction.atomic
def survey_create(*, author: "User", title: str, intro: str = "") -> Survey:
    title = title.strip()
    if not title:
        raise SurveyError(_("Enter a title."))
    survey = Survey.objects.create(title=title[:200], intro=intro.strip(), created_by=author)
    _audit(survey, "survey.create", after={"title": survey.title, "intro": survey.intro}, actor=author)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, title: str, intro: str) -> Survey:
    title = title.strip()
    if not title:
        raise SurveyError(_("Enter a title."))
    before = {"title": survey.title, "intro": survey.intro}
    survey.title, survey.intro, survey.draft_changed_at = title[:200], intro.strip(), timezone.now()
    survey.save(update_fields=["title", "intro", "draft_changed_at"])
    _audit(survey, "survey.update", before=before, after={"title": survey.title, "intro": survey.intro})
    return survey


def _clean_options(kind: str, options: list[str]) -> list[str]:
    if kind not in CHOICE_KINDS:
        return []
    cleaned = [o.strip()[:200] for o in options if o.strip()]
    if len(cleaned) < 2:
        raise SurveyError(_("Give at least two choices, one per line."))
    if len(cleaned) > MAX_OPTIONS:
        raise SurveyError(_("Give at most %(count)s choices.") % {"count": MAX_OPTIONS})
    if len(set(cleaned)) != len(cleaned):
        raise SurveyError(_("Each choice must be different."))
    return cleaned


@transaction.atomic
def survey_question_add(
    *, survey: Survey, kind: str, text: str, options: list[str] | None = None, required: bool = True
) -> SurveyQuestion:
    """Add a question at the end of the draft."""
    if kind not in QuestionKind.values:
        raise SurveyError(_("Choose the kind of question."))
    text = text.strip()
    if not text:
        raise SurveyError(_("Enter the question."))
    if survey.questions.count() >= MAX_QUESTIONS:
        raise SurveyError(_("A survey has at most %(count)s questions.") % {"count": MAX_QUESTIONS})
    cleaned = _clean_options(kind, options or [])
    position = (survey.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = SurveyQuestion.objects.create(
        survey=survey, kind=kind, text=text[:300], options=cleaned, required=required, position=position
    )
    _touch(survey)
    _audit(survey, "question.add", after=_question_state(question))
    return question


@transaction.atomic
def survey_question_delete(*, question: SurveyQuestion) -> None:
    survey = question.survey
    _audit(survey, "question.delete", before=_question_state(question))
    question.delete()
    _touch(survey)


@transaction.atomic
def survey_question_move(*, question: SurveyQuestion, direction: int) -> None:
    """Swap a question with its neighbour (direction -1 = up, +1 = down)."""
    before = {"question": question.pk, "position": question.position}
    if position_swap(question.survey.questions.all(), pk=question.pk, direction=direction):
        question.refresh_from_db(fields=["position"])
        _audit(
            question.survey,
            "question.move",
            before=before,
            after={"question": question.pk, "position": question.position},
        )
        _touch(question.survey)


def survey_publish_problems(survey: Survey | None) -> list[str]:
    """Return what stops the draft from being published, in the user's language."""
    if survey is None:
        return [_("This survey no longer exists.")]
    if not survey.questions.exists():
        return [_("Add at least one question to the survey “%(title)s”.") % {"title": survey.title}]
    texts = [text for row in survey.questions.values_list("text", "options") for text in [row[0], *(row[1] or [])]]
    return unexplained_terms_problems(survey.title, survey.intro, *texts)


@transaction.atomic
def survey_publish(*, survey: Survey, publisher: "User", when: datetime | None = None) -> SurveyVersion:
    """Freeze the draft into a new immutable version (answers always refer to one version)."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    survey.refresh_from_db()
    problems = survey_publish_problems(survey)
    if problems:
        raise SurveyError(problems_text(problems))
    now = when or timezone.now()
    number = (survey.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = SurveyVersion.objects.create(
        survey=survey,
        number=number,
        title=survey.title,
        intro=survey.intro,
        questions=[
            {"key": str(q.key), "kind": q.kind, "text": q.text, "options": list(q.options), "required": q.required}
            for q in survey.questions.order_by("position", "id")
        ],
        published_at=now,
        published_by=publisher,
    )
    survey.latest_version, survey.draft_changed_at = version, now
    survey.save(update_fields=["latest_version", "draft_changed_at"])
    audit_record(
        action=Action.CONTENT_PUBLISH, actor=publisher, target=survey, after={"kind": "survey", "version": number}
    )
    return version


def survey_version_for_lesson(*, survey: Survey, publisher: "User") -> SurveyVersion:
    """Return the version a course publish should freeze: the latest one, or a new one if the draft changed."""
    if survey.latest_version is not None and not survey.has_unpublished_changes:
        return survey.latest_version
    return survey_publish(survey=survey, publisher=publisher)


VERSION_SUBJECT = "surveys.version"  # a request to answer names the survey version, so the list sees it answered


def _notify(**kwargs: Any) -> None:
    from kizuna.notifications.services import notification_send

    notification_send(**kwargs)


def _reps_of(partner: Organization, team: Team | None) -> list[Any]:
    members = active_rep_memberships(partner_ids=[partner.pk]).select_related("user")
    if team is not None:
        members = members.filter(team=team)
    return [m.user for m in members]


@transaction.atomic
def survey_send(
    *,
    survey: Survey,
    sent_by: "User",
    partners: list[Organization] | None = None,
    teams: list[Team] | None = None,
    due_at: datetime | None = None,
    notify: bool = True,
) -> list[SurveySend]:
    """Send the latest published version to whole partners and/or teams, and tell their reps."""
    version = survey.latest_version
    if version is None:
        raise SurveyError(_("Publish the survey before sending it."))
    partners, teams = list(partners or []), list(teams or [])
    if not partners and not teams:
        raise SurveyError(_("Choose at least one partner or team."))
    if any(p.kind != Organization.Kind.PARTNER for p in partners):
        raise SurveyError(_("Choose a partner."))
    if due_at is not None and due_at <= timezone.now():
        raise SurveyError(_("The due date must be in the future."))
    sends = [SurveySend(version=version, partner=p, due_at=due_at, sent_by=sent_by) for p in partners]
    sends += [
        SurveySend(version=version, partner=t.organization, team=t, due_at=due_at, sent_by=sent_by)
        for t in teams
        if t.organization not in partners
    ]
    with transaction.atomic():
        SurveySend.objects.bulk_create(sends)
        for send in sends:
            audit_record(
                action=Action.SURVEY_SEND,
                actor=sent_by,
                target=survey,
                target_label=version.title,
                organization_id=send.partner.pk,
                after={
                    "version": version.number,
                    "team": send.team.name if send.team else "",
                    "due_at": due_at.isoformat() if due_at else None,
                },
            )
    url = _answer_url(version)
    for send in sends if notify else []:
        for rep in _reps_of(send.partner, send.team):
            _notify(
                recipient=rep,
                kind="surveys.sent",
                title=gettext_noop("Please answer the survey “%(title)s”"),
                body=gettext_noop("It takes a few minutes. Your answers help improve the training."),
                params={"title": version.title},
                url=url,
                dedupe_key=f"survey:{version.pk}",
                subject=(VERSION_SUBJECT, version.pk),
            )
    return sends


def _answer_url(version: SurveyVersion) -> str:
    from django.urls import reverse

    return reverse("surveys:survey_answer", args=[version.pk])


# --- Answers ----------------------------------------------------------------------------------


def survey_iri(version: SurveyVersion) -> str:
    return f"{settings.SITE_URL}/xapi/activities/survey/{version.survey.key}/v{version.number}"


@dataclass
class CleanAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _clean_one(question: dict[str, Any], values: list[str]) -> Any:
    """Return the answer to one question from the submitted values (None when unanswered), or raise ValueError."""
    kind = question["kind"]
    values = [v.strip() for v in values if v.strip()]
    if not values:
        return None
    if kind in SCALES:
        low, high = SCALES[kind]
        number = int(values[0])
        if not low <= number <= high:
            raise ValueError
        return number
    if kind == QuestionKind.TEXT:
        return values[0][:MAX_TEXT_ANSWER]
    options = question["options"]
    chosen = sorted({int(v) for v in values})
    if any(not 0 <= i < len(options) for i in chosen) or (kind == QuestionKind.SINGLE and len(chosen) > 1):
        raise ValueError
    picked = [options[i] for i in chosen]
    return picked[0] if kind == QuestionKind.SINGLE else picked


def survey_answers_clean(*, version: SurveyVersion, data: dict[str, list[str]]) -> CleanAnswers:
    """Turn submitted values ({"q-<key>": [values]}) into answers, with a message for each bad one."""
    result = CleanAnswers()
    for question in version.questions:
        try:
            answer = _clean_one(question, data.get(f"q-{question['key']}", []))
        except (ValueError, TypeError):
            result.errors[question["key"]] = _("Choose one of the answers shown.")
            continue
        if answer is None:
            if question["required"]:
                result.errors[question["key"]] = _("Answer this question.")
            continue
        result.answers[question["key"]] = answer
    return result


def _response_text(answer: Any) -> str:
    if isinstance(answer, list):
        return "[,]".join(answer)
    return str(answer)


@transaction.atomic
def survey_response_submit(
    *,
    rep: "User",
    version: SurveyVersion,
    data: dict[str, list[str]],
    statement_id: uuid.UUID,
    lesson: "PublishedLesson | None" = None,
    timestamp: datetime | None = None,
) -> tuple[SurveyResponse, bool]:
    """Record a rep's answers once per survey version; a repeated submission returns the stored response.

    Each answer is an ``answered`` statement on its question; the whole response is a ``completed`` statement
    on the survey (its id is ``statement_id``, made by the rep's browser), which the response projection reads.
    A survey in a lesson then completes that lesson.
    """
    existing = SurveyResponse.objects.filter(version=version, rep=rep).first()
    if existing is not None:
        if lesson is not None:
            # Answered already (sent to them as well): the answer counts for the lesson too.
            from kizuna.records.services import lesson_complete

            lesson_complete(rep=rep, lesson=lesson, by_content=True, timestamp=timestamp)
        return existing, False
    cleaned = survey_answers_clean(version=version, data=data)
    if cleaned.errors:
        raise SurveyError(_("Some answers need your attention."), errors=cleaned.errors)
    survey_activity = survey_iri(version)
    parents = [survey_activity]
    extensions: dict[str, Any] = {vocab.EXT_SURVEY_VERSION.iri: version.pk}
    if lesson is not None:
        from kizuna.catalog.selectors import lesson_activity_data

        parents.append(lesson_activity_data(lesson)["iri"])
        extensions[vocab.EXT_SURVEY_LESSON.iri] = lesson.pk
    for question in version.questions:
        if question["key"] not in cleaned.answers:
            continue
        answer = cleaned.answers[question["key"]]
        definition: dict[str, Any] = {"interactionType": INTERACTION_TYPES[question["kind"]]}
        if question["kind"] in CHOICE_KINDS:
            definition["choices"] = [
                {"id": str(i), "description": {"ja-JP": text}} for i, text in enumerate(question["options"])
            ]
        statement_record(
            actor=rep,
            verb=vocab.ANSWERED,
            activity=Activity(
                iri=f"{survey_activity}/{question['key']}",
                type=vocab.TYPE_INTERACTION,
                name={"ja-JP": question["text"]},
                parents=parents,
                definition=definition,
            ),
            result={"response": _response_text(answer)},
            extensions=extensions,
            statement_id=uuid.uuid5(statement_id, question["key"]),
            timestamp=timestamp,
        )
    statement_record(
        actor=rep,
        verb=vocab.COMPLETED,
        activity=Activity(
            iri=survey_activity, type=vocab.TYPE_SURVEY, name={"ja-JP": version.title}, parents=parents[1:]
        ),
        result={"completion": True, "extensions": {vocab.EXT_SURVEY_ANSWERS.iri: cleaned.answers}},
        extensions=extensions,
        statement_id=statement_id,
        timestamp=timestamp,
    )
    response = SurveyResponse.objects.get(version=version, rep=rep)
    if lesson is not None:
        from kizuna.records.services import lesson_complete

        lesson_complete(rep=rep, lesson=lesson, by_content=True, timestamp=timestamp)
    return response, True
