"""Attempts: start, save answers as you go, submit once; scoring, pass marks, attempt limits and time limits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.assessments import services, vocab
from kizuna.assessments.errors import AssessmentError
from kizuna.assessments.models import Attempt, AttemptAnswer
from kizuna.records.models import LessonProgress, Statement

from .conftest import RIGHT, WRONG, make_quiz, quiz_lesson, sid


def statements(rep, verb):
    return Statement.objects.filter(actor=rep, verb__endswith="/" + verb)


@pytest.fixture
def lesson(cast, questions):
    quiz = make_quiz(cast, list(questions.values()), pass_mark=80)
    return quiz_lesson(cast, quiz)


def start(cast, lesson, rep=None, **kwargs):
    from kizuna.assessments.models import QuizVersion

    version = QuizVersion.objects.get(pk=lesson.content_id)
    return services.attempt_start(
        rep=rep or cast.rep_a1, quiz_version=version, lesson=lesson, statement_id=sid(), **kwargs
    )


def answer_all(rep, attempt, questions, answers):
    by_key = {str(q.key): q for q in questions.values()}
    for item in attempt.layout:
        q = by_key[item["key"]]
        services.answer_save(
            rep=rep, attempt=attempt, question_key=item["key"], answer=answers[q.type](q), statement_id=sid()
        )


def test_starting_records_attempted_with_the_drawn_layout(cast, lesson, questions):
    attempt = start(cast, lesson)
    st = statements(cast.rep_a1, "attempted").get()
    assert st.object_type == vocab.TYPE_ASSESSMENT.iri
    assert st.context["registration"] == str(attempt.key)
    assert st.context["extensions"][vocab.EXT_ATTEMPT.iri]["layout"] == attempt.layout
    assert st.lesson_id == lesson.pk
    assert {item["key"] for item in attempt.layout} == {str(q.key) for q in questions.values()}
    single = next(i for i in attempt.layout if i["key"] == str(questions["single"].key))
    assert sorted(single["order"]) == ["1", "2", "3"]


def test_starting_twice_gives_the_same_attempt(cast, lesson):
    from kizuna.assessments.models import QuizVersion

    version = QuizVersion.objects.get(pk=lesson.content_id)
    once = sid()
    first = services.attempt_start(rep=cast.rep_a1, quiz_version=version, lesson=lesson, statement_id=once)
    again = services.attempt_start(rep=cast.rep_a1, quiz_version=version, lesson=lesson, statement_id=once)
    other_tap = services.attempt_start(rep=cast.rep_a1, quiz_version=version, lesson=lesson, statement_id=sid())
    assert first == again == other_tap
    assert Attempt.objects.count() == 1 and statements(cast.rep_a1, "attempted").count() == 1


def test_all_right_answers_pass_and_complete_the_lesson(cast, lesson, questions):
    attempt = start(cast, lesson)
    answer_all(cast.rep_a1, attempt, questions, RIGHT)
    submitted = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    assert (submitted.score, submitted.passed) == (1.0, True)
    assert statements(cast.rep_a1, "answered").count() == 6
    assert statements(cast.rep_a1, "passed").count() == 1
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is not None


def test_wrong_answers_fail_and_leave_the_lesson_open(cast, lesson, questions):
    attempt = start(cast, lesson)
    answer_all(cast.rep_a1, attempt, questions, WRONG)
    submitted = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    assert submitted.passed is False and submitted.score == 0.0
    assert statements(cast.rep_a1, "failed").count() == 1
    lp = LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson)
    assert lp.completed_at is None


def test_the_score_is_the_mean_of_question_scores_and_blank_counts_zero(cast, questions):
    quiz = make_quiz(
        cast, [questions["single"], questions["multiple"], questions["truefalse"], questions["short"]], pass_mark=50
    )
    lesson = quiz_lesson(cast, quiz)
    attempt = start(cast, lesson)
    multiple = questions["multiple"]
    services.answer_save(
        rep=cast.rep_a1, attempt=attempt, question_key=multiple.key, answer={"choices": ["1"]}, statement_id=sid()
    )  # half right
    services.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=questions["short"].key,
        answer={"text": "ｵｰﾄｸﾛｰｽﾞ"},
        statement_id=sid(),
    )
    services.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=questions["truefalse"].key,
        answer={"choice": "true"},
        statement_id=sid(),
    )
    submitted = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    assert submitted.score == pytest.approx(2.5 / 4)
    assert submitted.passed is True
    completed = statements(cast.rep_a1, "completed").get(object_type=vocab.TYPE_ASSESSMENT.iri)
    assert completed.result["score"] == {"scaled": 0.625, "raw": 2.5, "min": 0, "max": 4}
    assert completed.lesson_id is None  # the lesson's own `completed` is records' (lesson_complete)


def test_a_double_submit_gives_one_result_and_one_statement_each(cast, lesson, questions):
    attempt = start(cast, lesson)
    answer_all(cast.rep_a1, attempt, questions, RIGHT)
    tap = sid()
    first = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=tap)
    second = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=tap)
    third = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    assert first.submitted_at == second.submitted_at == third.submitted_at
    assert statements(cast.rep_a1, "completed").filter(object_type=vocab.TYPE_ASSESSMENT.iri).count() == 1
    assert statements(cast.rep_a1, "passed").count() == 1
    assert statements(cast.rep_a1, "completed").filter(lesson=lesson).count() == 1


def test_an_answer_saved_twice_counts_once_and_a_changed_answer_replaces_it(cast, lesson, questions):
    attempt = start(cast, lesson)
    key = questions["single"].key
    tap = sid()
    for _ in range(2):
        services.answer_save(
            rep=cast.rep_a1, attempt=attempt, question_key=key, answer={"choice": "2"}, statement_id=tap
        )
    services.answer_save(rep=cast.rep_a1, attempt=attempt, question_key=key, answer={"choice": "2"}, statement_id=sid())
    assert statements(cast.rep_a1, "answered").count() == 1
    services.answer_save(rep=cast.rep_a1, attempt=attempt, question_key=key, answer={"choice": "1"}, statement_id=sid())
    assert statements(cast.rep_a1, "answered").count() == 2
    saved = AttemptAnswer.objects.get(attempt=attempt, question_key=key)
    assert (saved.answer, saved.correct, saved.response) == ({"choice": "1"}, True, "1")


def test_the_answered_statement_is_a_cmi_interaction_with_its_response(cast, lesson, questions):
    attempt = start(cast, lesson)
    q = questions["matching"]
    services.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=q.key,
        answer={"matches": {"1": "1", "2": "3"}},
        statement_id=sid(),
    )
    st = statements(cast.rep_a1, "answered").get()
    assert st.object_type == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert st.object_iri.endswith(f"/question/{q.key}")
    assert st.result["response"] == "1[.]1[,]2[.]3"
    assert (st.result["success"], st.result["score"]["scaled"]) == (False, 0.5)
    assert st.object_definition["interactionType"] == "matching"
    assert st.object_definition["correctResponsesPattern"] == ["1[.]1[,]2[.]2"]
    assert st.context["registration"] == str(attempt.key)


def test_unreadable_answers_and_foreign_questions_are_refused(cast, lesson, questions, bank):
    attempt = start(cast, lesson)
    with pytest.raises(services.AnswerError):
        services.answer_save(
            rep=cast.rep_a1,
            attempt=attempt,
            question_key=questions["numerical"].key,
            answer={"text": "三百"},
            statement_id=sid(),
        )
    other = services.question_create(bank=bank, type="truefalse", text="別の問題", data={"answer": True})
    with pytest.raises(AssessmentError):
        services.answer_save(
            rep=cast.rep_a1, attempt=attempt, question_key=other.key, answer={"choice": "true"}, statement_id=sid()
        )
    with pytest.raises(AssessmentError):
        services.answer_save(
            rep=cast.rep_a2,
            attempt=attempt,
            question_key=questions["truefalse"].key,
            answer={"choice": "true"},
            statement_id=sid(),
        )
    assert not statements(cast.rep_a1, "answered").exists()


def test_answers_cannot_change_after_submitting(cast, lesson, questions):
    attempt = start(cast, lesson)
    services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    with pytest.raises(AssessmentError):
        services.answer_save(
            rep=cast.rep_a1,
            attempt=attempt,
            question_key=questions["truefalse"].key,
            answer={"choice": "true"},
            statement_id=sid(),
        )


def test_allowed_attempts_are_enforced(cast, questions):
    quiz = make_quiz(cast, [questions["truefalse"]], allowed_attempts=2)
    lesson = quiz_lesson(cast, quiz)
    for number in (1, 2):
        attempt = start(cast, lesson)
        assert attempt.number == number
        services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    with pytest.raises(AssessmentError, match="2"):
        start(cast, lesson)
    assert start(cast, lesson, rep=cast.rep_a2).number == 1  # the limit is each rep's own


def test_the_time_limit_is_enforced_on_the_server(cast, questions):
    quiz = make_quiz(cast, [questions["truefalse"], questions["single"]], time_limit_minutes=5, pass_mark=50)
    lesson = quiz_lesson(cast, quiz)
    began = timezone.now()
    attempt = start(cast, lesson, timestamp=began)
    assert attempt.deadline == began + timedelta(minutes=5)
    services.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=questions["truefalse"].key,
        answer={"choice": "true"},
        statement_id=sid(),
        timestamp=began + timedelta(minutes=4),
    )
    with pytest.raises(AssessmentError):
        services.answer_save(
            rep=cast.rep_a1,
            attempt=attempt,
            question_key=questions["single"].key,
            answer={"choice": "1"},
            statement_id=sid(),
            timestamp=began + timedelta(minutes=6),
        )
    # Coming back later closes the expired attempt with what was saved in time, then starts a new one.
    fresh = start(cast, lesson, timestamp=began + timedelta(minutes=30))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score == 0.5 and attempt.passed
    assert fresh.number == 2


def test_only_reps_take_quizzes(cast, lesson):
    with pytest.raises(AssessmentError):
        start(cast, lesson, rep=cast.manager_a)


def test_each_answer_counts_as_learning_time_in_the_lesson(cast, lesson, questions):
    began = timezone.now()
    attempt = start(cast, lesson, timestamp=began)
    services.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=questions["truefalse"].key,
        answer={"choice": "true"},
        statement_id=sid(),
        timestamp=began + timedelta(seconds=20),
    )
    services.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=questions["single"].key,
        answer={"choice": "1"},
        statement_id=sid(),
        timestamp=began + timedelta(seconds=50),
    )
    assert [a.seconds for a in AttemptAnswer.objects.order_by("answered_at")] == [20.0, 30.0]
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).time_spent_seconds == 50.0
