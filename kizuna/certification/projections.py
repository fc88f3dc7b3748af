"""The certification projections: evidence (statements that can meet a requirement) and holdings.

`apply` stores a statement's evidence and re-evaluates the rep only for the certifications that name its
course, quiz or roleplay; anything else is ignored after two string comparisons.
"""

import logging
import re
from typing import Any

from django.utils import timezone

from kizuna.records import vocab as records_vocab
from kizuna.records.projections import rebuild_in_passes, statements_in_order

from . import vocab
from .models import Evidence, Holding

TYPE_ASSESSMENT = records_vocab.ADL_ACTIVITIES + "assessment"
COMPLETED = records_vocab.COMPLETED.iri
PASSED = records_vocab.PASSED.iri
FAILED = records_vocab.FAILED.iri
logger = logging.getLogger(__name__)
_QUIZ_KEY = re.compile(r"/quiz/([0-9a-f-]{36})/v\d+$")
_LESSON_KEY = re.compile(r"/lesson/([0-9a-f-]{36})/v\d+$")


def evidence_of(st: Any) -> Evidence | None:
    """Return the evidence row a statement makes, or None when it cannot meet any requirement."""
    verb = st.verb
    if verb == COMPLETED:
        if st.course_id is None:
            return None
        if st.lesson_id is not None:
            kind = Evidence.Kind.LESSON
        elif st.object_type == records_vocab.TYPE_COURSE.iri:
            kind = Evidence.Kind.COURSE
        else:
            return None
        return Evidence(
            statement_id=st.id,
            rep_id=st.actor_id,
            kind=kind,
            course_id=st.course_id,
            version_id=st.course_version_id,
            lesson_id=st.lesson_id,
            passed=True,
            at=st.timestamp,
        )
    if verb not in (PASSED, FAILED):
        return None
    score = ((st.result or {}).get("score") or {}).get("scaled")
    if st.object_type == TYPE_ASSESSMENT:
        match = _QUIZ_KEY.search(st.object_iri)
        if match is None:
            return None
        kind, ref = Evidence.Kind.QUIZ, match.group(1)
    elif st.object_type == records_vocab.TYPE_LESSON.iri:
        # A scored lesson's result (a SCORM package, a cmi5 course: records.services.lesson_result_record) is
        # a score like a quiz's, named by the lesson's key, which stays the same across course versions.
        match = _LESSON_KEY.search(st.object_iri)
        if match is None:
            return None
        kind, ref = Evidence.Kind.QUIZ, match.group(1)
    elif st.object_type == vocab.TYPE_ROLEPLAY.iri:
        kind, ref = Evidence.Kind.ROLEPLAY, st.object_iri
    else:
        return None
    return Evidence(
        statement_id=st.id,
        rep_id=st.actor_id,
        kind=kind,
        ref=ref[:500],
        score=float(score) if score is not None else None,
        passed=verb == PASSED,
        at=st.timestamp,
    )


def apply_statement(st: Any) -> None:
    evidence = evidence_of(st)
    if evidence is None:
        return
    evidence.save()
    from .services import holdings_evaluate_for_evidence

    holdings_evaluate_for_evidence(evidence=evidence, partner_id=st.partner_id)


def rebuild() -> int:
    """Derive the evidence and every holding again from the statements (no events are sent)."""
    from .services import holdings_derive

    Holding.objects.all().delete()
    Evidence.objects.all().delete()
    _evidence_derive(None)
    logger.info("certification: evidence rebuilt")
    return holdings_derive(now=timezone.now())


def rebuild_reps(rep_ids: list[int]) -> int:
    """Derive these reps' evidence and holdings again (a partner's rebuild; no events are sent).

    Certification is judged per rep, from the rep's own statements and the agency they belong to now, so these
    are the rows a full rebuild makes for them; nobody else's are touched.
    """
    from .services import holdings_derive

    now = timezone.now()

    def one_pass(group: list[int]) -> int:
        Holding.objects.filter(rep_id__in=group).delete()
        Evidence.objects.filter(rep_id__in=group).delete()
        _evidence_derive(group)
        return holdings_derive(now=now, rep_ids=group)

    return rebuild_in_passes(rep_ids, one_pass)


def _evidence_derive(actors: list[int] | None) -> None:
    batch: list[Evidence] = []
    for st in statements_in_order(verbs=[COMPLETED, PASSED, FAILED], actors=actors):
        evidence = evidence_of(st)
        if evidence is not None:
            batch.append(evidence)
        if len(batch) >= 5000:
            Evidence.objects.bulk_create(batch)
            batch = []
    Evidence.objects.bulk_create(batch)
