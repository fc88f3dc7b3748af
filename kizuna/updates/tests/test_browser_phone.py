"""The flash update's main path in a real browser at 375×667: a coach posts from a phone, a rep reads and confirms it."""

import time
from typing import Any

import pytest

from kizuna.tests.browser_support import sign_in
from kizuna.updates.models import FlashUpdate, Receipt

from .conftest import phone_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_coach_posts_from_a_phone_and_a_rep_answers_and_confirms(cast, live_server, phone, tmp_path):
    page, base = phone, live_server.url
    photo = tmp_path / "IMG_0420.JPG"
    photo.write_bytes(phone_jpeg())

    # The coach, on the phone: title, a line of text, a photo, partner A only, one check question, publish.
    sign_in(page, base, cast.coach.email)
    started = time.monotonic()
    page.goto(f"{base}/updates/new/")
    assert no_sideways_scroll(page)
    assert not page.locator("[data-audience=selected]").is_visible()  # only when "selected" is chosen
    page.fill("#id_title", "競合A社がキャンペーン開始")
    page.fill("#id_body", "A社が初月無料を始めました。**切り返しトーク**を確認してください。")
    page.set_input_files("#id_photo", str(photo))
    page.get_by_label("選んだパートナー企業・チーム").check()
    page.get_by_label("パートナーA株式会社", exact=True).check()
    page.get_by_text("確認問題(任意)").click()
    page.fill("#id_question_text", "「A社は初月無料ですよ」と言われたら?")
    page.fill("#id_option_1", "すぐに値引きを約束する")
    page.fill("#id_option_2", "30日無料トライアルと導入支援を伝える")
    page.locator("input[name=question_correct][value='2']").check()
    page.fill("#id_explanation", "当社も30日無料です。違いは導入支援です。")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="公開", exact=True).click()
    page.wait_for_url("**/updates/*/")
    assert page.get_by_text("公開しました").is_visible()
    assert time.monotonic() - started < 60
    update = FlashUpdate.objects.get()
    assert update.is_published and update.photo and update.question.correct == 2

    # The rep, on their phone: the update is at the top of the home page.
    page.context.clear_cookies()
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/")
    strip = page.locator(".flash-strip")
    assert strip.get_by_text("競合A社がキャンペーン開始").is_visible()
    assert strip.get_by_text("新着").is_visible()
    top = strip.bounding_box()["y"]
    assert top < page.locator("#h-next").bounding_box()["y"]  # above the courses
    assert no_sideways_scroll(page)

    strip.get_by_text("競合A社がキャンペーン開始").click()
    page.wait_for_url(f"**/updates/{update.pk}/")
    assert page.evaluate("document.querySelector('.flash-photo').naturalWidth") > 0
    got_it = page.get_by_role("button", name="確認しました")
    assert got_it.is_disabled()  # the check question comes first
    page.get_by_label("すぐに値引きを約束する").check()
    page.get_by_role("button", name="回答する").click()
    page.wait_for_load_state()
    assert page.get_by_text("おしい、不正解です。").first.is_visible()
    assert page.get_by_text("当社も30日無料です。違いは導入支援です。").is_visible()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="確認しました").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_text("確認済みにしました").is_visible()
    assert not page.locator(".flash-strip").count()
    receipt = Receipt.objects.get(rep=cast.rep_a1, update=update)
    assert receipt.acknowledged_at and receipt.answer == 1 and receipt.answer_correct is False
