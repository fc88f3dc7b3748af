"""Package pages over HTTP: the studio's import, the files behind the access check, the player and its commits."""

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kizuna.catalog.models import Lesson
from kizuna.packages.models import Package, ScoState

from .packages import package_zip

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_author_imports_a_package_as_the_courses_last_lesson(cast: Any) -> None:
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="取り込み", slug="import")
    upload = SimpleUploadedFile("course.zip", package_zip(), content_type="application/zip")
    response = client_for(cast.author).post(
        "/studio/packages/import/", {"course": course.pk, "file": upload, "title": "価格の話し方"}
    )
    lesson = Lesson.objects.get(module__course=course)
    assert response.status_code == 302 and response["Location"].endswith(f"#lesson-{lesson.pk}")
    assert (lesson.kind, lesson.title) == ("package", "価格の話し方")


def test_the_studio_shows_every_problem_in_japanese_and_stores_nothing(cast: Any) -> None:
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="取り込み", slug="import")
    upload = SimpleUploadedFile("bad.zip", package_zip(drop=("imsmanifest.xml",)), content_type="application/zip")
    response = client_for(cast.author).post("/studio/packages/import/", {"course": course.pk, "file": upload})
    assert response.status_code == 200
    assert "imsmanifest.xml(SCORM)も cmi5.xml(cmi5)もありません" in response.content.decode()
    assert not Package.objects.exists() and not Lesson.objects.exists()


def test_a_rep_gets_the_package_files_framed_only_by_kizuna(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, _package = scorm12_lesson
    response = client_for(cast.rep_a1).get(f"/learn/lessons/{lesson.pk}/package/sco1/index.html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_a_path_out_of_the_package_is_not_found(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, _package = scorm12_lesson
    for path in ("../../settings.py", "sco1/../../x", "nope.html"):
        assert client_for(cast.rep_a1).get(f"/learn/lessons/{lesson.pk}/package/{path}").status_code == 404


def _player_config(client: Client, lesson: Any, sco: Any) -> dict:
    page = client.get(f"/learn/lessons/{lesson.pk}/sco/{sco.pk}/").content.decode()
    return json.loads(re.search(r'id="package-config" type="application/json">(.*?)</script>', page).group(1))


def test_the_player_commits_with_its_launch_token_and_resumes_on_another_device(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, package = scorm12_lesson
    sco = package.scos.get()
    phone = client_for(cast.rep_a1)
    config = _player_config(phone, lesson, sco)
    assert config["launchUrl"] == f"/learn/lessons/{lesson.pk}/package/sco1/index.html"
    assert config["cmi"]["core"]["entry"] == "ab-initio"
    body = {"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "suspend", "cmi.suspend_data": "p=4"}
    response = phone.post(config["commitUrl"] + "&terminate=true", json.dumps(body), content_type="text/plain")
    assert response.json() == {"result": True, "errorCode": 0}
    pc = client_for(cast.rep_a1)  # another device: a new session of the same rep
    resumed = _player_config(pc, lesson, sco)
    assert resumed["cmi"]["core"]["entry"] == "resume" and resumed["cmi"]["suspend_data"] == "p=4"


def test_a_commit_without_a_valid_launch_token_is_refused(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, package = scorm12_lesson
    sco = package.scos.get()
    url = f"/learn/lessons/{lesson.pk}/sco/{sco.pk}/commit/"
    rep = client_for(cast.rep_a1)
    assert rep.post(url + "?launch=forged", "{}", content_type="application/json").status_code == 403
    other = _player_config(client_for(cast.rep_a2), lesson, sco)["commitUrl"]  # another rep's launch
    assert rep.post(other, "{}", content_type="application/json").status_code == 403
    assert not ScoState.objects.filter(rep=cast.rep_a1).exists()


def test_staff_preview_the_player_without_recording(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, package = scorm12_lesson
    config = _player_config(client_for(cast.author), lesson, package.scos.get())
    assert config["commitUrl"] is None


def test_the_lesson_page_lists_the_scos_with_a_start_button(cast: Any, multi_sco_lesson: Any) -> None:
    _course, lesson, package = multi_sco_lesson
    page = client_for(cast.rep_a1).get(f"/learn/lessons/{lesson.pk}/").content.decode()
    first = package.scos.first()
    assert "第1章" in page and "第2章" in page
    assert f'id="package-start" href="/learn/lessons/{lesson.pk}/sco/{first.pk}/"' in page


def test_the_item_analysis_counts_answers_and_the_correct_share(cast: Any, scorm12_lesson: Any) -> None:
    import uuid

    from kizuna.packages import runtime

    _course, lesson, package = scorm12_lesson
    sco = package.scos.get()
    for rep, result in ((cast.rep_a1, "correct"), (cast.rep_a2, "wrong")):
        data = {
            "cmi.interactions.0.id": "q-price",
            "cmi.interactions.0.type": "choice",
            "cmi.interactions.0.student_response": "b",
            "cmi.interactions.0.result": result,
        }
        runtime.sco_commit(rep=rep, lesson=lesson, sco=sco, session_id=uuid.uuid4(), data=data)
    page = client_for(cast.author).get(f"/packages/lessons/{lesson.pk}/items/").content.decode()
    assert re.search(
        r"<td>q-price</td><td>choice</td><td class=\"num\">2</td><td class=\"num\">2</td>\s*<td class=\"num\">50%", page
    )
    assert client_for(cast.rep_a1).get(f"/packages/lessons/{lesson.pk}/items/").status_code == 404


def test_an_author_puts_an_imported_package_into_a_lesson_and_publishes_it(cast: Any) -> None:
    import io

    from kizuna.catalog import services as catalog
    from kizuna.packages.services import package_import

    package = package_import(upload=io.BytesIO(package_zip()), author=cast.author)
    course = catalog.course_create(author=cast.author, title="取り込み", slug="import")
    module = catalog.module_create(course=course, title="第1章")
    author = client_for(cast.author)
    form = author.get(f"/studio/modules/{module.pk}/lessons/new/?kind=package").content.decode()
    assert f'<option value="{package.pk}">営業の基本パッケージ(SCORM 1.2、' in form
    response = author.post(
        f"/studio/modules/{module.pk}/lessons/new/",
        {"kind": "package", "title": "パッケージ", "estimated_minutes": 10, "content": package.pk},
    )
    assert response.status_code == 302
    version = catalog.course_publish(course=course, publisher=cast.author)
    assert version.lessons.get().content_id == package.pk  # immutable: the same package is published
