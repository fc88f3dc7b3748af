"""The demo's success stories (issue 18 part 3): one published as a "partner success" lesson with its rep credited,
one interview waiting for an author, and one nomination waiting for the rep's answer.

Written only through the owning apps' services, as production would.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from kizuna.stories import services
from kizuna.stories.selectors import stories_list

AUTHOR = "author@principal.example"
COACH = "coach@principal.example"

PUBLISHED = (
    "manager@partner-a.example",
    "rep2@partner-a.example",
    "kpi",
    "アポ獲得率 18% → 31%(3か月)",
    "断られた理由を聞き直して、3か月でアポ獲得率が倍に",
    (
        "電話で「今は間に合っています」と断られることが続いていました。",
        "断られたときに、どこが間に合っているのかを一つだけ聞くようにしました。",
        "「今の仕組みで月末に困ることはありますか」と聞くと、半分くらいの方が話してくださいました。",
        "断られた後の一言で決まります。売り込まずに、困りごとを一つだけ聞いてみてください。",
    ),
)
INTERVIEWED = (
    "manager@partner-b.example",
    "rep1@partner-b.example",
    "field_voice",
    "「他社の方が安い」と言われた商談",
    "他社に移りかけたお客様を、サポートの速さで引き止めた",
    (
        "更新の前に「他社の方が月額が安い」と言われました。",
        "値引きの前に、去年の問い合わせへの対応時間をお客様と一緒に確認しました。",
        "平均2時間で解決していた記録を見せたら「そこは大事だ」と言っていただけました。",
        "値段の話の前に、これまでの実績を一緒に振り返ってください。",
    ),
)
WAITING = (COACH, "rep1@partner-a.example", "rising_talent", "確認テスト満点が3回続いた", "新人で初月に5件受注")


def seed_stories(*, now: datetime) -> None:
    users = get_user_model().objects
    author = users.get(email=AUTHOR)
    if stories_list(author).exists():
        return
    published = _interviewed(users, PUBLISHED, now=now - timedelta(days=9), credit="name")
    services.story_draft(story=published, author=author, now=now - timedelta(days=7))
    services.story_publish(story=published, publisher=author, now=now - timedelta(days=6))
    _interviewed(users, INTERVIEWED, now=now - timedelta(days=2), credit="agency")
    by, rep, source, note, headline = WAITING
    services.story_nominate(
        by=users.get(email=by), rep=users.get(email=rep), headline=headline, source=source, source_note=note,
        now=now - timedelta(hours=5),
    )  # fmt: skip


def _interviewed(users: Any, spec: tuple[Any, ...], *, now: datetime, credit: str) -> Any:
    by, rep_email, source, note, headline, (situation, tried, worked, advice) = spec
    rep = users.get(email=rep_email)
    story = services.story_nominate(
        by=users.get(email=by), rep=rep, headline=headline, source=source, source_note=note, now=now
    )
    services.story_consent(story=story, rep=rep, consent=True, credit=credit, now=now + timedelta(hours=3))
    return services.story_interview_save(
        story=story,
        rep=rep,
        situation=situation,
        tried=tried,
        worked=worked,
        advice=advice,
        now=now + timedelta(hours=4),
    )
