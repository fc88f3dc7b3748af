"""Publishing freezes a quiz: learners never see later edits, and an unchanged quiz is not published twice."""

import pytest

from kizuna.assessments import services
from kizuna.assessments.errors import AssessmentError
from kizuna.assessments.published import draw_layout
from kizuna.catalog import services as catalog

from .conftest import make_quiz


def test_a_published_version_keeps_the_question_as_it_was(cast, questions):
    question = questions["single"]
    quiz = make_quiz(cast, [question], pass_mark=70)
    version = services.quiz_publish(quiz=quiz, publisher=cast.author)
    topic = question.topics.get()
    services.question_update(
        question=question, type="single", text="書き換えた問題", data=question.data, explanation="新しい解説"
    )
    frozen = version.questions[str(question.key)]
    assert frozen["text"] == "クラウド勤怠 KIZUNA の料金体系は?"
    assert "<strong>月額制</strong>" in frozen["explanation_html"]
    assert frozen["topics"] == [topic.slug]
    assert (version.pass_mark, version.question_count, version.number) == (70, 1, 1)
    newer = services.quiz_publish(quiz=quiz, publisher=cast.author)
    assert newer.number == 2 and newer.questions[str(question.key)]["text"] == "書き換えた問題"


def test_republishing_an_unchanged_quiz_returns_the_latest_version(cast, questions):
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"]])
    first = services.quiz_publish(quiz=quiz, publisher=cast.author)
    assert services.quiz_publish(quiz=quiz, publisher=cast.admin) == first
    quiz.refresh_from_db()
    assert quiz.latest_version == first and quiz.versions.count() == 1


def test_publish_problems_name_what_to_fix(cast, bank, questions):
    empty = services.quiz_create(author=cast.author, title="空のテスト")
    assert any("空のテスト" in p for p in services.quiz_publish_problems(empty))
    with pytest.raises(AssessmentError):
        services.quiz_publish(quiz=empty, publisher=cast.author)

    too_many = make_quiz(cast, list(questions.values())[:4], title="長い")
    assert services.quiz_publish_problems(too_many) == []
    assert any("3" in p for p in services.quiz_publish_problems(too_many, micro=True))

    drawing = services.quiz_create(author=cast.author, title="ランダム")
    services.quiz_draw_add(quiz=drawing, bank=bank, count=7)
    assert any("7" in p for p in services.quiz_publish_problems(drawing))

    archived = make_quiz(cast, [questions["short"]], title="古い")
    services.question_archive(question=questions["short"])
    assert services.quiz_publish_problems(archived)


def test_bad_settings_are_refused(cast):
    with pytest.raises(AssessmentError):
        services.quiz_create(author=cast.author, title="x", pass_mark=120)
    with pytest.raises(AssessmentError):
        services.quiz_create(author=cast.author, title="x", time_limit_minutes=0)


def test_draw_rules_pick_by_topic_and_never_repeat_a_fixed_question(cast, bank, questions):
    price = questions["single"].topics.get()
    quiz = services.quiz_create(author=cast.author, title="ランダム", shuffle_questions=False)
    services.quiz_question_add(quiz=quiz, question=questions["single"])
    services.quiz_draw_add(quiz=quiz, bank=bank, count=2, topic=price)
    version = services.quiz_publish(quiz=quiz, publisher=cast.author)
    price_keys = {str(q.key) for q in bank.questions.filter(topics=price)}
    assert version.items[1]["pool"] and set(version.items[1]["pool"]) == price_keys
    for seed in range(30):
        layout = draw_layout(version, seed=seed)
        keys = [item["key"] for item in layout]
        assert keys[0] == str(questions["single"].key)
        assert len(keys) == 3 == len(set(keys))
        assert set(keys) <= price_keys
    assert len({tuple(i["key"] for i in draw_layout(version, seed=s)) for s in range(30)}) > 1


def test_a_course_with_a_quiz_lesson_publishes_the_quiz_through_the_catalog(cast, questions):
    quiz = make_quiz(cast, [questions["single"]])
    course = catalog.course_create(author=cast.author, title="テスト付き", slug="with-quiz")
    module = catalog.module_create(course=course, title="章")
    catalog.lesson_create(module=module, kind="quiz", title="確認テスト", content_id=quiz.pk)
    version = catalog.course_publish(course=course, publisher=cast.author)
    quiz.refresh_from_db()
    assert version.lessons.get().content_id == quiz.latest_version.pk


def test_a_micro_lesson_with_four_questions_cannot_be_published(cast, questions):
    quiz = make_quiz(cast, list(questions.values())[:4])
    course = catalog.course_create(author=cast.author, title="マイクロ", slug="micro")
    module = catalog.module_create(course=course, title="章")
    catalog.lesson_create(module=module, kind="micro", title="30秒", content_id=quiz.pk)
    problems = catalog.course_publish_problems(course)
    assert any("3" in p for p in problems)  # at most three check questions
    assert any("30秒" in p for p in problems)  # and its video is missing


def test_a_quiz_whose_question_uses_an_unexplained_insider_term_is_not_published(cast, questions):
    from kizuna.plain.services import term_explain, term_save

    question = questions["single"]
    term = term_save(editor=cast.author, term_ja="料金体系", is_jargon=True)  # in the question's text
    quiz = make_quiz(cast, [question], pass_mark=70)
    [problem] = services.quiz_publish_problems(quiz)
    assert "料金体系" in problem
    term_explain(editor=cast.author, term=term, explanation="お金の払い方の決まり", lang="ja")
    assert services.quiz_publish_problems(quiz) == []
