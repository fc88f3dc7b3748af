"""Helpers for the assessments tests: a bank with one question of every type, quizzes and quiz lessons."""

import uuid
from typing import Any

import pytest

from conftest import publish_course
from kizuna.assessments import services
from kizuna.assessments.kinds import register_kinds


@pytest.fixture(autouse=True)
def _quiz_kinds() -> None:
    # Another app's test may have replaced the kinds with a stand-in and removed it afterwards.
    register_kinds()


def sid() -> uuid.UUID:
    return uuid.uuid4()


QUESTIONS: list[dict[str, Any]] = [
    {
        "type": "single",
        "title": "料金体系",
        "text": "クラウド勤怠 KIZUNA の料金体系は?",
        "explanation": "ユーザー数に応じた**月額制**です。",
        "data": {
            "options": [
                {"text": "月額制", "weight": 100, "feedback": ""},
                {"text": "買い切り", "weight": 0, "feedback": "買い切りの販売はしていません。"},
                {"text": "従量課金", "weight": 0, "feedback": "打刻数では課金しません。"},
            ]
        },
        "topics": ["価格"],
    },
    {
        "type": "multiple",
        "text": "無料で付いてくるものをすべて選んでください。",
        "explanation": "導入支援とサポートは無料です。",
        "data": {
            "options": [
                {"text": "導入支援", "weight": 50},
                {"text": "電話サポート", "weight": 50},
                {"text": "専用端末", "weight": -100, "feedback": "端末は別売りです。"},
            ]
        },
        "topics": ["価格"],
    },
    {
        "type": "truefalse",
        "text": "KIZUNA はスマホから打刻できる。",
        "explanation": "専用アプリとブラウザの両方から打刻できます。",
        "data": {"answer": True, "feedback_true": "", "feedback_false": "スマホからも打刻できます。"},
        "topics": ["製品知識"],
    },
    {
        "type": "short",
        "text": "勤怠の締め処理を自動化する機能の名前は?",
        "explanation": "「オートクローズ」です。",
        "data": {"answers": [{"text": "オートクローズ", "weight": 100}, {"text": "自動締め", "weight": 50}]},
        "topics": ["製品知識"],
    },
    {
        "type": "numerical",
        "text": "1ユーザーあたりの月額料金(円)は?",
        "explanation": "300円です。",
        "data": {"answers": [{"kind": "tolerance", "value": 300, "tolerance": 0, "weight": 100}]},
        "topics": ["価格"],
    },
    {
        "type": "matching",
        "text": "プランと対象を結んでください。",
        "explanation": "",
        "data": {
            "pairs": [
                {"left": "ライト", "right": "10名まで"},
                {"left": "スタンダード", "right": "100名まで"},
                {"left": "", "right": "無制限"},
            ]
        },
        "topics": ["製品知識"],
    },
]

# A right answer for each question above, by type.
RIGHT = {
    "single": lambda q: {"choice": next(o["id"] for o in q.data["options"] if o["weight"] == 100)},
    "multiple": lambda q: {"choices": [o["id"] for o in q.data["options"] if o["weight"] > 0]},
    "truefalse": lambda q: {"choice": "true"},
    "short": lambda q: {"text": "おーとくろーず"},
    "numerical": lambda q: {"text": "３００"},
    "matching": lambda q: {"matches": {"1": "1", "2": "2"}},
}
WRONG = {
    "single": lambda q: {"choice": q.data["options"][1]["id"]},
    "multiple": lambda q: {"choices": [q.data["options"][2]["id"]]},
    "truefalse": lambda q: {"choice": "false"},
    "short": lambda q: {"text": "手動締め"},
    "numerical": lambda q: {"text": "500"},
    "matching": lambda q: {"matches": {"1": "2", "2": "1"}},
}


def make_bank(cast: Any, slug: str = "kizuna-basics") -> Any:
    from kizuna.catalog.services import topic_tags_ensure

    bank = services.bank_create(slug=slug, title="KIZUNA 基礎", author=cast.author)
    for spec in QUESTIONS:
        services.question_create(
            bank=bank,
            type=spec["type"],
            title=spec.get("title", ""),
            text=spec["text"],
            explanation=spec["explanation"],
            data=spec["data"],
            topics=topic_tags_ensure(names=spec["topics"]),
        )
    return bank


def make_quiz(cast: Any, questions: list[Any], **settings: Any) -> Any:
    quiz = services.quiz_create(author=cast.author, title=settings.pop("title", "KIZUNA 確認テスト"), **settings)
    for question in questions:
        services.quiz_question_add(quiz=quiz, question=question)
    return quiz


def quiz_lesson(cast: Any, quiz: Any, *, kind: str = "quiz", slug: str = "quiz-course", **target: Any) -> Any:
    """Publish a one-lesson course whose lesson is the quiz (or a micro lesson with a ready video) and assign it."""
    lesson: dict[str, Any] = {
        "kind": kind,
        "title": "確認テスト" if kind == "quiz" else "30秒で分かる料金",
        "content_id": quiz.pk,
    }
    if kind == "micro":
        from django.core.files.base import ContentFile

        from kizuna.media.models import Video

        video = Video.objects.create(title="料金の動画", status=Video.Status.READY, duration_seconds=30)
        video.mp4.save(f"videos/{video.key}/video.mp4", ContentFile(b"\x00" * 1024))
        video.poster.save(f"videos/{video.key}/poster.jpg", ContentFile(b"\xff\xd8\xff"))
        lesson["video"] = video
    course = publish_course(cast, slug=slug, title="KIZUNA の料金", lessons=[lesson], **target)
    return course.latest_version.lessons.get()


@pytest.fixture
def bank(cast: Any) -> Any:
    return make_bank(cast)


@pytest.fixture
def questions(bank: Any) -> dict[str, Any]:
    """The bank's questions by type."""
    return {q.type: q for q in bank.questions.all()}
