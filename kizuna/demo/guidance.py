"""The demo's guidance and support (issue 18 part 4): an agency still being set up (its checklist shows on its
page) and a support desk with answered, assigned and waiting questions.

Written only through the owning apps' services, as production would.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model

from kizuna.orgs.selectors import partners_with_counts
from kizuna.orgs.services import partner_create, team_create
from kizuna.support.selectors import visible_tickets
from kizuna.support.services import help_page_create, ticket_assign, ticket_close, ticket_create, ticket_reply

NEW_AGENCY = ("partner-d", "みらいセールスパートナーズ株式会社", "横浜チーム")
ADMIN = "admin@principal.example"

# (asker, category, subject, question, page, hours ago, answer (hours after) or None, closed by the asker)
QUESTIONS = (
    (
        "manager@partner-a.example",
        "agreement",
        "合意事項の第2版はいつまでに承認すればよいですか",
        "第2版の承認依頼が届きました。承認しないと、どうなりますか。今月の評価に影響はありますか。",
        "/partner/agreement/",
        30,
        (
            2,
            "第2版は発効日から適用されます。承認前でも第1版の条件はそのまま有効なので、今月の評価には影響しません。"
            "内容を確認のうえ、発効日までに合意事項のページの「承認する」を押してください。",
        ),
        True,
    ),
    (
        "rep1@partner-a.example",
        "how_to",
        "今日の3分復習が表示されません",
        "ホーム画面に「今日の3分復習」が出てきません。昨日は出ていました。",
        "/",
        20,
        (
            3,
            "今日の復習は、確認テストやマイクロラーニングで答えた問題のうち、復習日が来たものだけが出ます。"
            "今日の分が終わっているか、まだ復習日の問題がない状態です。下のメニューの「復習」から予定を確認できます。",
        ),
        False,
    ),
    (
        "rep1@partner-b.example",
        "problem",
        "ロープレの動画がアップロードできません",
        "録画したあと「送信」を押すと、途中で止まってしまいます。電波は4本立っています。",
        "/roleplay/",
        5,
        None,
        False,
    ),
    (
        "manager@partner-b.example",
        "account",
        "退職した担当者のアカウントを止めたい",
        "今月末で退職する担当者がいます。ログインできないようにするにはどうすればよいですか。",
        "/people/",
        1,
        None,
        False,
    ),
)


def seed_new_agency(*, now: datetime) -> None:
    """A partner signed last week: its first team is in, the manager, agreement and reps are still to come."""
    slug, name, team = NEW_AGENCY
    if partners_with_counts().filter(slug=slug).exists():
        return
    partner = partner_create(name=name, slug=slug)
    team_create(organization=partner, name=team)


def seed_support(*, now: datetime) -> None:
    """Questions to the support desk: two answered (one closed), one assigned and waiting, one new."""
    people = {u.email: u for u in get_user_model().objects.filter(email__endswith=".example")}
    admin = people[ADMIN]
    if visible_tickets(admin).exists():
        return
    for asker, category, subject, body, page, hours_ago, answer, closed in QUESTIONS:
        asked_at = now - timedelta(hours=hours_ago)
        ticket = ticket_create(
            asker=people[asker], category=category, subject=subject, body=body, page_url=page, now=asked_at
        )
        if answer is not None:
            hours_later, text = answer
            ticket_reply(ticket=ticket, author=admin, body=text, now=asked_at + timedelta(hours=hours_later))
            if closed:
                ticket_close(ticket=ticket, by=people[asker], now=asked_at + timedelta(hours=hours_later + 1))
                # Asked by several managers: the operations team made it a help page.
                help_page_create(
                    created_by=admin,
                    title_ja="合意事項の新しい版を承認するまでの扱い",
                    body_ja=text,
                    title_en="Until a new agreement version is accepted",
                    body_en="A new version applies from its effective date. Until you accept it, the previous "
                    "version's terms still apply, so this month's evaluation is not affected. Review it and press "
                    "“Accept” on the agreement page before the effective date.",
                    roles=["manager", "admin"],
                    from_ticket=ticket,
                )
        elif category == "problem":
            ticket_assign(ticket=ticket, assignee=admin, by=admin, now=asked_at + timedelta(minutes=20))


def seed_guidance(*, now: datetime) -> None:
    seed_new_agency(now=now)
    seed_support(now=now)
