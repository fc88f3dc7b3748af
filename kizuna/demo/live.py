"""The demo's live sessions (ライブ研修): one last week with its attendance, two coming up with registrations.

Runs after the foundation demo (people) and writes only through kizuna.live.services,
so registrations and attendance are statements, as in production. No invitation
e-mails or notifications go out while seeding.
"""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from kizuna.live import services
from kizuna.live.models import LiveSession
from kizuna.orgs.access import Role
from kizuna.orgs.models import Organization, Team

RANDOM_SEED = 20240502
TOKYO = ZoneInfo("Asia/Tokyo")


def _at(now: datetime, days: int, hour: int, minute: int = 0) -> datetime:
    day = now.astimezone(TOKYO).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


def seed_live(*, now: datetime) -> None:
    """Schedule three live sessions: a past one with attendance, and two upcoming ones reps registered for."""
    if LiveSession.objects.exists():
        return  # loaded already
    User = get_user_model()
    rng = random.Random(RANDOM_SEED)
    author = User.objects.get(email="author@principal.example")
    partner_a = Organization.objects.get(slug="partner-a")
    partner_b = Organization.objects.get(slug="partner-b")

    past = services.live_session_create(
        author=author,
        data=services.SessionData(
            title="年間契約プラン 説明会",
            description="新しい年間契約プランの中身と、お客様への案内のしかたを30分で説明します。後半は質疑応答です。",
            starts_at=_at(now, -6, 17),
            duration_minutes=45,
            time_zone="Asia/Tokyo",
            join_url="https://meet.example.com/kizuna-annual-plan",
            capacity=60,
        ),
    )
    for partner in (partner_a, partner_b):
        services.live_audience_add(session=past, assigned_by=author, partner=partner, notify=False)
    reps = list(
        User.objects.filter(membership__role=Role.REP, membership__organization__in=[partner_a, partner_b]).order_by(
            "email"
        )
    )
    for rep in reps:
        if rng.random() < 0.8:
            services.live_register(
                session=past, rep=rep, now=past.starts_at - timedelta(days=rng.randint(1, 4)), invite=False
            )
            if rng.random() < 0.8:
                services.live_checkin(
                    session=past,
                    rep=rep,
                    code=past.checkin_code,
                    now=past.starts_at + timedelta(minutes=rng.randint(-5, 10)),
                )

    upcoming = services.live_session_create(
        author=author,
        data=services.SessionData(
            title="競合対策ライブ: 切り返しトーク実演",
            description="エース営業の中村が、競合A社の「初月無料」への切り返しを実演します。質問はチャットでどうぞ。",
            starts_at=_at(now, 3, 18),
            duration_minutes=60,
            time_zone="Asia/Tokyo",
            join_url="https://meet.example.com/kizuna-objections",
            capacity=40,
            waitlist=True,
            open_to_all=True,
        ),
    )
    for rep in rng.sample(reps, 12):
        if rep.email != "rep1@partner-a.example":
            services.live_register(
                session=upcoming, rep=rep, now=now - timedelta(hours=rng.randint(1, 30)), invite=False
            )

    team_session = services.live_session_create(
        author=author,
        data=services.SessionData(
            title="東京第1チーム 月次ふりかえり",
            description="今月の商談をふりかえり、来月の重点を決めます。",
            starts_at=_at(now, 1, 9, 30),
            duration_minutes=30,
            time_zone="Asia/Tokyo",
            join_url="https://meet.example.com/kizuna-tokyo1",
        ),
    )
    services.live_audience_add(
        session=team_session,
        assigned_by=author,
        team=Team.objects.get(organization=partner_a, name="東京第1チーム"),
        notify=False,
    )
    rep1 = User.objects.get(email="rep1@partner-a.example")
    services.live_register(session=team_session, rep=rep1, now=now - timedelta(hours=2), invite=False)
