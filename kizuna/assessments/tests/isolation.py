"""Partner A's objects for the isolation walk (kizuna/tests/test_isolation.py).

An attempt of rep_a1's at a quiz (``quiz_attempt_id``, with an essay waiting for its grade); the quiz, its line, its bank and its
question (``quiz_id``, ``quiz_item_id``, ``bank_id``, ``question_id``) and a GIFT import into the bank
(``gift_import_id``), which only principal
staff reach in the studio and analysis, and which is in rep_a1's own review (``review_question``).
"""

import uuid
from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from conftest import publish_course
    from kizuna.assessments import services
    from kizuna.assessments.gift_imports import gift_import_start
    from kizuna.assessments.kinds import register_kinds
    from kizuna.assessments.models import QuizVersion

    register_kinds()
    bank = services.bank_create(slug="a-only-bank", title="A専用", author=cast.author)
    question = services.question_create(bank=bank, type="truefalse", text="A専用の問題", data={"answer": True})
    essay = services.question_create(bank=bank, type="essay", text="A専用の記述問題", data={})
    quiz = services.quiz_create(author=cast.author, title="A専用テスト")
    services.quiz_question_add(quiz=quiz, question=question)
    services.quiz_question_add(quiz=quiz, question=essay)
    course = publish_course(
        cast,
        slug="a-only-quiz",
        title="A専用テスト",
        lessons=[{"kind": "quiz", "title": "テスト", "content_id": quiz.pk}],
    )
    lesson = course.latest_version.lessons.get()
    version = QuizVersion.objects.get(pk=lesson.content_id)
    attempt = services.attempt_start(rep=cast.rep_a1, quiz_version=version, lesson=lesson, statement_id=uuid.uuid4())
    services.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=question.key,
        answer={"choice": "true"},
        statement_id=uuid.uuid4(),
    )
    # An essay waiting for its grade: the grading page (``quiz_attempt_id``) is rep_a1's manager's and coaches'.
    services.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=essay.key,
        answer={"text": "A専用の回答"},
        statement_id=uuid.uuid4(),
    )
    services.attempt_submit(rep=cast.rep_a1, attempt=attempt, statement_id=uuid.uuid4())
    job = gift_import_start(source="A専用の取り込み{T}", bank=bank, author=cast.author)
    return {
        "gift_import_id": job.pk,
        "quiz_attempt_id": attempt.pk,
        "quiz_id": quiz.pk,
        "quiz_item_id": quiz.items.first().pk,
        "bank_id": bank.pk,
        "question_id": question.pk,
    }
