"""The demo's quizzes: a question bank about クラウド勤怠 KIZUNA, a quiz lesson, a micro lesson and two weeks of answers.

Runs after the foundation demo (people, product, topic tags, videos) and writes only
through the assessments and catalog services, so statements, attempts, item
statistics and review cards are what production would have. Figures agree with the
courses (¥300 per person a month, at least ¥3,000, a 30-day free trial, four ways
to clock in). Who answered what is seeded per rep from RANDOM_SEED.
"""

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from kizuna.assessments import services
from kizuna.assessments.models import Question, QuizVersion, ReviewCard
from kizuna.catalog import services as catalog
from kizuna.catalog.models import Product
from kizuna.media.selectors import videos_for_studio
from kizuna.orgs.selectors import active_rep_memberships

from .content import MICRO_LESSON_TITLE, video_meant_for

RANDOM_SEED = 20240422
BANK_SLUG = "kizuna-attendance"
COURSE_SLUG = "kizuna-check"
# How likely each agency's reps answer right (partner A knows the product best).
RIGHT_CHANCE = {"partner-a": 0.85, "partner-b": 0.65, "partner-c": 0.5}
TOPICS = {
    "product-knowledge": ("製品知識", "Product knowledge"),
    "price-negotiation": ("価格交渉", "Price negotiation"),
    "hearing": ("ヒアリング", "Discovery questions"),
}

QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "price-per-person",
        "type": "numerical",
        "title": "1人あたりの月額",
        "text": "KIZUNA の料金は、1人あたり月額いくら(税別・円)ですか?",
        "explanation": "**1人あたり月額300円(税別)**です。使った人数分だけの料金です。",
        "data": {
            "answers": [{"kind": "tolerance", "value": 300, "tolerance": 0, "weight": 100}],
            "otherwise_feedback": "「料金とよくある質問」のレッスンで確認しましょう。",
        },
        "topics": ["price-negotiation"],
    },
    {
        "key": "minimum-fee",
        "type": "single",
        "title": "最低料金",
        "text": "従業員が5名の会社がKIZUNAを使うと、月額はいくらですか?",
        "explanation": "最低料金は**月額3,000円(10人分)**です。5名でも3,000円になります。",
        "data": {
            "options": [
                {"text": "3,000円", "weight": 100},
                {"text": "1,500円", "weight": 0, "feedback": "5名×300円ですが、最低料金があります。"},
                {"text": "無料", "weight": 0, "feedback": "無料なのは30日間のお試しだけです。"},
            ]
        },
        "topics": ["price-negotiation"],
    },
    {
        "key": "free-trial",
        "type": "truefalse",
        "title": "無料お試し",
        "text": "30日間の無料お試しで入れたデータは、本番では使えず入れ直しになる。",
        "explanation": "お試し中に入れたデータは、**そのまま本番で使えます**。",
        "data": {
            "answer": False,
            "feedback_true": "入れ直しは不要です。そのまま本番で使えます。",
            "feedback_false": "",
        },
        "topics": ["product-knowledge"],
    },
    {
        "key": "clock-in-ways",
        "type": "multiple",
        "title": "打刻の方法",
        "text": "KIZUNA で選べる打刻の方法をすべて選んでください。",
        "explanation": "スマホのボタン、ICカード、パソコンのブラウザ、共用のタブレットの**4つ**です。",
        "data": {
            "options": [
                {"text": "スマホのボタン", "weight": 25},
                {"text": "ICカード", "weight": 25},
                {"text": "パソコンのブラウザ", "weight": 25},
                {"text": "共用のタブレット", "weight": 25},
                {"text": "指紋認証の専用端末", "weight": -100, "feedback": "専用端末はありません。"},
            ]
        },
        "topics": ["product-knowledge"],
    },
    {
        "key": "factory-clock-in",
        "type": "matching",
        "title": "職場に合う打刻",
        "text": "職場と、向いている打刻の方法を結んでください。",
        "explanation": "「今はどうやって出勤を記録していますか?」と聞けば、合う方法がすぐにわかります。",
        "data": {
            "pairs": [
                {"left": "直行直帰が多い営業", "right": "スマホのボタン"},
                {"left": "入口が決まっている工場", "right": "ICカード"},
                {"left": "スマホを持ちこめない現場", "right": "共用のタブレット"},
            ]
        },
        "topics": ["product-knowledge", "hearing"],
    },
    {
        "key": "clock-in-word",
        "type": "short",
        "title": "打刻とは",
        "text": "出勤・退勤の時刻を記録することを、KIZUNA では何と呼びますか?(ひらがな・カタカナ・漢字どれでも可)",
        "explanation": "「**打刻**」です。お客様には「出勤のボタンを押すだけです」と言いかえましょう。",
        "data": {"answers": [{"text": "打刻", "weight": 100}, {"text": "だこく", "weight": 100}]},
        "topics": ["product-knowledge"],
    },
    {
        "key": "first-question",
        "type": "single",
        "title": "最初の質問",
        "text": "どの打刻の方法が合うかを知るために、最初にお客様に聞くとよいのはどれですか?",
        "explanation": "今のやり方を聞くと、困っていることと合う方法が両方わかります。",
        "data": {
            "options": [
                {"text": "今はどうやって出勤を記録していますか?", "weight": 100},
                {
                    "text": "ICカードはお持ちですか?",
                    "weight": 0,
                    "feedback": "方法を先に決めつけない聞き方にしましょう。",
                },
                {"text": "予算はいくらですか?", "weight": 0, "feedback": "打刻の方法を知る質問ではありません。"},
            ]
        },
        "topics": ["hearing"],
    },
    {
        "key": "cancel-anytime",
        "type": "truefalse",
        "title": "解約",
        "text": "KIZUNA には最低契約期間がなく、月単位で解約できる。",
        "explanation": "最低契約期間はなく、**月単位で解約できます**。",
        "data": {"answer": True, "feedback_true": "", "feedback_false": "いつでも月単位で解約できます。"},
        "topics": ["price-negotiation"],
    },
]


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"kizuna-demo:{name}")


