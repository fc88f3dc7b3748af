"""The demo's Q&A community: questions reps of two agencies asked this month, answered by each other and by
the coach, voted up and accepted — through kizuna.community.services, so the statements (asked, answered,
voted, accepted and the answerers' recognitions) are what production would record.

About the demo product (クラウド勤怠 KIZUNA, ¥300 per person a month, 30-day free trial), in the words
reps use. One question was reported and hidden by its agency's manager, to show moderation.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model

from kizuna.catalog.models import Product, Tag
from kizuna.community import services
from kizuna.demo import content


@dataclass(frozen=True)
class AnswerSpec:
    author: str  # e-mail
    body: str
    hours_later: float
    voters: tuple[str, ...] = ()
    accepted_by: str = ""  # e-mail of the asker or the coach


@dataclass(frozen=True)
class QuestionSpec:
    author: str
    title: str
    body: str
    days_ago: float
    topics: tuple[str, ...] = ()
    answers: tuple[AnswerSpec, ...] = ()
    followers: tuple[str, ...] = ()
    hidden_by: str = ""
    hidden_reason: str = ""
    reported_by: str = field(default="")


A1, A2, A3, A5 = (f"rep{n}@partner-a.example" for n in (1, 2, 3, 5))
B1, B2, B6 = (f"rep{n}@partner-b.example" for n in (1, 2, 6))
COACH = "coach@principal.example"
MANAGER_A = "manager@partner-a.example"

QUESTIONS = (
    QuestionSpec(
        author=A1,
        title="「他社の勤怠システムの方が安い」と言われたときの返し方",
        body=(
            "飲食チェーン(従業員80名)の店長さんに、他社は1人200円と言われました。\n\n"
            "値引きで対抗するしかないのでしょうか? 皆さんの切り返しを教えてください。"
        ),
        days_ago=12,
        topics=("price-negotiation",),
        followers=(A2, B1),
        answers=(
            AnswerSpec(
                author=COACH,
                body=(
                    "値引きの前に**比べる物差し**をそろえましょう。\n\n"
                    "- 打刻ミスの修正にかかっている時間(店長さんの月何時間か)\n"
                    "- シフト作成の手間\n"
                    "- 30日無料で実際に比べられること\n\n"
                    "月額の差が100円×80名=8,000円なら、店長さんの残業2時間分で逆転することが多いです。"
                ),
                hours_later=3,
                voters=(A1, A2, B1, B2),
                accepted_by=A1,
            ),
            AnswerSpec(
                author=B1,
                body="私は「他社さんの見積もりに**初期設定の費用**は入っていますか?」と聞いています。当社は初期費用0円なので、そこで差が縮まります。",
                hours_later=20,
                voters=(A1, A3),
            ),
        ),
    ),
    QuestionSpec(
        author=B2,
        title="無料トライアル中に使ってもらえないお客様へのフォロー",
        body="30日無料トライアルを始めたのに、1週間たっても打刻がほとんどありません。どのタイミングで何を伝えるとよいですか?",
        days_ago=9,
        topics=("closing",),
        answers=(
            AnswerSpec(
                author=A2,
                body=(
                    "3日目に電話して「最初の1店舗だけ一緒に設定しましょう」と提案しています。"
                    "画面を共有して10分で終わるので、そこから使ってもらえることが多いです。"
                ),
                hours_later=5,
                voters=(B2, B6, A1),
                accepted_by=B2,
            ),
            AnswerSpec(
                author=COACH,
                body="トライアル開始の日に**使い始める日と担当者**を決めておくのがコツです。決まっていないトライアルは使われません。",
                hours_later=26,
                voters=(B2, A5),
            ),
        ),
    ),
    QuestionSpec(
        author=A3,
        title="有給休暇の管理について聞かれたときの説明",
        body="「有給の残り日数も自動で出ますか?」と聞かれて、うまく答えられませんでした。どう説明すると伝わりますか?",
        days_ago=6,
        topics=("product-knowledge",),
        followers=(A5,),
        answers=(
            AnswerSpec(
                author=A5,
                body="自動で出ます。スマホの画面で本人も残り日数を見られるので、「店長さんへの問い合わせが減ります」と伝えると喜ばれます。",
                hours_later=2,
                voters=(A3,),
                accepted_by=A3,
            ),
        ),
    ),
    QuestionSpec(
        author=B6,
        title="ヒアリングで従業員数を聞くタイミング",
        body="最初に従業員数を聞くと警戒されることがあります。皆さんはいつ聞いていますか?",
        days_ago=4,
        topics=("hearing",),
        answers=(
            AnswerSpec(
                author=A1,
                body="今の勤怠の困りごとを聞いたあとに「何名分の打刻をまとめていますか?」と聞くと自然です。",
                hours_later=8,
                voters=(B6,),
            ),
        ),
    ),
    QuestionSpec(
        author=A2,
        title="導入までの期間はどのくらいと伝えていますか",
        body="来月から使いたいというお客様がいます。設定にかかる期間の目安を教えてください。",
        days_ago=1.5,
        topics=("product-knowledge", "closing"),
    ),
    QuestionSpec(
        author=A5,
        title="お客様の社員名簿をそのまま共有してもいいですか",
        body="設定を手伝うために、お客様から社員名簿のファイルをもらいました。ここに貼っていいですか?",
        days_ago=2,
        topics=("complaint-handling",),
        reported_by=A1,
        hidden_by=MANAGER_A,
        hidden_reason="お客様の個人情報が含まれるため。名簿は社内の共有フォルダで扱ってください。",
    ),
)


def seed_community(*, now: datetime) -> None:
    """Post the demo questions and answers, with votes, acceptances, follows and one hidden post."""
    people = {u.email: u for u in get_user_model().objects.select_related("membership__organization")}
    tags = {t.slug: t for t in Tag.objects.filter(kind=Tag.Kind.TOPIC)}
    product = Product.objects.filter(slug=content.PRODUCT_SLUG).first()
    for spec in QUESTIONS:
        asked_at = now - timedelta(days=spec.days_ago)
        question = services.question_ask(
            author=people[spec.author],
            title=spec.title,
            body=spec.body,
            product=product,
            tags=[tags[slug] for slug in spec.topics if slug in tags],
            when=asked_at,
        )
        for email in spec.followers:
            services.question_follow(question=question, user=people[email])
        for a in spec.answers:
            answered_at = asked_at + timedelta(hours=a.hours_later)
            answer = services.answer_post(question=question, author=people[a.author], body=a.body, when=answered_at)
            for n, email in enumerate(a.voters):
                services.answer_vote(
                    answer=answer, voter=people[email], when=answered_at + timedelta(minutes=30 * (n + 1))
                )
            if a.accepted_by:
                services.answer_accept(answer=answer, by=people[a.accepted_by], when=answered_at + timedelta(hours=2))
        if spec.reported_by:
            services.post_report(
                post=question, reporter=people[spec.reported_by], reason="お客様の個人情報が書かれそうです。"
            )
        if spec.hidden_by:
            services.post_hide(post=question, moderator=people[spec.hidden_by], reason=spec.hidden_reason)
