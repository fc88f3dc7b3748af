"""A principal's Moodle bank comes in as it is: descriptions, essays graded by a coach or the rep's manager,
and $CATEGORY paths kept as a hierarchy and written back on export (issue 14, item 19)."""

from pathlib import Path

import pytest
from django.urls import reverse

from kizuna.assessments import selectors, services
from kizuna.assessments.errors import AssessmentError
from kizuna.assessments.gift import gift_parse
from kizuna.assessments.models import Attempt, AttemptAnswer, ItemStat, QuizVersion
from kizuna.assessments.projections import rebuild
from kizuna.notifications.models import Notification
from kizuna.records.models import LessonProgress, Statement

from .conftest import make_quiz, quiz_lesson, sid

SAMPLE = (Path(__file__).parent / "data" / "moodle_bank.gift").read_bytes()
TOP = "Default for KIZUNA 営業研修"


@pytest.fixture
def moodle(cast):
    bank = services.bank_create(slug="moodle", title="Moodle の問題", author=cast.author)
    services.gift_import(bank=bank, source=SAMPLE)
    return bank


def test_a_moodle_bank_with_descriptions_essays_and_categories_is_imported_whole(cast, moodle):
    questions = {q.title: q for q in moodle.questions.all()}
    assert {t: q.type for t, q in questions.items()} == {
        "料金の前に": "description",
        "料金体系": "single",
        "割引の説明": "essay",
        "消費税": "numerical",
        "高いと言われたら": "essay",
        "反論の順番": "single",
    }
    assert questions["料金の前に"].category == f"{TOP}/製品/料金"
    assert questions["消費税"].category == f"{TOP}/製品/料金//税"  # a category named "料金/税"
    assert questions["反論の順番"].category == f"{TOP}/商談/反論処理"
    # Escaped characters come back as text, the [moodle] newline escape as a newline.
    assert (
        questions["割引の説明"].text
        == "お客様に年間契約の割引 (10% = 2か月分ではありません) を説明してください。\n理由も書くこと。"
    )
    assert questions["割引の説明"].explanation == "年間契約は 1か月分の割引です。"
    assert questions["消費税"].text == "税込価格 {税率 10%} は?"
    assert "見積書の: 欄" in questions["料金の前に"].text
    tree = [(c.name, c.depth, c.count) for c in selectors.bank_categories(moodle)]
    # "料金//税" is one name, "料金/税", beside "料金" (Moodle's escape), not a subcategory of it.
    assert tree == [(TOP, 0, 6), ("商談", 1, 2), ("反論処理", 2, 2), ("製品", 1, 4), ("料金", 2, 3), ("料金/税", 2, 1)]
    below = selectors.bank_questions_filtered(moodle, category=f"{TOP}/製品/料金")
    assert sorted(q.title for q in below) == ["割引の説明", "料金の前に", "料金体系"]
    assert selectors.bank_questions_filtered(moodle, category=f"{TOP}/製品").count() == 4


def test_the_export_writes_the_categories_back_and_re_imports_onto_the_same_questions(cast, moodle):
    text = selectors.gift_export(moodle)
    assert f"$CATEGORY: $course$/top/{TOP}/製品/料金//税" in text
    assert text.count("$CATEGORY:") == 3
    before = {q.key: (q.type, q.text, q.category, q.explanation) for q in moodle.questions.all()}
    parsed, errors = gift_parse(text)
    assert errors == [] and [q.category for q in parsed] == [c for _t, _x, c, _e in before.values()]
    result = services.gift_import(bank=moodle, source=text)
    assert (result.created, result.updated) == (0, 6)
    assert {q.key: (q.type, q.text, q.category, q.explanation) for q in moodle.questions.all()} == before


def test_the_studio_shows_the_category_path_and_filters_by_it(cast, moodle, client):
    client.force_login(cast.author)
    page = client.get(reverse("assessments:studio_bank", args=[moodle.pk])).content.decode()
    assert f"{TOP} › 製品 › 料金/税" in page
    filtered = client.get(reverse("assessments:studio_bank", args=[moodle.pk]), {"category": f"{TOP}/商談"})
    assert "反論の順番" in filtered.content.decode() and "消費税" not in filtered.content.decode()


@pytest.fixture
def essay_lesson(cast, moodle):
    by_title = {q.title: q for q in moodle.questions.all()}
    quiz = make_quiz(
        cast, [by_title[t] for t in ("料金の前に", "料金体系", "割引の説明", "高いと言われたら")], pass_mark=60
    )
    return quiz_lesson(cast, quiz)