def _right(question: Question) -> dict[str, Any]:
    data = question.data
    if question.type == "single":
        return {"choice": next(o["id"] for o in data["options"] if o["weight"] == 100)}
    if question.type == "multiple":
        return {"choices": [o["id"] for o in data["options"] if o["weight"] > 0]}
    if question.type == "truefalse":
        return {"choice": "true" if data["answer"] else "false"}
    if question.type == "numerical":
        return {"text": "300"}
    if question.type == "short":
        return {"text": "ダコク"}
    return {"matches": {p["id"]: p["id"] for p in data["pairs"] if p["left"]}}


def _wrong(question: Question, rng: random.Random) -> dict[str, Any]:
    data = question.data
    if question.type == "single":
        return {"choice": rng.choice([o["id"] for o in data["options"] if o["weight"] < 100])}
    if question.type == "multiple":
        return {"choices": [o["id"] for o in data["options"]][:2]}
    if question.type == "truefalse":
        return {"choice": "false" if data["answer"] else "true"}
    if question.type == "numerical":
        return {"text": rng.choice(["3000", "250", "500"])}
    if question.type == "short":
        return {"text": "チェックイン"}
    ids = [p["id"] for p in data["pairs"] if p["left"]]
    return {"matches": {ids[0]: ids[1], ids[1]: ids[0]}}


