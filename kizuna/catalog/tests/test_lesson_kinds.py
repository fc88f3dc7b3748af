"""Every lesson kind can be added from the course editor, and every page that names a lesson's kind names its own."""

import re

import pytest
from django.template import Template
from django.test import Client
from django.urls import reverse

from conftest import publish_course
from kizuna.api.services import api_token_create
from kizuna.catalog import kinds
from kizuna.catalog import services as catalog
from kizuna.catalog.models import LessonKind

OWNED_KINDS = ["micro", "quiz", "scenario", "survey", "package", "cmi5"]
JA_NAMES = {
    "article": "記事",
    "video": "動画",
    "micro": "マイクロラーニング",
    "quiz": "確認テスト",
    "scenario": "シナリオ",
    "survey": "アンケート",
    "package": "パッケージ(SCORM)",
    "cmi5": "コース(cmi5)",
}


@pytest.fixture
def stand_in_kinds():
    """Stand-ins for the kinds other apps own, each with one piece of content that publishes as it is."""
    before = {kind: kinds.content_kind(kind) for kind in OWNED_KINDS}
    for kind in OWNED_KINDS:
        kinds.register(
            kinds.ContentKind(
                kind=kind,
                choices=lambda user: [(1, "内容")],
                publish_problems=lambda content_id: [],
                publish=lambda content_id, publisher: content_id,
                learner=lambda request, lesson, progress: (Template("<p id='content'>内容</p>"), {}),
                uses_video=kind == "micro",
            )
        )
    yield
    for kind, owner in before.items():
        if owner is None:
            kinds._KINDS.pop(kind, None)
        else:
            kinds.register(owner)


@pytest.fixture
def every_kind_course(cast, stand_in_kinds, make_video):
    video = make_video()
    lessons = [
        {"kind": "article", "title": "読む", "body": "本文"},
        {"kind": "video", "title": "見る", "video": video},
        {"kind": "micro", "title": "短く", "video": video, "content_id": 1},
        {"kind": "quiz", "title": "試す", "content_id": 1},
        {"kind": "scenario", "title": "演じる", "content_id": 1},
        {"kind": "survey", "title": "答える", "content_id": 1},
        {"kind": "package", "title": "受講する", "content_id": 1},
        {"kind": "cmi5", "title": "進める", "content_id": 1},
    ]
    return publish_course(cast, slug="every-kind", title="全部の種類", lessons=lessons)


def kind_badges(html: str) -> list[str]:
    """Return the kinds named by the lesson kind badges of a page, in order."""
    return re.findall(r'<span class="badge kind-(\w+)">([^<]+)</span>', html)


def test_the_course_editor_offers_every_lesson_kind_in_each_module(cast, signed_in):
    course = catalog.course_create(author=cast.author, title="t", slug="t")
    first = catalog.module_create(course=course, title="一")
    second = catalog.module_create(course=course, title="二")
    html = signed_in(cast.author).get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    for module in (first, second):
        new_lesson = reverse("catalog:studio_lesson_new", args=[module.pk])
        for kind in LessonKind.values:
            assert f'href="{new_lesson}?kind={kind}">＋ {JA_NAMES[kind]}</a>' in html


def test_the_course_editor_offers_no_kind_whose_app_is_absent(cast, signed_in, monkeypatch):
    monkeypatch.setattr(kinds, "_KINDS", {})
    course = catalog.course_create(author=cast.author, title="t", slug="t")
    catalog.module_create(course=course, title="一")
    html = signed_in(cast.author).get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    assert "?kind=article" in html and "?kind=video" in html
    assert "?kind=quiz" not in html


def test_the_studio_outline_names_each_lessons_real_kind(cast, signed_in, every_kind_course):
    html = signed_in(cast.author).get(reverse("catalog:studio_course", args=[every_kind_course.pk])).content.decode()
    assert kind_badges(html) == list(JA_NAMES.items())


def test_the_reps_course_page_names_each_lessons_real_kind(cast, signed_in, every_kind_course):
    html = signed_in(cast.rep_a1).get(reverse("learning:course", args=[every_kind_course.pk])).content.decode()
    assert kind_badges(html) == list(JA_NAMES.items())


def test_the_reps_lesson_page_names_its_kind(cast, signed_in, every_kind_course):
    quiz = every_kind_course.latest_version.lessons.get(kind="quiz")
    html = signed_in(cast.rep_a1).get(reverse("learning:lesson", args=[quiz.pk])).content.decode()
    assert kind_badges(html) == [("quiz", "確認テスト")]


def test_the_managers_progress_page_names_each_lessons_real_kind(cast, signed_in, every_kind_course):
    html = signed_in(cast.manager_a).get(reverse("analytics:rep_detail", args=[cast.rep_a1.pk])).content.decode()
    assert kind_badges(html) == list(JA_NAMES.items())


def test_the_lesson_api_gives_the_real_kind_and_the_micro_lessons_video(cast, every_kind_course):
    raw = api_token_create(user=cast.rep_a1, name="t", created_by=None)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    course = client.get(f"/api/v1/courses/{every_kind_course.pk}", **auth).json()
    assert [lesson["kind"] for lesson in course["modules"][0]["lessons"]] == list(JA_NAMES)
    micro = every_kind_course.latest_version.lessons.get(kind="micro")
    body = client.get(f"/api/v1/lessons/{micro.pk}", **auth).json()
    assert body["kind"] == "micro"
    assert body["video"] is not None


def test_the_studio_outline_shows_whether_a_micro_lesson_has_its_video(cast, signed_in, stand_in_kinds, make_video):
    course = catalog.course_create(author=cast.author, title="t", slug="t")
    module = catalog.module_create(course=course, title="一")
    without = catalog.lesson_create(module=module, kind="micro", title="動画まだ", content_id=1)
    with_video = catalog.lesson_create(module=module, kind="micro", title="動画あり", video=make_video(), content_id=1)
    html = signed_in(cast.author).get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    rows = dict(re.findall(r'<li id="lesson-(\d+)">(.*?)</li>', html, re.S))
    assert "動画なし" in rows[str(without.pk)]
    assert '<span class="badge done">' in rows[str(with_video.pk)]
