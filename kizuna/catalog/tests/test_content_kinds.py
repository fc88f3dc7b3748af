"""The seam for lesson kinds that other apps own: studio choice, publishing, the lesson page, completion."""

import pytest
from django.template import Template
from django.urls import reverse

from kizuna.catalog import kinds
from kizuna.catalog import services as catalog
from kizuna.records import services as records


@pytest.fixture
def quiz_kind():
    published = []

    def publish(content_id, publisher):
        published.append((content_id, publisher.pk))
        return content_id * 100

    kind = kinds.ContentKind(
        kind="quiz",
        choices=lambda user: [(7, "製品クイズ"), (8, "価格クイズ")],
        publish_problems=lambda content_id: ["クイズ8には問題がありません。"] if content_id == 8 else [],
        publish=publish,
        learner=lambda request, lesson, progress: (
            Template("<p id='quiz'>quiz {{ published_quiz }}</p>"),
            {"published_quiz": lesson.content_id},
        ),
    )
    before = kinds.content_kind("quiz")
    kinds.register(kind)
    yield published
    if before is None:
        kinds._KINDS.pop("quiz")
    else:
        kinds.register(before)


def test_an_unregistered_kind_cannot_be_added(cast, monkeypatch):
    monkeypatch.setattr(kinds, "_KINDS", {})
    course = catalog.course_create(author=cast.author, title="t", slug="t")
    module = catalog.module_create(course=course, title="m")
    with pytest.raises(catalog.CatalogError):
        catalog.lesson_create(module=module, kind="scenario", title="x")


def test_the_owner_is_asked_for_problems_and_for_the_published_version(cast, quiz_kind, client):
    course = catalog.course_create(author=cast.author, title="クイズ", slug="quiz-course")
    module = catalog.module_create(course=course, title="章")
    lesson = catalog.lesson_create(module=module, kind="quiz", title="確認テスト")
    assert any("確認テスト" in p for p in catalog.course_publish_problems(course))
    catalog.lesson_update(lesson=lesson, title="確認テスト", body="", content_id=8)
    assert "クイズ8には問題がありません。" in catalog.course_publish_problems(course)
    catalog.lesson_update(lesson=lesson, title="確認テスト", body="", content_id=7)
    assert catalog.course_publish_problems(course) == []
    version = catalog.course_publish(course=course, publisher=cast.author)
    assert quiz_kind == [(7, cast.author.pk)]
    published = version.lessons.get()
    assert published.content_id == 700

    catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, partner=cast.partner_a)
    client.force_login(cast.rep_a1)
    page = client.get(reverse("learning:lesson", args=[published.pk])).content.decode()
    assert "<p id='quiz'>quiz 700</p>" in page
    assert "完了にする" not in page  # only the quiz's own app completes it

    with pytest.raises(records.StatementError):
        records.lesson_complete(rep=cast.rep_a1, lesson=published)
    records.lesson_complete(rep=cast.rep_a1, lesson=published, by_content=True)


def test_the_studio_offers_the_owners_content(cast, quiz_kind, client):
    course = catalog.course_create(author=cast.author, title="クイズ", slug="quiz-course")
    module = catalog.module_create(course=course, title="章")
    client.force_login(cast.author)
    url = reverse("catalog:studio_lesson_new", args=[module.pk])
    assert "?kind=quiz" in client.get(url).content.decode()
    form_page = client.get(url, {"kind": "quiz"}).content.decode()
    assert "価格クイズ" in form_page
    client.post(url, {"kind": "quiz", "title": "理解度チェック", "estimated_minutes": 3, "content": "7"})
    assert module.lessons.get().content_id == 7
