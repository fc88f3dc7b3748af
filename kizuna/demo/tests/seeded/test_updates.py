"""The demo's flash updates load on top of the foundation demo, through the real services."""

import pytest
from django.utils import timezone

from kizuna.records.models import Statement
from kizuna.updates import selectors
from kizuna.updates.models import FlashUpdate, Receipt
from kizuna.updates.projections import RECEIPT_FIELDS, rebuild

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def test_the_demo_updates_are_posted_read_and_partly_confirmed(demo):
    from kizuna.accounts.models import User
    from kizuna.demo.updates import seed_updates

    now = timezone.now()
    seed_updates(now=now)

    # Published ones only: the demo's field voice also leaves a flash update draft.
    updates = {u.title: u for u in FlashUpdate.objects.all() if u.is_published}
    assert len(updates) == 4 and all(u.published_at <= now for u in updates.values())
    assert "本日から新料金プラン「年間契約プラン」" in updates
    campaign = updates["競合A社がキャンペーン開始 — 切り返しトーク"]
    assert campaign.question.options[campaign.question.correct - 1].startswith("当社も30日無料")
    assert campaign.is_overdue(now)  # due two days after it was posted, four days ago
    # Some reps confirmed, some did not; partner A keeps up better than partner C.
    receipts = Receipt.objects.filter(update=campaign)
    assert 0 < receipts.filter(acknowledged_at__isnull=False).count() < receipts.count()
    admin = User.objects.get(email="admin@principal.example")
    report = selectors.update_report(campaign, viewer=admin)
    assert report.overall.total == 30 and 0 < report.overall.correct_rate < 100
    rates = {r.label: r.ack_rate for r in report.partners}
    assert rates["株式会社アクセルセールス"] > rates["コネクトワークス株式会社"]
    # The Osaka-team update reached only that team.
    osaka = updates["大阪チームへ: 明日の展示会は集合8時30分に変更"]
    assert {m.team.name for m in selectors.audience_memberships_all(osaka).select_related("team")} == {"大阪チーム"}
    # rep1 of partner A sees exactly what is left to confirm at the top of their home.
    rep1 = User.objects.select_related("membership").get(email="rep1@partner-a.example")
    confirmed = set(Receipt.objects.filter(rep=rep1, acknowledged_at__isnull=False).values_list("update_id", flat=True))
    reaching = set(selectors.updates_visible_to(rep1).values_list("pk", flat=True))
    assert {i.pk for i in selectors.updates_for_home(rep1).items} == reaching - confirmed
    # Everything came from statements: the projection rebuilds to the same rows.
    before = sorted(Receipt.objects.values_list(*RECEIPT_FIELDS))
    rebuild()
    assert sorted(Receipt.objects.values_list(*RECEIPT_FIELDS)) == before
    assert (
        Statement.objects.filter(verb__endswith="/verbs/acknowledged").count()
        == Receipt.objects.filter(acknowledged_at__isnull=False).count()
    )
