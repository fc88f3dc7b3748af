"""A coach on a phone keeps the principal's glossary (375×667, Japanese): opens its help from the "?", sees the
word reps asked about, imports a CSV that explains it, finds it in the glossary, and exports the glossary."""

import pytest

from conftest import publish_course
from kizuna.notifications.models import Notification
from kizuna.plain import services
from kizuna.plain.lessons import lesson_for_user
from kizuna.plain.models import Term, WordQuestion
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_coach_imports_the_glossary_that_explains_a_word_reps_asked_about(cast, live_server, phone, tmp_path):
    course = publish_course(
        cast,
        slug="yomi",
        title="見込みの講座",
        lessons=[{"kind": "article", "title": "ヨミの出し方", "body": "毎週金曜にヨミを出します。"}],
    )
    lesson = course.latest_version.lessons.get()
    for rep in (cast.rep_a1, cast.rep_a2):
        services.word_ask(
            rep=rep, lesson=lesson_for_user(rep, lesson.pk), word="ヨミ", sentence="毎週金曜にヨミを出します。"
        )
    page, base = phone, live_server.url
    sign_in(page, base, cast.coach.email)

    page.goto(f"{base}/studio/glossary/")
    page.locator(".help-link").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "用語集とわかりやすい言葉" and _fits(page)

    page.goto(f"{base}/studio/glossary/words/")
    row = page.locator("#most-asked tbody tr", has_text="ヨミ")
    assert row.locator("td").nth(1).inner_text() == "2" and _fits(page)

    csv_file = tmp_path / "glossary.csv"
    csv_file.write_text(
        "用語,説明,言い換え,例文,社内用語\n"
        "ヨミ,今月に契約になりそうなお客様の見込み,見込み,今月のヨミは5件です。,はい\n"
        "商流,商品とお金がお客様に届くまでの流れ,,,はい\n",
        encoding="utf-8",
    )
    page.goto(f"{base}/studio/glossary/")
    page.get_by_role("link", name="CSVを取り込む").click()
    page.wait_for_load_state()
    page.locator("input[type=file]").set_input_files(str(csv_file))
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/studio/glossary") and _fits(page)
    card = page.locator(".cards .card", has_text="ヨミ")
    assert "今月に契約になりそうなお客様の見込み" in card.inner_text()
    assert Term.objects.filter(is_jargon=True).count() == 2

    # The reps who asked are told their word is explained; the words page says so.
    assert WordQuestion.objects.filter(explained_at__isnull=False).count() == 2
    assert Notification.objects.filter(kind="plain.word_explained").count() == 2
    page.goto(f"{base}/studio/glossary/words/")
    assert page.locator("#most-asked tbody tr", has_text="ヨミ").locator(".badge.done").is_visible()

    page.goto(f"{base}/studio/glossary/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSVに書き出す").click()
    exported = download.value.path().read_bytes().decode("utf-8-sig")
    assert "ヨミ" in exported and "商品とお金がお客様に届くまでの流れ" in exported
