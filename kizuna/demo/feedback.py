"""The demo's field voice (現場の声) and lesson feedback: what customers said over the last two months, and
what the reps thought of the price lessons.

Runs after the foundation demo (people, the product, topic tags, courses) and writes only through
kizuna.feedback.services, so the statements and notifications are what production would have. The
same price objection comes back in several wordings, so the report has something to count; the coach
has answered some entries and turned one into a flash update draft; the author has handled some
feedback with a note of what changed.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from kizuna.catalog.models import Course, Product, Tag
from kizuna.feedback import services

from .content import PRODUCT_SLUG

# Statement and submission ids derived from the entry, so a second seed of the same site changes nothing.
NAMESPACE = uuid.UUID("a7f7c6f2-7d55-4bb6-9f0e-3c8a8d0e5b21")


@dataclass(frozen=True)
class VoiceSpec:
    rep: str  # e-mail
    kind: str
    text: str
    days_ago: int
    stage: str = ""
    industry: str = ""
    topics: tuple[str, ...] = ()
    answer: str = ""
    to_update: bool = False


PRICE_ANSWER = (
    "月額300円には導入支援と30日間の無料お試しが入っています。他社の金額と比べるときは、"
    "初期費用と設定の手間も合わせて比べていただくようにお伝えください。"
)

VOICES = (
    VoiceSpec(
        "rep1@partner-a.example",
        "objection",
        "他社より高いのでは?",
        34,
        "proposal",
        "retail",
        ("price-negotiation",),
        PRICE_ANSWER,
    ),
    VoiceSpec(
        "rep2@partner-a.example",
        "objection",
        "他社より高いのでは?",
        34,
        "negotiation",
        "manufacturing",
        ("price-negotiation",),
    ),
    VoiceSpec(
        "rep1@partner-b.example", "objection", "他社より高いのでは", 38, "proposal", "services", ("price-negotiation",)
    ),
    VoiceSpec(
        "rep3@partner-c.example",
        "objection",
        "他社より 高いのでは?",
        20,
        "negotiation",
        "retail",
        ("price-negotiation",),
    ),
    VoiceSpec(
        "rep5@partner-a.example", "objection", "他社より高いのでは?", 6, "closing", "healthcare", ("price-negotiation",)
    ),
    VoiceSpec(
        "rep1@partner-a.example",
        "question",
        "アルバイトが多い店舗でも、スマホ打刻だけで運用できますか?",
        33,
        "hearing",
        "retail",
        ("product-knowledge",),
        "できます。個人のスマホがない方は、店舗のタブレット1台で打刻できます。",
    ),
    VoiceSpec(
        "rep4@partner-a.example",
        "question",
        "給与ソフトへの連携はCSVだけですか?",
        27,
        "proposal",
        "manufacturing",
        ("product-knowledge",),
    ),
    VoiceSpec(
        "rep2@partner-b.example",
        "question",
        "給与ソフトへの連携はCSVだけですか",
        12,
        "hearing",
        "it",
        ("product-knowledge",),
    ),
    VoiceSpec(
        "rep6@partner-b.example",
        "competitor",
        "競合A社が「初月無料+設定代行0円」のキャンペーンを始めたと言われました。",
        9,
        "negotiation",
        "services",
        ("price-negotiation",),
        to_update=True,
    ),
    VoiceSpec(
        "rep2@partner-c.example",
        "objection",
        "今の紙のタイムカードで困っていない。",
        16,
        "first_contact",
        "manufacturing",
        ("hearing",),
    ),
    VoiceSpec(
        "rep9@partner-a.example",
        "objection",
        "今の紙のタイムカードで困っていない",
        4,
        "first_contact",
        "real_estate",
        ("hearing",),
    ),
    VoiceSpec(
        "rep3@partner-a.example",
        "question",
        "有給休暇の年5日取得を、本人にも自動で知らせられますか?",
        2,
        "hearing",
        "healthcare",
        ("product-knowledge",),
    ),
    VoiceSpec(
        "rep7@partner-b.example", "competitor", "B社は顔認証打刻を標準で付けていると聞きました。", 1, "proposal", "it"
    ),
)


@dataclass(frozen=True)
class FeedbackSpec:
    rep: str
    course: str  # slug
    lesson: int  # position in the course, from 1
    worked: bool
    comment: str
    days_ago: int
    handled: str = ""  # the author's note of what changed


FEEDBACK = (
    FeedbackSpec(
        "rep1@partner-a.example",
        "price-questions",
        1,
        True,
        "「1日10円」の言い方で、店長さんの表情が変わりました。",
        14,
    ),
    FeedbackSpec(
        "rep2@partner-a.example",
        "price-questions",
        1,
        False,
        "製造業のお客様には「1日10円」がピンと来ませんでした。工場向けの例がほしいです。",
        11,
        "製造業のお客様向けに、残業代の削減額で伝える例を追加しました。",
    ),
    FeedbackSpec("rep1@partner-b.example", "price-questions", 1, True, "そのまま使えました。", 8),
    FeedbackSpec(
        "rep3@partner-c.example",
        "price-questions",
        2,
        False,
        "「他社はもっと安い」の切り返しが、実際のお客様には長すぎました。",
        5,
    ),
    FeedbackSpec(
        "rep4@partner-a.example",
        "product-basics",
        1,
        True,
        "最初の説明で、お客様が使う場面をすぐ想像してくれました。",
        20,
        "ありがとうございます。同じ形で新しい機能の説明も作ります。",
    ),
)


def _sid(*parts: Any) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts))


def _seed_voices(now: datetime, people: dict[str, Any], product: Product | None, coach: Any) -> None:
    tags = {t.slug: t for t in Tag.objects.filter(kind=Tag.Kind.TOPIC)}
    for index, spec in enumerate(VOICES):
        rep = people.get(spec.rep)
        if rep is None:
            continue
        when = timezone.localtime(now - timedelta(days=spec.days_ago)).replace(hour=18, minute=10 + index)
        voice = services.field_voice_record(
            rep=rep,
            kind=spec.kind,
            text=spec.text,
            submission_id=_sid("voice", index, spec.rep),
            product=product,
            tags=[tags[s] for s in spec.topics if s in tags],
            deal_stage=spec.stage,
            industry=spec.industry,
            timestamp=when,
        )
        if spec.answer and not voice.answer:
            services.field_voice_answer(voice=voice, by=coach, answer=spec.answer, when=when + timedelta(hours=15))
        if spec.to_update and not voice.content_kind:
            services.field_voice_to_update(voice=voice, by=coach, when=when + timedelta(hours=16))


def _seed_lesson_feedback(now: datetime, people: dict[str, Any], author: Any) -> None:
    for index, spec in enumerate(FEEDBACK):
        rep = people.get(spec.rep)
        course = Course.objects.filter(slug=spec.course).select_related("latest_version").first()
        if rep is None or course is None or course.latest_version is None:
            continue
        lesson = course.latest_version.lessons.filter(position=spec.lesson).select_related("version").first()
        if lesson is None:
            continue
        when = timezone.localtime(now - timedelta(days=spec.days_ago)).replace(hour=19, minute=index)
        feedback = services.lesson_feedback_submit(
            rep=rep,
            lesson=lesson,
            worked=spec.worked,
            comment=spec.comment,
            submission_id=_sid("feedback", index, spec.rep),
            timestamp=when,
        )
        if spec.handled and not feedback.is_handled:
            services.lesson_feedback_handle(
                feedback=feedback, by=author, note=spec.handled, when=when + timedelta(days=2)
            )


def seed_feedback(*, now: datetime) -> None:
    """Add the demo's field voice entries and lesson feedback, with the coach's answers and the author's notes."""
    emails = {spec.rep for spec in VOICES} | {spec.rep for spec in FEEDBACK}
    emails |= {"coach@principal.example", "author@principal.example"}
    people = {
        u.email: u for u in get_user_model().objects.filter(email__in=emails).select_related("membership__organization")
    }
    coach, author = people.get("coach@principal.example"), people.get("author@principal.example")
    if coach is None or author is None:
        return
    _seed_voices(now, people, Product.objects.filter(slug=PRODUCT_SLUG).first(), coach)
    _seed_lesson_feedback(now, people, author)