def _answer(rep, attempt, lesson):
    version = QuizVersion.objects.get(pk=lesson.content_id)
    keys = {version.questions[i["key"]]["title"]: i["key"] for i in attempt.layout}
    single = version.questions[keys["料金体系"]]["data"]["options"]
    right = next(o["id"] for o in single if o["weight"] == 100)
    services.answer_save(
        rep=rep, attempt=attempt, question_key=keys["料金体系"], answer={"choice": right}, statement_id=sid()
    )
    services.answer_save(
        rep=rep,
        attempt=attempt,
        question_key=keys["割引の説明"],
        answer={"text": "1か月分お得です。"},
        statement_id=sid(),
    )
    return keys


def _start(cast, lesson, rep):
    version = QuizVersion.objects.get(pk=lesson.content_id)
    return services.attempt_start(rep=rep, quiz_version=version, lesson=lesson, statement_id=sid())


def test_a_description_takes_no_answer_and_counts_in_no_score(cast, essay_lesson):
    attempt = _start(cast, essay_lesson, cast.rep_a1)
    version = attempt.quiz_version
    shown = selectors.player_questions(version=version, layout=attempt.layout)
    assert [(q.is_description, q.number, q.total) for q in shown] == [
        (True, 0, 3),
        (False, 1, 3),
        (False, 2, 3),
        (False, 3, 3),
    ]
    with pytest.raises(services.AnswerError):
        services.answer_save(
            rep=cast.rep_a1, attempt=attempt, question_key=shown[0].key, answer={"text": "x"}, statement_id=sid()
        )


def test_an_attempt_with_essays_waits_for_its_grade_then_is_final_like_any_other(cast, essay_lesson):
    rep = cast.rep_a1
    attempt = _start(cast, essay_lesson, rep)
    keys = _answer(rep, attempt, essay_lesson)
    submitted = services.attempt_submit(rep=rep, attempt=attempt, statement_id=sid())
    assert submitted.submitted_at is not None and submitted.grading_pending
    assert submitted.score is None and submitted.passed is None
    assert not Statement.objects.filter(actor=rep, verb__endswith="/passed").exists()
    assert LessonProgress.objects.get(user=rep, lesson=essay_lesson).completed_at is None
    assert not ItemStat.objects.exists()  # the answers count once the score is final
    # Graders are told: the rep's agency's manager and the coaches, not the other agency's manager.
    asked = set(Notification.objects.filter(kind="assessments.grading_requested").values_list("recipient", flat=True))
    assert asked == {cast.manager_a.pk, cast.coach.pk}
    assert list(selectors.grading_queue(cast.manager_a)) == [submitted]
    assert list(selectors.grading_queue(cast.manager_b)) == []

    # Essay 1 of 1 answered (the other was left blank: 0, nothing to grade). Levels 1..4 of the default rubric.
    with pytest.raises(AssessmentError):
        services.essay_grade(
            grader=cast.manager_b,
            attempt=submitted,
            question_key=keys["割引の説明"],
            levels={"1": 4},
            statement_id=sid(),
        )
    with pytest.raises(AssessmentError):
        services.essay_grade(
            grader=cast.manager_a,
            attempt=submitted,
            question_key=keys["割引の説明"],
            levels={"1": 9},
            statement_id=sid(),
        )
    with pytest.raises(AssessmentError):
        services.essay_grade(
            grader=cast.manager_a,
            attempt=submitted,
            question_key=keys["高いと言われたら"],
            levels={"1": 4},
            statement_id=sid(),
        )
    once = sid()
    for _tap in range(2):
        final = services.essay_grade(
            grader=cast.manager_a,
            attempt=submitted,
            question_key=keys["割引の説明"],
            levels={"1": 4},
            feedback="よく書けています。",
            statement_id=once,
        )
    assert Statement.objects.filter(actor=cast.manager_a, verb__endswith="/graded").count() == 1
    # The grade is on the audit trail once, in the rep's agency (its manager sees it; the other agency's does not).
    from kizuna.audit.models import AuditEntry

    graded = AuditEntry.objects.get(action="essay.grade")
    assert (graded.actor, graded.organization_id, graded.after["score"]) == (cast.manager_a, cast.partner_a.pk, 1.0)
    assert graded.after["feedback"] == "よく書けています。" and graded.after["rep"] == rep.email
    # Scored questions: the single choice (1), the graded essay (1), the blank essay (0): 2/3 ≥ 60%.
    assert not final.grading_pending and final.score == pytest.approx(0.6667, abs=1e-4) and final.passed
    assert Statement.objects.filter(actor=rep, verb__endswith="/passed").count() == 1
    assert LessonProgress.objects.get(user=rep, lesson=essay_lesson).completed_at is not None
    graded = AttemptAnswer.objects.get(attempt=final, question_key=keys["割引の説明"])
    assert (graded.score, graded.graded_by, graded.feedback) == (1.0, cast.manager_a, "よく書けています。")
    assert ItemStat.objects.filter(question__title="割引の説明").get().score_sum > 0
    told = Notification.objects.get(recipient=rep, kind="assessments.graded")
    assert (told.title_text, told.body_text) == ("回答が採点されました: KIZUNA 確認テスト", "得点は 67% です。")
    asked = Notification.objects.get(recipient=cast.manager_a, kind="assessments.grading_requested")
    assert asked.body_text == f"{cast.rep_a1} さんが記述問題に 1 問答えました。あなたの採点で得点が確定します。"
    with pytest.raises(AssessmentError):  # final: no more changes
        services.essay_grade(
            grader=cast.coach, attempt=final, question_key=keys["割引の説明"], levels={"1": 1}, statement_id=sid()
        )

    before = list(Attempt.objects.values("score", "passed", "grading_pending"))
    answers = list(AttemptAnswer.objects.order_by("question_key").values("score", "graded_by", "feedback"))
    rebuild()
    assert list(Attempt.objects.values("score", "passed", "grading_pending")) == before
    assert list(AttemptAnswer.objects.order_by("question_key").values("score", "graded_by", "feedback")) == answers


