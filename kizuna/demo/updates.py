"""The demo's flash updates (速報): four short news items of the last week, read and confirmed by some reps.

Runs after the foundation demo (people, product, topic tags) and writes only through
kizuna.updates.services, so the statements and receipts are what production would
have. Figures agree with the courses (¥300 per person a month, 30-day free trial).
Who read and confirmed what is seeded per rep, like the learning history.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from kizuna.catalog.models import Product, Tag
from kizuna.orgs.models import Membership, Organization, Team
from kizuna.orgs.selectors import active_rep_memberships
from kizuna.updates import selectors, services
from kizuna.updates.services import QuestionData

RANDOM_SEED = 20240415

# How keen each agency's reps are to open and confirm an update (partner A keeps up, C is behind).
OPEN_CHANCE = {"partner-a": 0.9, "partner-b": 0.65, "partner-c": 0.35}
ACK_CHANCE = {"partner-a": 0.85, "partner-b": 0.6, "partner-c": 0.4}  # of those who opened it
RIGHT_CHANCE = 0.75


@dataclass(frozen=True)
class UpdateSpec:
    author: str  # e-mail
    title: str
    body: str
    published_days_ago: int
    hour: int
    due_days_after: int | None = None  # acknowledge by: days after publication, end of that day
    partners: tuple[str, ...] = ()  # slugs; none and no teams = all partners
    teams: tuple[tuple[str, str], ...] = ()  # (partner slug, team name)
    topic_tags: tuple[str, ...] = ()
    question: QuestionData | None = None
    readers: float = 1.0  # share of the usual reading, for older or newer news


UPDATES = (
    UpdateSpec(
        author="author@principal.example",
        title="本日から新料金プラン「年間契約プラン」",
        body="""\
本日から、**年間契約プラン**を選べるようになりました。

- 1人あたり **月額270円(税別)**、1年分を前払い
- 月払いの通常プラン(月額300円)より **1割お得**
- 30日間の無料お試しは、どちらのプランでも同じです

「毎月の支払い手続きを減らしたい」というお客様に、まずご案内してください。
""",
        published_days_ago=1,
        hour=8,
        due_days_after=3,
        topic_tags=("product-knowledge", "price-negotiation"),
        question=QuestionData(
            text="年間契約プランの1人あたりの料金は?",
            options=["月額300円", "月額270円", "月額250円"],
            correct=2,
            explanation="年間契約プランは月額270円(税別)、1年分を前払いです。通常プランより1割お得です。",
        ),
        readers=0.8,
    ),
    UpdateSpec(
        author="coach@principal.example",
        title="競合A社がキャンペーン開始 — 切り返しトーク",
        body="""\
競合A社が「**初月無料**」のキャンペーンを始めました。商談で聞かれたら、慌てずにこう返してください。

> 「当社も30日間の無料お試しがあります。大事なのは、お試し中に**集計の手間が本当に減るか**を確かめることです。
> 設定は私たちが一緒にやりますので、1〜2日で使い始められますよ。」

値引きの約束はしないでください。違いは**導入支援**です。
""",
        published_days_ago=4,
        hour=7,
        due_days_after=2,
        topic_tags=("price-negotiation", "closing"),
        question=QuestionData(
            text="「A社は初月無料ですよ」と言われたら、最初に伝えることは?",
            options=[
                "その場で値引きを約束する",
                "当社も30日無料で、導入を一緒に進めること",
                "A社の悪いところを説明する",
            ],
            correct=2,
            explanation="当社も30日間無料です。値引きや他社の悪口ではなく、導入支援という違いを伝えましょう。",
        ),
    ),
    UpdateSpec(
        author="coach@principal.example",
        title="大阪チームへ: 明日の展示会は集合8時30分に変更",
        body="明日のインテックス大阪の展示会は、**集合時間が8時30分**に早まりました。場所は同じ、西ゲート前です。",
        published_days_ago=0,
        hour=9,
        teams=(("partner-a", "大阪チーム"),),
        readers=0.6,
    ),
    UpdateSpec(
        author="author@principal.example",
        title="お客様の声: 介護施設で月末の集計が2日から半日に",
        body="""\
