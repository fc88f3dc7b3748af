"""What counts as learning, and how statements leave as xAPI."""

import uuid

from kizuna.records import vocab
from kizuna.records.models import LearningDay
from kizuna.records.services import Activity, statement_record, statement_to_xapi

ANSWER = vocab.Term("activity-types/community-answer", "回答", "answer", own=True)


def test_a_recognition_or_a_void_makes_no_learning_day(cast):
    received, _ = statement_record(
        actor=cast.rep_a1, verb=vocab.RECEIVED, activity=Activity(iri="urn:test:answer", type=ANSWER, name={})
    )
    statement_record(
        actor=cast.rep_a1,
        verb=vocab.VOIDED,
        activity=Activity(iri=str(received.id), type=vocab.Term("StatementRef", "", ""), name={}),
    )
    assert not LearningDay.objects.filter(user=cast.rep_a1).exists()
    statement_record(
        actor=cast.rep_a1, verb=vocab.ASKED, activity=Activity(iri="urn:test:question", type=ANSWER, name={})
    )
    assert LearningDay.objects.filter(user=cast.rep_a1).count() == 1


def test_an_app_marks_its_own_verbs_as_not_learning():
    earned = vocab.Term("verbs/test-earned", "取得した", "earned", own=True)
    assert vocab.is_learning_verb(earned.iri)
    vocab.register_not_learning(earned)
    assert not vocab.is_learning_verb(earned.iri)
    assert earned.iri in vocab.not_learning_verbs()


def test_a_void_leaves_as_a_statement_ref_and_published_verbs_have_a_display(cast):
    target = uuid.uuid4()
    st, _ = statement_record(
        actor=cast.rep_a1,
        verb=vocab.VOIDED,
        activity=Activity(iri=str(target), type=vocab.Term("StatementRef", "", ""), name={}),
    )
    data = statement_to_xapi(st)
    assert data["object"] == {"objectType": "StatementRef", "id": str(target)}
    assert data["verb"]["display"]["en-US"] == "voided"
    assert vocab.verb_for(vocab.RECEIVED.iri).display["ja-JP"] == "受け取った"


def test_a_statement_that_loses_the_race_for_a_first_row_adds_to_the_winners_row(cast, monkeypatch):
    """Two requests found no row of the day; the other inserted first: this one adds to that row."""
    from kizuna.records import projections

    asked = vocab.ASKED
    statement_record(actor=cast.rep_a1, verb=asked, activity=Activity(iri="urn:test:q1", type=ANSWER, name={}))
    real_locked = projections._locked
    missed = []

    def locked_but_missing_once(model, **keys):
        if model is LearningDay and not missed:
            missed.append(keys)
            return None  # as if the other request's row were not committed yet
        return real_locked(model, **keys)

    monkeypatch.setattr(projections, "_locked", locked_but_missing_once)
    statement_record(actor=cast.rep_a1, verb=asked, activity=Activity(iri="urn:test:q2", type=ANSWER, name={}))
    day = LearningDay.objects.get(user=cast.rep_a1)
    assert missed and day.statements == 2
