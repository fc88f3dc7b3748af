"""The studio's main path in a real browser at 375×667: an author builds and publishes a course, an admin assigns it."""

import pytest

from kizuna.catalog.models import Assignment, Course
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_author_builds_and_publishes_a_course_and_an_admin_assigns_it(cast, live_server, phone):
    page, base = phone, live_server.url
    sign_in(page, base, cast.author.email)

    page.goto(f"{base}/studio/")
    page.get_by_role("link", name="新しいコース").click()
    page.get_by_label("タイトル").fill("はじめての商談")
    page.get_by_label("コード").fill("first-meeting")
    page.get_by_label("創業者の想い").check()
    page.get_by_label("新しいトピックタグ").fill("ヒアリング")
    assert fits_the_phone(page)
    page.get_by_role("button", name="作成").click()
    page.wait_for_load_state()
    assert "コースを作成しました" in page.content()

    page.locator("#new-module").get_by_label("タイトル").fill("準備")
    page.get_by_role("button", name="章を追加").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="＋ 記事").click()
    page.get_by_label("タイトル").fill("事前に調べること")
    page.get_by_label("本文(Markdown)").fill("## 3つの質問\n\n- **予算**\n- 時期")
    page.locator("#preview strong").get_by_text("予算").wait_for()
    assert fits_the_phone(page)
    page.get_by_role("button", name="レッスンを追加").click()
    page.wait_for_load_state()

    assert page.locator("#publish .problems").count() == 0
    assert fits_the_phone(page)
    page.locator("#publish").get_by_role("button", name="公開").click()
    page.wait_for_load_state()
    assert "バージョン 1 として公開しました。" in page.content()
    assert page.get_by_text("公開中 v1").first.is_visible()
    course = Course.objects.get(slug="first-meeting")
    assert course.latest_version.lessons.get().title == "事前に調べること"

    admin = page.context.browser.new_context(viewport={"width": 375, "height": 667}, locale="ja-JP")
    apage = admin.new_page()
    sign_in(apage, base, cast.admin.email)
    apage.goto(f"{base}/assignments/")
    apage.get_by_label("コース", exact=True).select_option(label="はじめての商談")
    apage.get_by_role("radio", name="チーム").check()
    assert apage.locator("[data-target-field=partner]").is_hidden()
    apage.locator("select[name=team]").select_option(label=f"{cast.partner_a} / {cast.team_a1}")
    apage.get_by_role("button", name="割り当て", exact=True).click()
    apage.wait_for_load_state()
    assert "期限を設定してください" in apage.content()
    apage.get_by_label("期限").fill("2030-03-31")
    apage.get_by_role("button", name="割り当て", exact=True).click()
    apage.wait_for_load_state()
    assert "コースを割り当てました。" in apage.content()
    assert fits_the_phone(apage)
    assignment = Assignment.objects.get(course=course)
    assert (assignment.team, assignment.required) == (cast.team_a1, True)
    admin.close()
