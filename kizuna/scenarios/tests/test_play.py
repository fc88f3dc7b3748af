"""Playing: every choice is an xAPI `answered` statement; retries are idempotent; illegal choices are refused."""

import uuid

import pytest
from django.conf import settings

from kizuna.records.models import LessonProgress, Statement
from kizuna.scenarios import services, vocab
from kizuna.scenarios.errors import ScenarioError
from kizuna.scenarios.models import Attempt
from kizuna.scenarios.services import attempt_start, choice_make

from .helpers import REFERENCE_PATH, play, tiny_graph


def test_each_choice_is_an_answered_interaction_statement(cast, complaint_version, complaint):
    registration = attempt_start(rep=cast.rep_a1, version=complaint_version)
    sid = uuid.uuid4()
    step = choice_make(
        rep=cast.rep_a1, registration=registration, node_key="opening", choice="apologize-first", statement_id=sid
    )
    assert step.choice["commentary"].startswith("自分ならこう考えます")
    assert step.next_node["key"] == "vague-apology" and not step.finished
    st = Statement.objects.get(id=sid)
    assert st.verb == "http://adlnet.gov/expapi/verbs/answered"
    assert st.object_type == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert st.object_iri == f"{settings.SITE_URL}/xapi/activities/scenario/{complaint.key}/v1/node/opening"
    assert st.result == {"response": "apologize-first", "score": {"raw": 1, "min": -2, "max": 3, "scaled": 0.3333}}
    assert st.context["registration"] == str(registration)
    ext = st.context["extensions"]
    assert ext[vocab.EXT_SCENARIO_VERSION.iri] == complaint_version.pk
    assert ext[vocab.EXT_REFERENCE_MATCH.iri] is False
    assert ext[vocab.EXT_VALUE_TAGS.iri] == []
    assert st.partner_id == cast.partner_a.pk
    definition = st.object_definition
    assert definition["interactionType"] == "choice"
    assert "apologize-first" in [c["id"] for c in definition["choices"]]
    assert definition["correctResponsesPattern"] != ["apologize-first"]  # the top rep asks first


def test_the_attempt_starts_with_an_attempted_statement(cast, complaint_version):
    registration = attempt_start(rep=cast.rep_a1, version=complaint_version)
    st = Statement.objects.get(verb=vocab.ATTEMPTED.iri)
    assert st.object_type == vocab.TYPE_SCENARIO.iri
    assert st.context["registration"] == str(registration)
    attempt = Attempt.objects.get(registration=registration)
    assert (attempt.rep, attempt.version, attempt.current_node) == (cast.rep_a1, complaint_version, "opening")


def test_a_retried_start_returns_the_same_attempt(cast, complaint_version):
    sid = uuid.uuid4()
    first = attempt_start(rep=cast.rep_a1, version=complaint_version, statement_id=sid)
    assert attempt_start(rep=cast.rep_a1, version=complaint_version, statement_id=sid) == first
    assert Attempt.objects.count() == 1


def test_a_retried_choice_is_recorded_once_and_returns_the_same_step(cast, complaint_version):
    registration = attempt_start(rep=cast.rep_a1, version=complaint_version)
    sid = uuid.uuid4()
    first = choice_make(rep=cast.rep_a1, registration=registration, node_key="opening", choice=1, statement_id=sid)
    again = choice_make(rep=cast.rep_a1, registration=registration, node_key="opening", choice=1, statement_id=sid)
    assert first.choice["key"] == again.choice["key"] == "ask-details"
    attempt = Attempt.objects.get(registration=registration)
    assert attempt.path == [["opening", "ask-details"]]
    assert Statement.objects.filter(verb__endswith="/answered").count() == 1


def test_a_choice_not_offered_at_the_current_moment_is_refused(cast, complaint_version):
    registration = attempt_start(rep=cast.rep_a1, version=complaint_version)
    for node_key, choice in [("opening", "guide-setting"), ("opening", 7), ("details", "guide-setting")]:
        with pytest.raises(ScenarioError):
            choice_make(
                rep=cast.rep_a1, registration=registration, node_key=node_key, choice=choice, statement_id=uuid.uuid4()
            )
    assert not Statement.objects.filter(verb__endswith="/answered").exists()


def test_someone_elses_attempt_is_refused(cast, complaint_version):
    registration = attempt_start(rep=cast.rep_a1, version=complaint_version)
    with pytest.raises(ScenarioError):
        choice_make(rep=cast.rep_b1, registration=registration, node_key="opening", choice=0, statement_id=uuid.uuid4())


def test_reaching_an_end_completes_the_scenario_with_score_outcome_and_alignment(cast, complaint_version):
    attempt = play(cast.rep_a1, complaint_version, REFERENCE_PATH)
    assert attempt.finished_at is not None
    assert (attempt.outcome, attempt.score_raw, attempt.alignment) == ("won", 12, 1.0)
    st = Statement.objects.get(verb__endswith="/completed", object_type=vocab.TYPE_SCENARIO.iri)
    assert st.result["score"] == {"raw": 12, "min": -4, "max": 12, "scaled": 1.0}
    assert st.result["extensions"] == {vocab.EXT_OUTCOME.iri: "won", vocab.EXT_ALIGNMENT.iri: 1.0}
    assert st.context["registration"] == str(attempt.registration)
    with pytest.raises(ScenarioError):
        choice_make(
            rep=cast.rep_a1, registration=attempt.registration, node_key="won", choice=0, statement_id=uuid.uuid4()
        )


def test_a_retried_last_choice_does_not_complete_twice(cast, complaint_version):
    attempt = play(cast.rep_a1, complaint_version, REFERENCE_PATH[:-1])
    sid = uuid.uuid4()
    for _ in range(2):
        step = choice_make(
            rep=cast.rep_a1,
            registration=attempt.registration,
            node_key="trust",
            choice="listen-expansion",
            statement_id=sid,
        )
        assert step.finished
    assert Statement.objects.filter(verb__endswith="/completed", object_type=vocab.TYPE_SCENARIO.iri).count() == 1


def test_playing_a_lesson_to_an_end_completes_the_lesson(cast, scenario_lesson):
    from kizuna.scenarios.models import ScenarioVersion

    version = ScenarioVersion.objects.get(pk=scenario_lesson.content_id)
    attempt = play(cast.rep_a1, version, ["blame-other", "hand-over"], lesson=scenario_lesson)
    assert attempt.outcome == "lost" and attempt.lesson_id == scenario_lesson.pk
    progress = LessonProgress.objects.get(user=cast.rep_a1, lesson=scenario_lesson)
    assert progress.completed_at is not None
    # The course had one lesson: it is finished too.
    assert Statement.objects.filter(
        actor=cast.rep_a1, verb__endswith="/completed", lesson__isnull=True, course__isnull=False
    ).exists()


def test_a_lesson_that_shows_another_version_is_refused(cast, scenario_lesson, complaint):
    other = services.scenario_import(tiny_graph(), author=cast.author)
    version = services.scenario_publish(scenario=other, publisher=cast.author)
    with pytest.raises(ScenarioError):
        attempt_start(rep=cast.rep_a1, version=version, lesson=scenario_lesson)
