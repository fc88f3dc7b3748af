"""Reads of surveys: the studio's lists, which surveys reach a rep, who may see which results, and the results."""

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from kizuna.notifications.subjects import SubjectState
from kizuna.orgs.access import Role, can_author, membership_of
from kizuna.orgs.models import Organization

from .models import QuestionKind, Survey, SurveyQuestion, SurveyResponse, SurveySend, SurveyVersion

if TYPE_CHECKING:
    from kizuna.accounts.models import User

TEXT_ANSWERS_SHOWN = 200


def studio_surveys() -> QuerySet[Survey]:
    return (
        Survey.objects.select_related("latest_version")
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("-created_at")
    )


def access_draft_survey_for_user(user: "User", survey_id: int) -> Survey:
    """Return a survey the person may author, or 404."""
    if not can_author(user):
        raise Http404
    try:
        return Survey.objects.select_related("latest_version").get(pk=survey_id)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_question_for_user(user: "User", question_id: int) -> SurveyQuestion:
    if not can_author(user):
        raise Http404
    try:
        return SurveyQuestion.objects.select_related("survey").get(pk=question_id)
    except (SurveyQuestion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def survey_draft_questions(survey: Survey) -> list[SurveyQuestion]:
    return list(survey.questions.order_by("position", "id"))


def survey_sends(survey: Survey) -> QuerySet[SurveySend]:
    return SurveySend.objects.filter(version__survey=survey).select_related("version", "partner", "team", "sent_by")


def _sends_reaching(rep: "User") -> QuerySet[SurveySend]:
    m = membership_of(rep)
    if m is None or m.role != Role.REP:
        return SurveySend.objects.none()
    return SurveySend.objects.filter(Q(team__isnull=True) | Q(team_id=m.team_id), partner_id=m.organization_id)


@dataclass(frozen=True)
class RepSurvey:
    version: SurveyVersion
    due_at: Any
    answered_at: Any


def surveys_for_rep(rep: "User") -> list[RepSurvey]:
    """Return the surveys sent to the rep (the newest version sent of each), unanswered first."""
    sends = _sends_reaching(rep).select_related("version").order_by("-version__number", "-sent_at")
    newest: dict[int, SurveySend] = {}
    for send in sends:
        newest.setdefault(send.version.survey_id, send)
    answered = dict(
        SurveyResponse.objects.filter(rep=rep, version__in=[s.version_id for s in newest.values()]).values_list(
            "version_id", "submitted_at"
        )
    )
    rows = [RepSurvey(s.version, s.due_at, answered.get(s.version_id)) for s in newest.values()]
    return sorted(rows, key=lambda r: (r.answered_at is not None, r.due_at is None, r.due_at or 0, r.version.title))


def access_version_for_rep(user: "User", survey_version_id: int) -> SurveyVersion:
    """Return a survey version sent to this rep, or 404."""
    try:
        send = _sends_reaching(user).select_related("version__survey").filter(version_id=int(survey_version_id)).first()
    except (ValueError, TypeError):
        raise Http404 from None
    if send is None:
        raise Http404
    return send.version


def published_version(version_id: int | None) -> SurveyVersion | None:
    if version_id is None:
        return None
    return SurveyVersion.objects.select_related("survey").filter(pk=version_id).first()


def response_of(*, rep: "User", version: SurveyVersion) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(rep=rep, version=version).first()


# --- Results ---------------------------------------------------------------------------------


def result_partner_ids(user: "User") -> list[int] | None:
    """The partners whose answers this person may see: None = every partner (principal staff)."""
    m = membership_of(user)
    if m is None:
        raise Http404
    if m.is_principal_staff:
        return None
    if m.is_manager:
        return [m.organization_id]
    raise Http404


def surveys_for_manager(user: "User") -> QuerySet[Survey]:
    """Return the surveys sent to the manager's agency, or answered by its reps."""
    m = membership_of(user)
    if m is None or not m.is_manager:
        return Survey.objects.none()
    reached = Q(versions__sends__partner_id=m.organization_id) | Q(versions__responses__partner_id=m.organization_id)
    return Survey.objects.filter(reached).distinct().select_related("latest_version").order_by("-created_at")


def access_survey_for_results(user: "User", survey_id: int) -> Survey:
    """Return a survey whose results this person may see (their agency's part, for a manager), or 404."""
    partner_ids = result_partner_ids(user)
    surveys = Survey.objects.all() if partner_ids is None else surveys_for_manager(user)
    try:
        return surveys.select_related("latest_version").get(pk=survey_id)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def survey_versions(survey: Survey) -> list[SurveyVersion]:
    return list(survey.versions.annotate(response_count=Count("responses")).order_by("-number"))


def _responses(version: SurveyVersion, partner_ids: list[int] | None) -> QuerySet[SurveyResponse]:
    responses = SurveyResponse.objects.filter(version=version)
    if partner_ids is not None:
        responses = responses.filter(partner_id__in=partner_ids)
    return responses


@dataclass
class QuestionResult:
    question: dict[str, Any]
    count: int = 0
    average: float | None = None
    nps: int | None = None
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    # [(label, count, percent)] for scales and choices
    bars: list[tuple[str, int, int]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (agency name, text)


def nps_score(values: Iterable[int]) -> int | None:
    """Net Promoter Score: % of 9–10 minus % of 0–6, from −100 to 100; None without answers."""
    values = list(values)
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return round(100 * (promoters - detractors) / len(values))


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _question_result(question: dict[str, Any], answers: list[tuple[Any, str]], *, include_text: bool) -> QuestionResult:
    result = QuestionResult(question=question, count=len(answers))
    kind = question["kind"]
    values = [value for value, _partner in answers]
    if kind in (QuestionKind.LIKERT, QuestionKind.NPS):
        numbers = [int(v) for v in values]
        scale = range(1, 6) if kind == QuestionKind.LIKERT else range(0, 11)
        result.bars = [(str(n), numbers.count(n), _percent(numbers.count(n), len(numbers))) for n in scale]
        result.average = round(sum(numbers) / len(numbers), 2) if numbers else None
        if kind == QuestionKind.NPS:
            result.promoters = sum(1 for n in numbers if n >= 9)
            result.detractors = sum(1 for n in numbers if n <= 6)
            result.passives = len(numbers) - result.promoters - result.detractors
            result.nps = nps_score(numbers)
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        chosen = [v if isinstance(v, list) else [v] for v in values]
        for option in question["options"]:
            n = sum(1 for c in chosen if option in c)
            result.bars.append((option, n, _percent(n, len(chosen))))
    elif include_text:
        result.texts = [(partner, str(value)) for value, partner in answers][:TEXT_ANSWERS_SHOWN]
    return result


def survey_results(
    *, version: SurveyVersion, partner_ids: list[int] | None, include_text: bool = True
) -> list[QuestionResult]:
    """Return each question's result over the responses of these partners (None: all), newest text first."""
    names = dict(Organization.objects.values_list("pk", "name"))
    by_question: dict[str, list[tuple[Any, str]]] = {q["key"]: [] for q in version.questions}
    rows = _responses(version, partner_ids).order_by("-submitted_at").values_list("answers", "partner_id")
    for answers, partner_id in rows:
        for key, value in answers.items():
            if key in by_question:
                by_question[key].append((value, names.get(partner_id, "")))
    return [_question_result(q, by_question[q["key"]], include_text=include_text) for q in version.questions]


@dataclass
class PartnerRow:
    partner: Organization
    responses: int
    # One figure per scale question: the average (Likert) or the NPS.
    figures: list[float | int | None]


def results_per_partner(*, version: SurveyVersion, partner_ids: list[int] | None) -> list[PartnerRow]:
    """Return, per agency with answers, the number of responses and each scale question's average or NPS."""
    scale_questions = [q for q in version.questions if q["kind"] in (QuestionKind.LIKERT, QuestionKind.NPS)]
    grouped: dict[int, list[dict[str, Any]]] = {}
    for answers, partner_id in _responses(version, partner_ids).values_list("answers", "partner_id"):
        if partner_id is not None:
            grouped.setdefault(partner_id, []).append(answers)
    partners = Organization.objects.in_bulk(list(grouped))
    rows = []
    for partner_id, answer_sets in grouped.items():
        figures: list[float | int | None] = []
        for q in scale_questions:
            numbers = [int(a[q["key"]]) for a in answer_sets if q["key"] in a]
            if q["kind"] == QuestionKind.NPS:
                figures.append(nps_score(numbers))
            else:
                figures.append(round(sum(numbers) / len(numbers), 2) if numbers else None)
        rows.append(PartnerRow(partner=partners[partner_id], responses=len(answer_sets), figures=figures))
    return sorted(rows, key=lambda r: r.partner.name)


def scale_questions(version: SurveyVersion) -> list[dict[str, Any]]:
    return [q for q in version.questions if q["kind"] in (QuestionKind.LIKERT, QuestionKind.NPS)]


def results_csv_rows(*, version: SurveyVersion, partner_ids: list[int] | None) -> Iterator[list[Any]]:
    """Yield the CSV export: a header, then one row per response (agency and answers, no names)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    yield [_("Submitted"), _("Partner"), *[q["text"] for q in version.questions]]
    names = dict(Organization.objects.values_list("pk", "name"))
    rows = (
        _responses(version, partner_ids).order_by("submitted_at").values_list("submitted_at", "partner_id", "answers")
    )
    for submitted_at, partner_id, answers in rows.iterator(chunk_size=2000):
        yield [
            timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M"),
            names.get(partner_id, ""),
            *[answers.get(q["key"]) for q in version.questions],
        ]


@dataclass(frozen=True)
class AnswerField:
    """One question as the answer form draws it, with what was entered and what to fix."""

    key: str
    kind: str
    kind_label: str
    text: str
    required: bool
    # [(value, label, checked)]: the scale's numbers or the choices
    options: list[tuple[str, str, bool]]
    value: str
    error: str


def answer_fields(
    version: SurveyVersion, *, values: dict[str, list[str]] | None = None, errors: dict[str, str] | None = None
) -> list[AnswerField]:
    values, errors = values or {}, errors or {}
    fields = []
    for q in version.questions:
        entered = values.get(f"q-{q['key']}", [])
        if q["kind"] == QuestionKind.LIKERT:
            options = [(str(n), str(n), str(n) in entered) for n in range(1, 6)]
        elif q["kind"] == QuestionKind.NPS:
            options = [(str(n), str(n), str(n) in entered) for n in range(0, 11)]
        else:
            options = [(str(i), label, str(i) in entered) for i, label in enumerate(q["options"])]
        fields.append(
            AnswerField(
                key=q["key"],
                kind=q["kind"],
                kind_label=str(QuestionKind(q["kind"]).label),
                text=q["text"],
                required=q["required"],
                options=options,
                value=entered[0] if entered and q["kind"] == QuestionKind.TEXT else "",
                error=errors.get(q["key"], ""),
            )
        )
    return fields


def survey_answer_states(user: "User", version_ids: Collection[int]) -> dict[int, SubjectState]:
    """Return, for the notification list, the survey versions this person has answered since being asked."""
    answered = SurveyResponse.objects.filter(rep=user, version_id__in=list(version_ids)).values_list(
        "version_id", "submitted_at"
    )
    return {
        version_id: SubjectState(
            label=_("Now: answered on %(date)s") % {"date": formats.date_format(at, "SHORT_DATE_FORMAT")},
            changed_at=at,
        )
        for version_id, at in answered
    }
