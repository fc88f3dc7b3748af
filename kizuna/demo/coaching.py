"""The demo's roleplay practice (ロープレ): two published roleplays with rubrics, reps' takes, reviews with
time-coded comments, a pass, a retake, a calibration reference, and one roleplay still in draft.

Runs after the foundation demo (people, teams) and writes only through kizuna.coaching.services, so the
statements, review requests and notifications are what production would have. The takes' video is one
short clip drawn by ffmpeg on the spot (a camera frame with a caption and a tone); without ffmpeg the
roleplays are still made, without takes.
"""

import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File

from kizuna.coaching import services
from kizuna.coaching.models import Review, Roleplay, Submission
from kizuna.coaching.services import CriterionInput
from kizuna.orgs.models import Organization, Team

CLIP_SECONDS = 24


@dataclass(frozen=True)
class ReviewPlan:
    levels: tuple[int, ...]  # one per criterion
    reasons: tuple[str, ...]
    feedback: str


FIRST_VISIT = dict(
    title="初回訪問: 勤怠管理の困りごとを聞き出す",
    situation=(
        "従業員40名の運送会社を初めて訪問します。アポは総務部長から「話だけなら」と取れました。"
        "持ち時間は15分です。製品の説明より先に、いまの勤怠管理で困っていることを聞き出してください。"
    ),
    persona=(
        "総務部長の佐々木さん(50代)。紙のタイムカードとExcelで集計している。"
        "以前に別のシステムを入れて現場に定着せず、新しい仕組みには慎重。"
    ),
    goal="困りごとを3つ以上聞き出し、現場のドライバーの打刻方法まで確認して、次回デモの日程を決める。",
    criteria=[
        CriterionInput(
            title="ヒアリング",
            weight=3,
            levels=[
                "製品説明が先で、質問がほとんどない",
                "困りごとを1〜2つ聞けた",
                "困りごとを3つ以上、背景まで深掘りできた",
            ],
        ),
        CriterionInput(
            title="不安への共感",
            weight=2,
            levels=[
                "前回の失敗に触れなかった",
                "失敗の話を聞いたが流した",
                "失敗の理由を聞き、定着の支援を具体的に伝えた",
            ],
        ),
        CriterionInput(
            title="次の約束",
            weight=2,
            levels=["次回の話がない", "「また連絡します」で終わった", "デモの日時と参加者を決めた"],
        ),
    ],
    pass_threshold=60,
    review_by_coach=True,
    review_by_manager=True,
    peer_count=2,
    review_days=3,
)

PRICE_OBJECTION = dict(
    title="「高い」と言われたときの切り返し",
    situation="2回目の商談で見積もりを出したところ、「他社より月100円高い」と言われました。",
    persona="経理課長の森さん(40代)。数字に厳しく、費用対効果の説明を求める。",
    goal="値引きをせずに、集計作業の削減時間で費用対効果を示し、社内稟議に進めてもらう。",
    criteria=[
        CriterionInput(
            title="値引きに逃げない",
            weight=2,
            levels=["すぐ値引きを提案した", "迷ったが値引きはしなかった", "価値の説明で押し返した"],
        ),
        CriterionInput(
            title="数字での説明",
            weight=3,
            levels=["数字がない", "削減時間を一般論で話した", "お客様の人数と時給で削減額を一緒に計算した"],
        ),
    ],
    pass_threshold=70,
    review_by_coach=True,
    review_by_manager=False,
    peer_count=1,
    review_days=5,
)

CHURN_DRAFT = dict(
    title="解約を検討しているお客様への訪問",
    situation="導入1年のお客様から「来月で解約したい」と連絡がありました。",
    persona="情報システム担当の西村さん。使いこなせていないと感じている。",
    goal="解約の本当の理由を聞き、活用支援の提案につなげる。",
    criteria=[
        CriterionInput(
            title="理由の聞き取り", weight=1, levels=["聞いていない", "表面的な理由だけ", "本当の理由まで聞けた"]
        ),
    ],
    pass_threshold=60,
    review_by_coach=True,
    review_by_manager=False,
    peer_count=0,
    review_days=3,
)

GOOD = ReviewPlan(
    levels=(3, 3, 3),
    reasons=(
        "「打刻を忘れたときはどうしていますか」から3つの困りごとを引き出せています。",
        "前回のシステムが定着しなかった理由を聞き、導入時の現場説明会を提案できています。",
        "最後にデモの日時と、ドライバー代表の参加まで決めています。",
    ),
    feedback="お手本になるロープレです。特に0:08からの深掘りの質問は、ほかの皆さんにもぜひ見てほしい流れです。",
)
WEAK = ReviewPlan(
    levels=(1, 2, 2),
    reasons=(
        "最初の3分が製品説明で、質問は1つだけでした。",
        "失敗の話は聞けましたが、そのあとすぐ機能説明に戻っています。",
        "「また資料をお送りします」で終わってしまいました。",
    ),
    feedback="話し方は落ち着いていて好印象です。次は製品説明を後回しにして、質問から入ってみましょう。",
)
BETTER = ReviewPlan(
    levels=(2, 3, 3),
    reasons=(
        "困りごとを2つ聞けました。残業の集計まで聞けるとさらに良いです。",
        "前回の失敗の理由を聞いてから、定着支援を説明できています。",
        "デモの日程をその場で決められました。",
    ),
    feedback="1回目から大きく良くなっています。質問の順番が自然になりました。",
)