def test_the_grading_page_is_for_coaches_and_the_reps_own_manager_only(cast, essay_lesson, client):
    attempt = _start(cast, essay_lesson, cast.rep_a1)
    keys = _answer(cast.rep_a1, attempt, essay_lesson)
    attempt = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    url = reverse("assessments:grading_attempt", args=[attempt.pk])
    for person, status in [
        (cast.manager_b, 404),
        (cast.rep_a1, 404),
        (cast.rep_a2, 404),
        (cast.author, 404),
        (cast.coach, 200),
        (cast.manager_a, 200),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
        if status == 404:
            posted = client.post(url, {"question": keys["割引の説明"], "level-1": "3", "sid": str(sid())})
            assert posted.status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).grading_pending
    client.force_login(cast.manager_a)
    refused = client.post(url, {"question": keys["割引の説明"], "sid": str(sid())})
    assert refused.status_code == 400 and Attempt.objects.get(pk=attempt.pk).grading_pending
    done = client.post(url, {"question": keys["割引の説明"], "level-1": "3", "feedback": "", "sid": str(sid())})
    assert done.status_code == 302 and not Attempt.objects.get(pk=attempt.pk).grading_pending


def test_draw_rules_never_pick_a_description_and_a_quiz_of_descriptions_only_cannot_be_published(cast, moodle):
    quiz = services.quiz_create(author=cast.author, title="ランダム")
    services.quiz_draw_add(quiz=quiz, bank=moodle, count=5)
    version = services.quiz_snapshot(quiz)
    assert len(version.items[0]["pool"]) == 5
    assert all(version.questions[k]["type"] != "description" for k in version.items[0]["pool"])
    only_text = make_quiz(cast, [moodle.questions.get(type="description")], title="説明だけ")
    assert services.quiz_publish_problems(only_text) == ["確認テスト「説明だけ」に問題がありません。"]


def test_the_reps_pages_say_an_attempt_waits_for_grading_instead_of_a_score(cast, essay_lesson, client):
    attempt = _start(cast, essay_lesson, cast.rep_a1)
    _answer(cast.rep_a1, attempt, essay_lesson)
    attempt = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    client.force_login(cast.rep_a1)
    lesson_page = client.get(reverse("learning:lesson", args=[essay_lesson.pk])).content.decode()
    assert "採点待ち" in lesson_page and "None%" not in lesson_page
    result = client.get(reverse("assessments:quiz_attempt_result", args=[attempt.pk])).content.decode()
    assert "採点待ち" in result and "None" not in result
    key = next(i["key"] for i in attempt.layout if attempt.quiz_version.questions[i["key"]]["title"] == "割引の説明")
    services.essay_grade(grader=cast.coach, attempt=attempt, question_key=key, levels={"1": 3}, statement_id=sid())
    final = client.get(reverse("assessments:quiz_attempt_result", args=[attempt.pk])).content.decode()
    # Three questions (the description is none): the single choice right, the essays 67% and blank.
    assert "3問中1問正解" in final and "1か月分お得です。" in final


