"""A rep completes a SCORM 1.2 package on a phone (375×667), then finds it resumable on a PC."""

import io
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import publish_course
from kizuna.packages.services import package_import
from kizuna.records.models import LessonProgress, Statement
from kizuna.tests.browser_support import sign_in

from .packages import PAGE, Spec, package_zip
from .sequenced import linear_zip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_completes_a_scorm_package_on_a_phone_and_resumes_on_a_pc(
    cast: Any, scorm12_lesson: Any, live_server: Any, phone: Any, browser: Any
) -> None:
    page, base = phone, live_server.url
    _course, lesson, package = scorm12_lesson
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.locator("#package-start").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/sco/**")
    sco = page.frame_locator("#package-frame")
    expect(sco.locator("#name")).to_have_text("営業 一子")  # the SCO found the API and read the learner
    assert sco.locator("#resume").inner_text() == "-"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    sco.get_by_role("button", name="b を選んで送信").click()
    expect(sco.locator("#done")).to_have_text("finished")
    page.locator("#package-status", has_text="終了しました").wait_for()
    lp = LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk)
    assert lp.completed_at is not None
    verbs = set(Statement.objects.filter(actor=cast.rep_a1).values_list("verb", flat=True))
    assert {"http://adlnet.gov/expapi/verbs/answered", "http://adlnet.gov/expapi/verbs/passed"} <= verbs
    page.locator("#package-back").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/")
    assert page.locator(".package-sco .badge.done").inner_text() == "✓ 合格"

    desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    pc = desk.new_page()
    sign_in(pc, base, cast.rep_a1.email)
    pc.goto(f"{base}/learn/lessons/{lesson.pk}/sco/{package.scos.get().pk}/")
    expect(pc.frame_locator("#package-frame").locator("#resume")).to_have_text("slide=3")
    desk.close()


def test_a_rep_passes_a_scorm2004_package_on_a_phone(
    cast: Any, scorm2004_lesson: Any, live_server: Any, phone: Any
) -> None:
    page, base = phone, live_server.url
    _course, lesson, package = scorm2004_lesson
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.locator("#package-start").click()
    sco = page.frame_locator("#package-frame")
    expect(sco.locator("#name")).to_have_text("営業 一子")
    sco.get_by_role("button", name="b を選んで送信").click()
    page.locator("#package-status", has_text="終了しました").wait_for()
    state = package.scos.get().states.get(rep=cast.rep_a1)
    assert (state.completion, state.success, state.score_scaled) == ("completed", "passed", 0.9)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None


NAV_SCO_JS = """
function findAPI(w) { var n = 0; while (w && !w.API_1484_11 && w.parent && w.parent !== w && n++ < 10) { w = w.parent; }
  return w ? w.API_1484_11 : null; }
var api = findAPI(window);
api.Initialize("");
document.getElementById("name").textContent = api.GetValue("cmi.learner_name");
document.getElementById("answer").addEventListener("click", function () {
  api.SetValue("cmi.completion_status", "completed");
  api.SetValue("cmi.exit", "normal");
  api.SetValue("adl.nav.request", document.body.dataset.request);
  api.Terminate("");
});
"""


def test_a_scorm2004_scos_navigation_requests_move_the_rep_on_a_phone(cast: Any, live_server: Any, phone: Any) -> None:
    """A 2004 SCO that asks for "continue" as it terminates (as sequenced packages do, with no buttons of their own)
    brings the rep to the next SCO, once its commit is stored; "{target=…}choice" to the SCO it names."""

    def page_asking(title: str, request: str) -> bytes:
        return PAGE.format(title=title, js="sco.js").replace("<body>", f'<body data-request="{request}">').encode()

    spec = Spec(
        standard="scorm2004", scos=[("sco-1", "第1章", "sco1/index.html"), ("sco-2", "第2章", "sco2/index.html")]
    )
    extra = {
        "sco1/index.html": page_asking("第1章", "continue"),
        "sco2/index.html": page_asking("第2章", "{target=item-sco-1}choice"),
        "sco1/sco.js": NAV_SCO_JS.encode(),
        "sco2/sco.js": NAV_SCO_JS.encode(),
    }
    zipped = package_zip(spec, extra=extra)
    package = package_import(upload=io.BytesIO(zipped), author=cast.author)
    course = publish_course(
        cast,
        slug="nav2004",
        title="ナビ",
        lessons=[{"kind": "package", "title": package.title, "content_id": package.pk}],
    )
    lesson = course.latest_version.lessons.get()
    first, second = package.scos.order_by("position")
    assert (first.identifier, second.identifier) == ("item-sco-1", "item-sco-2")

    def done(sco: Any) -> None:
        # A SCO's last commit goes as a beacon, which the browser delivers even as the page changes: it may arrive
        # a moment after the next SCO opened.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not sco.states.filter(rep=cast.rep_a1, completion="completed").exists():
            time.sleep(0.2)
        assert sco.states.get(rep=cast.rep_a1).completion == "completed"

    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/sco/{first.pk}/")
    expect(page.frame_locator("#package-frame").locator("#name")).to_have_text("営業 一子")
    page.frame_locator("#package-frame").get_by_role("button", name="b を選んで送信").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/sco/{second.pk}/?delivered=*")  # continue: the next SCO
    expect(page.frame_locator("#package-frame").locator("h1")).to_have_text("第2章")
    done(first)  # its last commit was sent as it moved on
    page.frame_locator("#package-frame").get_by_role("button", name="b を選んで送信").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/sco/{first.pk}/?delivered=*")  # choice: the SCO it named
    done(second)  # and then the lesson is complete: both SCOs are done
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None


def test_a_rep_is_led_through_a_sequenced_scorm2004_package_on_a_phone(cast: Any, live_server: Any, phone: Any) -> None:
    """A multi-SCO 2004 package whose organization allows no choice, flows forward only, skips a completed SCO,
    limits attempts and leaves an extra SCO out of its rollup: the rep starts it, each SCO's "continue" is
    evaluated on the server after its last commit, and the lesson completes at the end."""

    def page_asking(title: str) -> bytes:
        return PAGE.format(title=title, js="sco.js").replace("<body>", '<body data-request="continue">').encode()

    pages = {f"{i}/index.html": page_asking(t) for i, t in (("intro", "はじめに"), ("quiz", "確認テスト"))}
    pages.update({f"{i}/sco.js": NAV_SCO_JS.encode() for i in ("intro", "quiz")})
    package = package_import(upload=io.BytesIO(linear_zip(pages)), author=cast.author)
    course = publish_course(
        cast,
        slug="seq2004",
        title="順番",
        lessons=[{"kind": "package", "title": package.title, "content_id": package.pk}],
    )
    lesson = course.latest_version.lessons.get()
    intro, quiz, _extra = package.scos.order_by("position")
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    expect(page.locator(".package-sco .locked")).to_have_count(3)  # no choice: the list has no links
    page.locator("#package-start").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/sco/{intro.pk}/?delivered=*")
    frame = page.frame_locator("#package-frame")
    expect(frame.locator("#name")).to_have_text("営業 一子")
    frame.get_by_role("button", name="b を選んで送信").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/sco/{quiz.pk}/?delivered=*")  # continue, after the commit
    expect(frame.locator("h1")).to_have_text("確認テスト")
    assert intro.states.get(rep=cast.rep_a1).completion == "completed"
    expect(page.locator(".package-bar a.btn")).to_have_count(1)  # forward only: Next, no Previous
    assert "/nav/continue/" in (page.locator("#package-next").get_attribute("href") or "")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    frame.get_by_role("button", name="b を選んで送信").click()
    page.wait_for_url(f"**/learn/lessons/{lesson.pk}/")  # past the skipped extra: the end
    expect(page.get_by_text("パッケージの最後まで進みました。")).to_be_visible()
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None
