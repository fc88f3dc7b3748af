"""Item analysis for the principal, weak topics and results for those allowed to see them — and nobody else."""

import math
from datetime import UTC, datetime, timedelta

import pytest
from django.http import Http404

from conftest import make_person
from kizuna.assessments import selectors, services
from kizuna.assessments.models import QuizVersion

from .conftest import make_quiz, quiz_lesson, sid

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def take(rep, lesson, answers, at=T0):
    version = QuizVersion.objects.get(pk=lesson.content_id)
    attempt = services.attempt_start(rep=rep, quiz_version=version, lesson=lesson, statement_id=sid(), timestamp=at)
    for question, answer in answers:
        services.answer_save(
            rep=rep, attempt=attempt, question_key=question.key, answer=answer, statement_id=sid(), timestamp=at
        )
    return services.attempt_submit(rep=rep, attempt=attempt, statement_id=sid(), timestamp=at + timedelta(minutes=1))


@pytest.fixture
def world(cast, questions):
    single, tf = questions["single"], questions["truefalse"]
    quiz = make_quiz(cast, [single, tf], pass_mark=100)
    lesson_a = quiz_lesson(cast, quiz)
    lesson_b = quiz_lesson(cast, quiz, slug="for-b", partner=cast.partner_b)
    # x = the single-choice score, y = the true/false score (the rest of the quiz).
    take(cast.rep_a1, lesson_a, [(single, {"choice": "1"}), (tf, {"choice": "true"})])  # 1, 1
    take(cast.rep_a2, lesson_a, [(single, {"choice": "2"}), (tf, {"choice": "false"})])  # 0, 0
    take(cast.rep_b1, lesson_b, [(single, {"choice": "3"}), (tf, {"choice": "true"})])  # 0, 1
    return {"single": single, "tf": tf, "quiz": quiz, "lesson_a": lesson_a, "lesson_b": lesson_b}


def test_item_analysis_aggregates_across_partners_for_the_principal(cast, world, django_assert_num_queries):
    with django_assert_num_queries(3):  # the quiz's versions, their questions, their statistics
        rows = {r.question.pk: r for r in selectors.item_analysis(cast.author, quiz=world["quiz"])}
    single = rows[world["single"].pk]
    assert (single.answered, single.share_correct) == (3, pytest.approx(1 / 3))
    xs, ys = [1, 0, 0], [1, 0, 1]
    mx, my = sum(xs) / 3, sum(ys) / 3
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / 3
    r = cov / math.sqrt(sum((x - mx) ** 2 for x in xs) / 3 * sum((y - my) ** 2 for y in ys) / 3)
    assert single.discrimination == pytest.approx(r)
    assert [(o.label, o.count, o.right) for o in single.options] == [
        ("月額制", 1, True),
        ("買い切り", 1, False),
        ("従量課金", 1, False),
    ]
    only_b = {r.question.pk: r for r in selectors.item_analysis(cast.admin, quiz=world["quiz"], partner=cast.partner_b)}
    assert only_b[world["single"].pk].answered == 1


def test_broken_looking_questions_are_flagged_once_there_are_enough_answers(cast, questions):
    single = questions["single"]
    quiz = make_quiz(cast, [single, questions["truefalse"]], pass_mark=0)
    lesson = quiz_lesson(cast, quiz)
    reps = [make_person(f"r{n}@partner-a.example", f"営業 {n}", cast.partner_a, "rep", cast.team_a1) for n in range(20)]
    for n, rep in enumerate(reps):
        # The best reps (right on true/false) pick the "wrong" option 2; the others pick 3.
        good = n % 2 == 0
        take(
            rep,
            lesson,
            [
                (single, {"choice": "2" if good else "3"}),
                (questions["truefalse"], {"choice": "true" if good else "false"}),
            ],
        )
    row = next(r for r in selectors.item_analysis(cast.author, bank=single.bank) if r.question == single)
    assert "too_hard" in row.flags and "distractor_beats_answer" in row.flags
    assert row.flag_messages


def test_item_analysis_is_for_principal_staff_only(cast, world):
    for outsider in (cast.manager_a, cast.rep_a1, cast.manager_b):
        with pytest.raises(Http404):
            selectors.item_analysis(outsider, quiz=world["quiz"])


def test_weak_topics_for_a_rep_a_team_and_a_partner(cast, world):
    today = T0.date()
    price = world["single"].topics.get()
    mine = selectors.weak_topics(cast.rep_a2, today=today, min_answers=1)
    assert [(t.topic, t.answered, t.rate) for t in mine][0] == (price, 1, 0.0)
    partner_a = selectors.weak_topics(cast.manager_a, partner=cast.partner_a, today=today, min_answers=1)
    assert {(t.topic.pk, t.answered) for t in partner_a} == {(price.pk, 2), (world["tf"].topics.get().pk, 2)}
    team = selectors.weak_topics(cast.manager_a, team=cast.team_a2, today=today, min_answers=1)
    assert all(t.answered == 1 for t in team)  # only rep_a2 is in team A2
    everyone = selectors.weak_topics(cast.admin, today=today, min_answers=1)
    assert sum(t.answered for t in everyone) == 6
    assert selectors.weak_topics(cast.rep_a2, today=today + timedelta(weeks=20), min_answers=1) == []


def test_partner_b_never_sees_partner_a_answers(cast, world):
    with pytest.raises(Http404):
        selectors.weak_topics(cast.manager_b, partner=cast.partner_a)
    with pytest.raises(Http404):
        selectors.weak_topics(cast.manager_b, rep=cast.rep_a1)
    with pytest.raises(Http404):
        selectors.weak_topics(cast.manager_b, team=cast.team_a1)
    with pytest.raises(Http404):
        selectors.rep_attempts(cast.manager_b, cast.rep_a1)
    attempt = selectors.rep_attempts(cast.manager_a, cast.rep_a1).get()
    with pytest.raises(Http404):
        selectors.access_attempt_for_user(cast.rep_b1, attempt.pk)
    assert {a.rep for a in selectors.reps_results(cast.manager_b)} == {cast.rep_b1}
    assert {a.rep for a in selectors.reps_results(cast.manager_a)} == {cast.rep_a1, cast.rep_a2}
    assert {a.rep for a in selectors.reps_results(cast.coach)} == {cast.rep_a1, cast.rep_a2, cast.rep_b1}
    assert not selectors.reps_results(cast.author).exists()  # authors get aggregates only
    assert {a.rep for a in selectors.reps_results(cast.rep_a1)} == {cast.rep_a1}
    b_topics = selectors.weak_topics(cast.manager_b, today=T0.date(), min_answers=1)
    assert sum(t.answered for t in b_topics) == 2


def test_a_result_shows_right_wrong_feedback_and_explanations(cast, world):
    attempt = selectors.rep_attempts(cast.rep_a2, cast.rep_a2).get()
    result = selectors.attempt_result(attempt)
    single = next(q for q in result.questions if "料金体系" in q.text_html)
    assert (single.correct, single.your_answer, single.right_answer) == (False, ["買い切り"], ["月額制"])
    assert single.feedback == ["買い切りの販売はしていません。"]
    assert "<strong>月額制</strong>" in single.explanation_html
    assert result.correct_count == 0