先月導入いただいた介護施設(職員45名)から、うれしい声が届きました。

「シフトが複雑で、月末の集計に2日かかっていました。KIZUNAにしてからは半日で終わります。」

シフト制の職場への提案に、ぜひ使ってください。
""",
        published_days_ago=7,
        hour=12,
        partners=("partner-a", "partner-b"),
        topic_tags=("product-knowledge",),
    ),
)


def _at(now: datetime, days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime(now).date() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute), timezone.get_current_timezone())


def _people(emails: list[str]) -> dict[str, Any]:
    return {u.email: u for u in get_user_model().objects.filter(email__in=emails)}


def seed_updates(*, now: datetime) -> None:
    """Post the demo's flash updates and play who read, answered and confirmed them (needs the foundation demo)."""
    staff = _people([spec.author for spec in UPDATES])
    product = Product.objects.filter(slug="kizuna-attendance").first()
    tags = {t.slug: t for t in Tag.objects.filter(kind=Tag.Kind.TOPIC)}
    partners = {p.slug: p for p in Organization.objects.filter(kind=Organization.Kind.PARTNER)}
    teams = {(t.organization.slug, t.name): t for t in Team.objects.select_related("organization")}
    reps = list(active_rep_memberships().select_related("user", "organization").order_by("user__email"))
    for spec in UPDATES:
        # Never in the future, even when the demo is loaded before that hour.
        published_at = min(_at(now, spec.published_days_ago, spec.hour, 30), now - timedelta(minutes=20))
        due = None
        if spec.due_days_after is not None:
            due = _at(now, spec.published_days_ago - spec.due_days_after, 23, 59) + timedelta(seconds=59)
        selected = bool(spec.partners or spec.teams)
        update = services.update_create(
            author=staff[spec.author],
            title=spec.title,
            body=spec.body,
            product=product,
            tags=[tags[slug] for slug in spec.topic_tags if slug in tags],
            audience="selected" if selected else "all",
            partners=[partners[slug] for slug in spec.partners if slug in partners],
            teams=[teams[key] for key in spec.teams if key in teams],
            ack_due_at=due,
            question=spec.question,
            when=published_at - timedelta(minutes=10),
        )
        services.update_publish(update=update, publisher=staff[spec.author], when=published_at, notify=False)
        _play_readers(update=update, spec=spec, reps=reps, published_at=published_at, now=now)


def _play_readers(
    *, update: Any, spec: UpdateSpec, reps: list[Membership], published_at: datetime, now: datetime
) -> None:
    audience = set(selectors.audience_memberships_all(update).values_list("user_id", flat=True))
    for membership in reps:
        if membership.user_id not in audience:
            continue
        rep = membership.user
        rep.membership = membership
        rng = random.Random(f"{RANDOM_SEED}:{rep.email}:{spec.title}")
        slug = membership.organization.slug
        if rng.random() > OPEN_CHANCE.get(slug, 0.5) * spec.readers:
            continue
        # Most reps open it on the morning train or at lunch, within a day or two.
        opened = published_at + timedelta(minutes=rng.randint(5, 36 * 60))
        if opened >= now:
            continue
        services.update_open(rep=rep, update=update, timestamp=opened)
        if rng.random() > ACK_CHANCE.get(slug, 0.5):
            continue
        moment = opened + timedelta(seconds=rng.randint(30, 150))
        if spec.question is not None:
            right = rng.random() < RIGHT_CHANCE
            wrong = [n for n in range(1, len(spec.question.options) + 1) if n != spec.question.correct]
            option = spec.question.correct if right else rng.choice(wrong)
            services.update_answer(rep=rep, update=update, option=option, timestamp=moment)
            moment += timedelta(seconds=rng.randint(10, 40))
        if moment < now:
            services.update_acknowledge(rep=rep, update=update, timestamp=moment)