def test_an_author_writes_an_essays_rubric_and_category_in_the_studio(cast, moodle, client):
    from .studio_helpers import question_post

    client.force_login(cast.author)
    url = reverse("assessments:studio_question_new", args=[moodle.pk]) + "?type=essay"
    bad = client.post(
        url, question_post("essay", "提案を書いてください。", rubric="共感 | 二 | できていない / できている")
    )
    assert bad.status_code == 400 and "重み" in bad.content.decode()
    one_level = client.post(url, question_post("essay", "提案を書いてください。", rubric="共感 | 2 | できている"))
    assert one_level.status_code == 400 and "2〜10 個のレベル" in one_level.content.decode()
    good = client.post(
        url,
        question_post(
            "essay",
            "提案を書いてください。",
            rubric="共感 | 2 | できていない / 一部 / できている\n\n提案 | 1 | なし / あり",
            category=" 商談 / 提案 ",
        ),
    )
    assert good.status_code == 302
    essay = moodle.questions.get(text="提案を書いてください。")
    assert essay.category == "商談/提案"
    assert essay.data["rubric"] == [
        {"id": "1", "title": "共感", "weight": 2, "levels": ["できていない", "一部", "できている"]},
        {"id": "2", "title": "提案", "weight": 1, "levels": ["なし", "あり"]},
    ]
    page = client.get(reverse("assessments:studio_question", args=[essay.pk])).content.decode()
    assert "共感 | 2 | できていない / 一部 / できている" in page and "商談 › 提案" in page

    # Graded with that rubric: (2 × 1/2 + 1 × 1) / 3.
    quiz = make_quiz(cast, [essay], pass_mark=50)
    lesson = quiz_lesson(cast, quiz, slug="rubric-course")
    attempt = _start(cast, lesson, cast.rep_a1)
    key = attempt.layout[0]["key"]
    services.answer_save(
        rep=cast.rep_a1, attempt=attempt, question_key=key, answer={"text": "ご提案です。"}, statement_id=sid()
    )
    attempt = services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=sid())
    final = services.essay_grade(
        grader=cast.coach, attempt=attempt, question_key=key, levels={"1": 2, "2": 2}, statement_id=sid()
    )
    assert final.score == pytest.approx(0.6667, abs=1e-4) and final.passed


def test_an_author_writes_a_description_in_the_studio(cast, moodle, client):
    from .studio_helpers import question_post

    client.force_login(cast.author)
    url = reverse("assessments:studio_question_new", args=[moodle.pk]) + "?type=description"
    assert client.get(url).status_code == 200
    assert client.post(url, question_post("description", "ここからは事例です。", category="事例")).status_code == 302
    description = moodle.questions.get(text="ここからは事例です。")
    assert (description.type, description.data, description.category) == ("description", {}, "事例")
    assert client.get(reverse("assessments:studio_question", args=[description.pk])).status_code == 200


def test_the_authors_preview_shows_a_description_as_text_and_counts_only_questions(cast, essay_lesson, client):
    from kizuna.assessments.models import Quiz

    client.force_login(cast.author)
    page = client.get(reverse("assessments:studio_quiz_preview", args=[Quiz.objects.get().pk])).content.decode()
    assert "第3問(全3問)" in page and "第0問" not in page and "全4問" not in page


def test_a_partners_rebuild_reads_the_grades_others_gave_its_reps_essays(cast, essay_lesson):
    from kizuna.records.tests.partner_rebuild import Table, assert_partner_rebuild, partner_rows, rep_rows

    for rep in (cast.rep_a1, cast.rep_a2, cast.rep_b1):
        attempt = _start(cast, essay_lesson, rep)
        keys = _answer(rep, attempt, essay_lesson)
        submitted = services.attempt_submit(rep=rep, attempt=attempt, statement_id=sid())
        services.essay_grade(  # by the principal's coach: a statement of someone outside the agency
            grader=cast.coach, attempt=submitted, question_key=keys["割引の説明"], levels={"1": 3}, statement_id=sid()
        )
    assert not Attempt.objects.filter(grading_pending=True).exists()
    assert_partner_rebuild(
        cast,
        ("assessments",),
        [
            Table(Attempt, ("key", "rep_id", "score", "passed", "grading_pending"), rep_rows()),
            Table(AttemptAnswer, ("attempt__key", "question_key", "score", "graded_by_id"), rep_rows("attempt__rep")),
            Table(ItemStat, ("question_id", "partner_id", "answered", "score_sum", "last_answered_at"), partner_rows),
        ],
    )