def seed_assessments(*, now: datetime) -> None:
    """Add the demo's question bank, a quiz lesson and a micro lesson, and two weeks of answers and reviews."""
    author = get_user_model().objects.get(email="author@principal.example")
    admin = get_user_model().objects.get(email="admin@principal.example")
    tags = {
        slug: catalog.tag_create(kind="topic", slug=slug, name_ja=ja, name_en=en) for slug, (ja, en) in TOPICS.items()
    }
    bank = services.bank_create(
        slug=BANK_SLUG,
        title="クラウド勤怠 KIZUNA の基本",
        author=author,
        product=Product.objects.filter(slug="kizuna-attendance").first(),
        topics=list(tags.values()),
    )
    questions = {
        spec["key"]: services.question_create(
            bank=bank,
            type=spec["type"],
            title=spec["title"],
            text=spec["text"],
            explanation=spec["explanation"],
            data=spec["data"],
            topics=[tags[t] for t in spec["topics"]],
            key=_key(spec["key"]),
        )
        for spec in QUESTIONS
    }
    quiz = services.quiz_create(author=author, title="KIZUNA 基礎確認テスト", pass_mark=80, allowed_attempts=3)
    for key in ("price-per-person", "minimum-fee", "clock-in-ways"):
        services.quiz_question_add(quiz=quiz, question=questions[key])
    services.quiz_draw_add(quiz=quiz, bank=bank, count=2, topic=tags["product-knowledge"])
    micro = services.quiz_create(author=author, title="料金のポイント(確認問題)", pass_mark=100)
    for key in ("price-per-person", "cancel-anytime"):
        services.quiz_question_add(quiz=micro, question=questions[key])

    course = catalog.course_create(
        author=author,
        title="KIZUNA 確認テスト",
        slug=COURSE_SLUG,
        summary="製品の基本を覚えているか、5分で確かめます。間違えた問題は「今日の3分復習」に出てきます。",
        tags=list(tags.values()),
    )
    module = catalog.module_create(course=course, title="確認テスト")
    # The video made for this lesson, found by its title; without videos (--no-video) there is no micro lesson.
    meant = video_meant_for(MICRO_LESSON_TITLE)
    video = next((v for v in videos_for_studio(author) if v.is_ready and meant and v.title == meant.title), None)
    if video is not None:
        catalog.lesson_create(
            module=module, kind="micro", title=MICRO_LESSON_TITLE, video=video, content_id=micro.pk, estimated_minutes=3
        )
    catalog.lesson_create(
        module=module, kind="quiz", title="KIZUNA 基礎確認テスト", content_id=quiz.pk, estimated_minutes=5
    )
    version = catalog.course_publish(course=course, publisher=author, when=now - timedelta(days=15))
    reps = list(active_rep_memberships().select_related("user", "organization").order_by("user__email"))
    for partner in {m.organization for m in reps}:
        catalog.assignment_create(
            course=course, assigned_by=admin, required=False, partner=partner, when=now - timedelta(days=14)
        )
    quiz_lesson = version.lessons.get(kind="quiz")
    quiz_version = QuizVersion.objects.get(pk=quiz_lesson.content_id)
    for membership in reps:
        _history(membership, quiz_lesson, quiz_version, now)


def _history(membership: Any, lesson: Any, version: QuizVersion, now: datetime) -> None:
    """One rep's attempts (retaking after a fail) and, for the keen ones, reviews of what became due."""
    rep = membership.user
    rng = random.Random(f"{RANDOM_SEED}:{rep.email}")
    if rng.random() < 0.2:
        return  # has not taken the quiz yet
    chance = RIGHT_CHANCE.get(membership.organization.slug, 0.6)
    by_key = {str(q.key): q for q in Question.objects.filter(key__in=list(version.questions))}
    at = now - timedelta(days=rng.randint(6, 13), hours=rng.randint(0, 8))
    for _retake in range(2):
        attempt = services.attempt_start(
            rep=rep, quiz_version=version, lesson=lesson, statement_id=uuid.uuid4(), timestamp=at
        )
        for item in attempt.layout:
            at += timedelta(seconds=rng.randint(6, 40))
            question = by_key[item["key"]]
            answer = _right(question) if rng.random() < chance else _wrong(question, rng)
            services.answer_save(
                rep=rep,
                attempt=attempt,
                question_key=item["key"],
                answer=answer,
                statement_id=uuid.uuid4(),
                timestamp=at,
            )
        attempt = services.attempt_submit(rep=rep, attempt=attempt, statement_id=uuid.uuid4(), timestamp=at)
        if attempt.passed:
            break
        at += timedelta(days=1, hours=rng.randint(0, 3))
        chance = min(0.95, chance + 0.15)
    if rng.random() < 0.6:
        for card in ReviewCard.objects.filter(rep=rep, due__lt=now).select_related("question"):
            answer = _right(card.question) if rng.random() < chance else _wrong(card.question, rng)
            services.review_answer(
                rep=rep,
                question=card.question,
                answer=answer,
                statement_id=uuid.uuid4(),
                seconds=rng.randint(5, 30),
                timestamp=min(card.due + timedelta(hours=rng.randint(1, 10)), now - timedelta(minutes=5)),
            )
