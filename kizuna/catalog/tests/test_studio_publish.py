"""Publishing through the studio: refused while something is missing; each publish is a new immutable version."""

from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.catalog.models import CourseVersion, Lesson, PublishedLesson


def test_it_refuses_to_publish_an_empty_article_or_a_video_that_is_not_ready(cast, signed_in, make_video):
    course = catalog.course_create(author=cast.author, title="動画で学ぶ", slug="video-course")
    module = catalog.module_create(course=course, title="基本")
    catalog.lesson_create(module=module, kind="article", title="空の記事", body="   ")
    catalog.lesson_create(module=module, kind="video", title="処理中の動画", video=make_video(status="processing"))
    catalog.lesson_create(module=module, kind="video", title="動画なし")
    client = signed_in(cast.author)

    page = client.get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    assert "記事「空の記事」が空です。" in page
    assert "「処理中の動画」の動画はまだ準備ができていません" in page
    assert "動画レッスン「動画なし」に動画がありません。" in page

    response = client.post(reverse("catalog:studio_course_publish", args=[course.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert "記事「空の記事」が空です。" in messages
    assert len(messages) == 3
    course.refresh_from_db()
    assert course.latest_version is None
    assert not CourseVersion.objects.filter(course=course).exists()


def test_it_refuses_to_publish_a_course_without_lessons(cast, signed_in):
    course = catalog.course_create(author=cast.author, title="空のコース", slug="empty")
    response = signed_in(cast.author).post(reverse("catalog:studio_course_publish", args=[course.pk]), follow=True)
    assert "公開する前にレッスンを1つ以上追加してください。" in [str(m) for m in response.context["messages"]]
    assert not CourseVersion.objects.exists()


def test_editing_the_draft_leaves_the_published_version_untouched_until_it_is_republished(
    cast, article_course, signed_in
):
    client = signed_in(cast.author)
    v1 = article_course.latest_version
    v1_rows = list(PublishedLesson.objects.filter(version=v1).order_by("position").values())
    lesson = Lesson.objects.filter(module__course=article_course).order_by("position").first()

    client.post(
        reverse("catalog:studio_lesson_edit", args=[lesson.pk]),
        {"title": "創業者の想い（改訂）", "estimated_minutes": 6, "body": "新しい**本文**です。"},
    )
    published = PublishedLesson.objects.get(version=v1, key=lesson.key)
    assert published.title == "創業者の想い"
    assert "お客様第一" in published.body_html
    assert "新しい" not in published.body_html
    article_course.refresh_from_db()
    assert article_course.latest_version == v1
    assert article_course.has_unpublished_changes

    client.post(reverse("catalog:studio_course_publish", args=[article_course.pk]))
    article_course.refresh_from_db()
    v2 = article_course.latest_version
    assert v2.number == 2
    assert v2 != v1
    new = PublishedLesson.objects.get(version=v2, key=lesson.key)
    assert new.title == "創業者の想い（改訂）"
    assert "<strong>本文</strong>" in new.body_html
    assert list(PublishedLesson.objects.filter(version=v1).order_by("position").values()) == v1_rows
    assert not article_course.has_unpublished_changes


def test_the_course_page_lists_every_published_version(cast, article_course, signed_in):
    catalog.course_publish(course=article_course, publisher=cast.admin)
    page = signed_in(cast.author).get(reverse("catalog:studio_course", args=[article_course.pk]))
    assert [v.number for v in page.context["versions"]] == [2, 1]
    body = page.content.decode()
    assert "バージョン 2" in body and "バージョン 1" in body
    assert "管理 花子" in body and "作成 太郎" in body
    assert reverse("learning:course", args=[article_course.pk]) in body