COMMENTS = (
    (2, "coach", "最初のあいさつの後、すぐに会社案内に入っています。まず相手の状況を聞きましょう。"),
    (8, "coach", "ここで「紙のタイムカードで困っていること」を聞けたのは良いです。"),
    (14, "manager", "沈黙を怖がらずに、相手が話し終えるまで待てています。"),
    (19, "coach", "次回の約束は、日時まで決めるところまで粘りましょう。"),
)


def _user(email: str) -> Any:
    return get_user_model().objects.select_related("membership__organization", "membership__team").get(email=email)


def _clip(folder: Path) -> Path | None:
    """Draw a short 'camera' clip with ffmpeg (a test card, a caption and a tone), or None without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    out = folder / "roleplay.mp4"
    command = [
        ffmpeg, "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size=480x270:rate=10:duration={CLIP_SECONDS}",
        "-f", "lavfi", "-i", f"sine=frequency=330:duration={CLIP_SECONDS}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(out),
    ]  # fmt: skip
    try:
        subprocess.run(command, capture_output=True, timeout=120, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        return None
    return out


def _hand_in(clip: Path, rep: Any, roleplay: Roleplay, when: datetime, *, consent: bool = False) -> Submission:
    with clip.open("rb") as handle:
        return services.submission_create(
            rep=rep,
            roleplay=roleplay,
            file=File(handle, name="take.mp4"),
            statement_id=uuid.uuid5(uuid.NAMESPACE_URL, f"kizuna-demo:{rep.email}:{roleplay.key}:{when.isoformat()}"),
            consent=consent,
            note="",
            when=when,
        )


def _review(review: Review, plan: ReviewPlan, when: datetime) -> None:
    criteria = list(review.submission.roleplay.criteria.all())
    services.review_submit(
        review=review,
        levels={c.pk: min(level, c.max_level) for c, level in zip(criteria, plan.levels, strict=False)},
        reasons={c.pk: reason for c, reason in zip(criteria, plan.reasons, strict=False)},
        feedback=plan.feedback,
        when=when,
    )


def _review_all(
    take: Submission, plan: ReviewPlan, when: datetime, *, roles: tuple[str, ...] = ("coach", "manager", "peer")
) -> None:
    for n, review in enumerate(take.reviews.filter(status=Review.Status.REQUESTED, role__in=roles).order_by("pk")):
        _review(review, plan, when + timedelta(hours=2 * n))


def seed_coaching(*, now: datetime) -> None:
    """Add the roleplays, takes, reviews and comments of the demo (once: a site that has roleplays is left alone)."""
    if Roleplay.objects.exists():
        return
    coach = _user("coach@principal.example")
    author = _user("author@principal.example")
    partner_a = Organization.objects.get(slug="partner-a")
    partner_b = Organization.objects.get(slug="partner-b")
    first = services.roleplay_create(author=coach, due_at=now + timedelta(days=10), **FIRST_VISIT)
    services.roleplay_publish(roleplay=first, when=now - timedelta(days=12))
    for partner in (partner_a, partner_b):
        services.roleplay_target_add(roleplay=first, assigned_by=coach, partner=partner)
    price = services.roleplay_create(author=author, due_at=now + timedelta(days=14), **PRICE_OBJECTION)
    services.roleplay_publish(roleplay=price, when=now - timedelta(days=5))
    services.roleplay_target_add(
        roleplay=price, assigned_by=author, team=Team.objects.get(organization=partner_a, name="東京第1チーム")
    )
    services.roleplay_create(author=coach, **CHURN_DRAFT)

    with tempfile.TemporaryDirectory(prefix="kizuna-demo-roleplay-") as tmp:
        clip = _clip(Path(tmp))
        if clip is None:
            return
        rep1, rep2, rep3 = (_user(f"rep{n}@partner-a.example") for n in (1, 2, 3))
        manager_a = _user("manager@partner-a.example")
        # Partner A's rep2 (an ace): one take, reviewed by everyone, passed; shown as an example and a reference.
        ace = _hand_in(clip, rep2, first, now - timedelta(days=10, hours=3), consent=True)
        _review_all(ace, GOOD, now - timedelta(days=9))
        services.comment_add(submission=ace, author=coach, body=GOOD.feedback, at_second=8)
        services.submission_reference_set(submission=ace, reference=True)
        # Partner A's rep1: a weak first take with time-coded comments and a reply, then a better retake.
        weak = _hand_in(clip, rep1, first, now - timedelta(days=8, hours=5))
        _review_all(weak, WEAK, now - timedelta(days=7))
        authors = {"coach": coach, "manager": manager_a}
        for second, who, body in COMMENTS:
            comment = services.comment_add(submission=weak, author=authors[who], body=body, at_second=second)
            if second == 2:
                services.comment_add(
                    submission=weak, author=rep1, body="確かに急いでいました。次は質問から入ります。", parent=comment
                )
        retake = _hand_in(clip, rep1, first, now - timedelta(days=2, hours=4))
        _review_all(retake, BETTER, now - timedelta(days=1), roles=("coach",))
        services.comment_add(
            submission=retake,
            author=coach,
            body="ここの「前回はなぜ定着しなかったのですか」が効いています。",
            at_second=11,
        )
        # Partner A's rep3 scores the reference take to calibrate.
        calibration = services.calibration_review_start(submission=ace, reviewer=rep3, when=now - timedelta(days=3))
        _review(calibration, WEAK, now - timedelta(days=3))
        # Partner B's rep1: handed in yesterday, waiting for reviews.
        _hand_in(clip, _user("rep1@partner-b.example"), first, now - timedelta(days=1, hours=6))
        # The price roleplay: partner A's rep1 handed in a take the coach has not reviewed yet.
        _hand_in(clip, rep1, price, now - timedelta(hours=20))
