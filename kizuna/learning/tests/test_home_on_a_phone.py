"""The rep home at 375×667: the one thing to do next is on the first screen, under no sign-in message, even
when points, a kudos note, a celebration and flash updates are waiting; stat labels stay on one line."""

from typing import Any

import pytest

from conftest import publish_course
from kizuna.tests.browser_support import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def busy_rep(cast: Any) -> Any:
    """A rep with a required course due soon, 320 points (level 3, 「チャレンジャー」), a kudos note and a flash update."""
    from kizuna.gamification.models import Kudos
    from kizuna.gamification.tests.conftest import at, quiz
    from kizuna.updates import services as updates

    publish_course(
        cast,
        slug="pricing",
        title="提案力アップ: 価格の質問への答え方",
        lessons=[
            {
                "kind": "article",
                "title": "「高いね」と言われたら",
                "body": "まず理由を聞きます。",
                "estimated_minutes": 4,
            },
            {"kind": "article", "title": "値引きの前に", "body": "価値を伝えます。"},
        ],
        due_in_days=3,
    )
    for key in range(16):  # 16 × 20 points, over days to stay under the daily cap: level 3 starts at 300
        quiz(cast.rep_a1, key=f"q{key}", when=at(days=1 + key // 2))
    Kudos.objects.create(
        sender=cast.coach,
        recipient=cast.rep_a1,
        message="昨日のロープレ、お客様の話を最後まで聞いてから提案していたのがとても良かったです。",
    )
    update = updates.update_create(
        author=cast.coach, title="本日から新料金プラン「年間契約プラン」", body="詳しくは本文で。"
    )
    updates.update_publish(update=update, publisher=cast.coach, notify=False)
    return cast.rep_a1


def test_the_next_lesson_is_on_the_first_screen_with_its_kind_time_and_due_date(cast, live_server, phone, busy_rep):
    page, base = phone, live_server.url
    sign_in(page, base, busy_rep.email)
    assert page.url.rstrip("/") == base
    assert page.locator(".messages").count() == 0
    assert "ログインしました" not in page.content()
    card = page.locator("#next-step")
    box = card.bounding_box()
    tabbar = page.locator(".tabbar").bounding_box()  # fixed at the bottom: what it covers is not seen either
    fold = tabbar["y"] if tabbar else PHONE["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= fold <= PHONE["height"], (box, fold)
    text = card.inner_text()
    assert "「高いね」と言われたら" in text and "提案力アップ" in text
    assert "記事" in text and "約4分" in text and "期限" in text
    card.get_by_role("link").click()
    page.wait_for_load_state()
    assert "/learn/lessons/" in page.url
    assert page.locator("h1").inner_text() == "「高いね」と言われたら"


def test_the_level_name_and_stat_labels_stay_on_one_line(cast, live_server, phone, busy_rep):
    page, base = phone, live_server.url
    sign_in(page, base, busy_rep.email)
    level = page.locator(".game-stats .stat.small")
    assert level.inner_text() == "チャレンジャー"
    for locator in [level, *page.locator(".game-stats .stat-label").all(), *page.locator(".badge").all()]:
        lines = locator.evaluate(
            "el => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight))"
        )
        assert lines == 1, (locator.inner_text(), lines)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
