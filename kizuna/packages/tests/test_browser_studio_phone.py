"""An author imports a SCORM package and a cmi5 course in the studio on a phone (375×667): a bad file is refused
with every reason listed and nothing stored, a good one becomes the course's last lesson."""

from typing import Any

import pytest
from playwright.sync_api import expect

from kizuna.catalog.models import Lesson
from kizuna.cmi5.models import Course as Cmi5Course
from kizuna.cmi5.tests.courses import cmi5_xml, cmi5_zip
from kizuna.packages.models import Package
from kizuna.tests.browser_support import sign_in

from .authoring import storyline_12
from .packages import package_zip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page: Any, name: str, data: bytes) -> None:
    page.locator("input[name=file]").set_input_files({"name": name, "mimeType": "application/zip", "buffer": data})
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_an_author_imports_a_scorm_package_and_a_cmi5_course_on_a_phone(
    cast: Any, live_server: Any, phone: Any
) -> None:
    from kizuna.catalog import services as catalog

    page, base = phone, live_server.url
    course = catalog.course_create(author=cast.author, title="持ち込み研修", slug="brought")
    sign_in(page, base, cast.author.email)

    page.goto(f"{base}/studio/packages/import/?course={course.pk}")
    expect(page.locator("select[name=course]")).to_have_value(str(course.pk))
    escaping = package_zip(extra={"../outside.html": b"<p>x</p>"})
    _upload(page, "escaping.zip", escaping)
    expect(page.locator("form")).to_contain_text("outside.html")  # the reason, in Japanese, on the form
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not Package.objects.exists() and not Lesson.objects.exists()

    _upload(page, "storyline.zip", storyline_12())
    page.wait_for_url(f"**/studio/courses/{course.pk}/**")
    scorm = Lesson.objects.get(kind="package")
    expect(page.locator(f"#lesson-{scorm.pk}")).to_be_visible()
    expect(page.locator("body")).to_contain_text(scorm.title)
    package = Package.objects.get(pk=scorm.content_id)
    assert package.standard == "scorm12" and package.scos.filter(is_asset=False).count() == 2

    page.goto(f"{base}/studio/cmi5/import/?course={course.pk}")
    bad = cmi5_xml().replace(b'moveOn="CompletedAndPassed"', b'moveOn="Maybe"')
    _upload(page, "bad-cmi5.zip", cmi5_zip(xml=bad))
    expect(page.locator("form")).to_contain_text("moveOn")
    assert not Cmi5Course.objects.exists() and Lesson.objects.count() == 1

    _upload(page, "course-cmi5.zip", cmi5_zip())
    page.wait_for_url(f"**/studio/courses/{course.pk}/**")
    cmi5 = Lesson.objects.get(kind="cmi5")
    expect(page.locator(f"#lesson-{cmi5.pk}")).to_be_visible()
    assert Cmi5Course.objects.get(pk=cmi5.content_id).aus.count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
