"""What counts as learning, and how statements leave as xAPI."""

import uuid

import pytest

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


def test_a_statement_is_stored_and_served_without_null_or_empty_parts_and_with_kizuna_as_authority(cast):
    from kizuna.records.tests.xapi_validation import xapi_problems

    st, _ = statement_record(
        actor=cast.rep_a1,
        verb=vocab.ASKED,
        activity=Activity(iri="urn:test:question", type=ANSWER, name={"ja-JP": "質問"}),
        result={"response": None, "extensions": {}},
        extensions={"urn:test:due": None, "urn:test:tags": []},
    )
    st.refresh_from_db()
    assert st.result is None
    assert "contextActivities" not in st.context and "extensions" in st.context
    assert "urn:test:due" not in st.context["extensions"] and st.context["extensions"]["urn:test:tags"] == []
    data = statement_to_xapi(st)
    assert "result" not in data
    assert data["authority"]["account"]["name"] == "kizuna" and data["authority"]["objectType"] == "Agent"
    assert xapi_problems(data) == []


def test_an_old_statement_stored_with_empty_parts_is_served_valid(cast):
    from kizuna.records.models import Statement
    from kizuna.records.tests.xapi_validation import xapi_problems

    st, _ = statement_record(
        actor=cast.rep_a1, verb=vocab.ASKED, activity=Activity(iri="urn:test:q", type=ANSWER, name={"ja-JP": "質問"})
    )
    old_context = {"platform": "Kizuna", "language": "ja", "contextActivities": {"parent": []}, "extensions": {}}
    Statement.objects.filter(pk=st.pk).update(context=old_context, result={"extensions": {"urn:test:x": None}})
    st.refresh_from_db()
    data = statement_to_xapi(st)
    assert data["context"] == {"platform": "Kizuna", "language": "ja"}
    assert "result" not in data  # its only extension was null: nothing is left
    assert xapi_problems(data) == []


def test_it_refuses_a_statement_id_that_is_not_an_rfc_4122_uuid(cast):
    from kizuna.records.services import StatementError

    not_rfc4122 = uuid.UUID("432a8933-5f85-4363-3822-dce77a0071a9")  # variant bits 00: NCS, not RFC 4122
    with pytest.raises(StatementError):
        statement_record(
            actor=cast.rep_a1,
            verb=vocab.ASKED,
            activity=Activity(iri="urn:test:q", type=ANSWER, name={}),
            statement_id=not_rfc4122,
        )


def test_a_void_is_valid_xapi_without_platform(cast):
    from kizuna.records.tests.xapi_validation import xapi_problems

    st, _ = statement_record(
        actor=cast.rep_a1,
        verb=vocab.VOIDED,
        activity=Activity(iri=str(uuid.uuid4()), type=vocab.TYPE_STATEMENT_REF, name={}),
    )
    assert "platform" not in st.context
    assert xapi_problems(statement_to_xapi(st)) == []
