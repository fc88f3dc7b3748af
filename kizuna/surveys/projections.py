"""The response projection: one SurveyResponse per rep and survey version, from their `completed` statement."""

from typing import Any

from kizuna.records.models import Statement
from kizuna.records.projections import rebuild_in_passes, statements_in_order

from . import vocab
from .models import SurveyResponse, SurveyVersion


def _response_for(st: Statement) -> SurveyResponse | None:
    extensions = (st.context or {}).get("extensions", {})
    version_id = extensions.get(vocab.EXT_SURVEY_VERSION.iri)
    answers: Any = ((st.result or {}).get("extensions") or {}).get(vocab.EXT_SURVEY_ANSWERS.iri)
    if version_id is None or not isinstance(answers, dict):
        return None
    return SurveyResponse(
        version_id=version_id,
        rep_id=st.actor_id,
        partner_id=st.partner_id,
        lesson_id=extensions.get(vocab.EXT_SURVEY_LESSON.iri),
        statement_id=st.id,
        answers=answers,
        submitted_at=st.timestamp,
    )


def _is_response(st: Statement) -> bool:
    return st.verb == vocab.COMPLETED.iri and st.object_type == vocab.TYPE_SURVEY.iri


def apply_statement(st: Statement) -> None:
    """Store the response of a newly stored `completed` statement; the first one per rep and version counts."""
    if not _is_response(st):
        return
    response = _response_for(st)
    if response is None or SurveyResponse.objects.filter(version_id=response.version_id, rep_id=st.actor_id).exists():
        return
    response.save()


def rebuild() -> int:
    """Throw the responses away and derive them again from the statements."""
    SurveyResponse.objects.all().delete()
    return _derive(None)


def rebuild_reps(rep_ids: list[int]) -> int:
    """Derive these reps' responses again from all their statements (a partner's rebuild)."""

    def one_pass(group: list[int]) -> int:
        SurveyResponse.objects.filter(rep_id__in=group).delete()
        return _derive(group)

    return rebuild_in_passes(rep_ids, one_pass)


def _derive(actors: list[int] | None) -> int:
    existing_versions = set(SurveyVersion.objects.values_list("pk", flat=True))
    rows: dict[tuple[int, int], SurveyResponse] = {}
    statements = statements_in_order(verbs=[vocab.COMPLETED.iri], object_type=vocab.TYPE_SURVEY.iri, actors=actors)
    for st in statements:
        response = _response_for(st)
        if response is None or response.version_id not in existing_versions:
            continue
        rows.setdefault((response.version_id, st.actor_id), response)
    SurveyResponse.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)
