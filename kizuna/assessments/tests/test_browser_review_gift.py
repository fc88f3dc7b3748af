"""In a real browser at 375×667: a rep does today's review; an author imports a GIFT file from a phone and sees its progress."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.assessments import selectors, services
from kizuna.assessments.gift_imports import gift_import_run
from kizuna.assessments.models import GiftImport
from kizuna.tests.browser_support import sign_in

from .conftest import make_quiz, quiz_lesson
from .test_browser_quiz import no_sideways_scroll
from .test_gift_import_jobs import stop_after
from .test_review import take_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_does_todays_review_on_a_phone(cast, live_server, phone, questions):
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"]], pass_mark=50)
    lesson = quiz_lesson(cast, quiz)
    take_quiz(
        cast,
        lesson,
        cast.rep_a1,
        [(questions["single"], {"choice": "1"}), (questions["truefalse"], {"choice": "true"})],
        at=timezone.now() - timedelta(days=12),
    )
    assert selectors.review_due_count(cast.rep_a1) == 2
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/review/")
    assert "今日はあと2問" in page.content()
    for _ in range(2):
        text = page.locator(".question-text").inner_text()
        if "料金体系" in text:
            page.get_by_label("月額制").check()
        else:
            page.get_by_label("正しい").check()
        assert no_sideways_scroll(page)
        page.get_by_role("button", name="答え合わせ").click()
        page.wait_for_load_state()
        assert "正解" in page.locator("#verdict").inner_text()
        assert "また出題されます" in page.locator("#verdict").inner_text()
        page.locator("#review-next").click()
        page.wait_for_load_state()
    assert "今日の復習はすべて終わりました" in page.locator("#review-done").inner_text()
    assert selectors.review_due_count(cast.rep_a1) == 0
    assert no_sideways_scroll(page)


GIFT = """// [tag:料金]
::料金体系::KIZUNA の料金体系は?{
  =月額制#ユーザー数に応じた月額制です。
  ~買い切り#買い切りはありません。
}

KIZUNA はスマホから打刻できる。{TRUE}
"""


def test_an_author_imports_a_gift_file_on_a_phone_and_watches_its_progress(
    cast, live_server, phone, tmp_path, settings, monkeypatch
):
    # Tasks wait in the queue (nobody runs them) so that this test runs the import step by step itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    bank = services.bank_create(slug="pricing", title="料金", author=cast.author)
    broken = tmp_path / "broken.gift"
    broken.write_text(GIFT + "\n壊れた問題 {=a\n", encoding="utf-8")
    good = tmp_path / "questions.gift"
    good.write_text(GIFT, encoding="utf-8")
    page, base = phone, live_server.url
    sign_in(page, base, cast.author.email)
    page.goto(f"{base}/studio/banks/{bank.pk}/")
    page.get_by_role("link", name="GIFT を取り込む").click()
    page.wait_for_load_state()
    page.get_by_label("GIFT ファイル").set_input_files(str(broken))
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_load_state()
    assert "ファイルを確認しています" in page.locator("#gift-import-status").inner_text()
    gift_import_run(job_id=GiftImport.objects.latest("pk").pk)
    errors = page.locator("#gift-errors").inner_text()  # the page polls until the import is over
    assert "何も取り込まれていません" in errors and "9行目" in errors
    assert bank.questions.count() == 0
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="直したファイルを取り込む").click()
    page.wait_for_load_state()
    page.get_by_label("GIFT ファイル").set_input_files(str(good))
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_load_state()
    job = GiftImport.objects.latest("pk")
    stop_after(monkeypatch, batches=1)
    with pytest.raises(KeyboardInterrupt):
        gift_import_run(job_id=job.pk, batch_size=1)
    page.get_by_text("2問中1問(50%)").wait_for()
    assert bank.questions.count() == 0  # nothing shows in the bank until every question is in
    monkeypatch.undo()
    gift_import_run(job_id=job.pk, batch_size=1)
    assert "2問を取り込みました" in page.locator("#gift-import-done").inner_text()
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="問題を見る").click()
    page.wait_for_load_state()
    assert "料金体系" in page.content()
    assert bank.questions.count() == 2
