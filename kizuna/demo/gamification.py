"""The demo's gamification: a badge for finishing the product course, kudos from the coach and admin,
this month's spotlight, and every rep's points, levels, streaks and badges scored from their history.

Runs after the foundation demo (people, courses, five weeks of learning). Points come from the
statements the history wrote (the projection scores them as they are stored); adding a badge and
re-scoring gives the new badge to those who already earned it. Safe to run twice.
"""

from datetime import datetime

from django.contrib.auth import get_user_model

from kizuna.catalog.models import Course
from kizuna.gamification import services
from kizuna.gamification.models import Badge, Kudos, Spotlight
from kizuna.gamification.projections import rebuild

KUDOS = (
    (
        "coach@principal.example",
        "rep1@partner-a.example",
        "昨日のロープレ、お客様の話を最後まで聞いてから提案していたのがとても良かったです。その調子です!",
    ),
    (
        "admin@principal.example",
        "rep1@partner-b.example",
        "「製品の基本」を期限より早く修了してくれてありがとうございます。チームの良いお手本です。",
    ),
)
SPOTLIGHT = (
    ("rep1@partner-a.example", "今月いちばん多くのレッスンを修了し、毎日学習を続けています。"),
    ("rep2@partner-b.example", "確認テストで満点を取り、コミュニティで後輩の質問に答えてくれました。"),
)


def seed_gamification(*, now: datetime) -> None:
    users = {u.email: u for u in get_user_model().objects.filter(email__in=_emails())}
    services.defaults_ensure()
    course = Course.objects.filter(slug="product-basics").first()
    if course is not None and not Badge.objects.filter(slug="product-basics").exists():
        services.badge_save(
            data={
                "slug": "product-basics",
                "name_ja": "製品マスター",
                "name_en": "Product master",
                "description_ja": "コース「製品の基本」を修了し、製品を自信を持って説明できます。",
                "description_en": "Finished the course “Product basics” and explains the product with confidence.",
                "criterion": Badge.Criterion.COURSE,
                "course": course,
                "color": "#c2185b",
            }
        )
        rebuild()  # the new badge goes to everyone who already finished the course
    for sender, rep, message in KUDOS:
        if sender in users and rep in users and not Kudos.objects.filter(recipient=users[rep]).exists():
            services.kudos_send(sender=users[sender], rep=users[rep], message=message)
    admin = users.get("admin@principal.example")
    for rep, note in SPOTLIGHT:
        month = now.date().replace(day=1)
        if admin is not None and rep in users and not Spotlight.objects.filter(month=month, rep=users[rep]).exists():
            services.spotlight_add(month=month, rep=users[rep], note=note, by=admin)


def _emails() -> set[str]:
    return {e for s, r, _m in KUDOS for e in (s, r)} | {r for r, _n in SPOTLIGHT} | {"admin@principal.example"}
