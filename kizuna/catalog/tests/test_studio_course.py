"""An author builds a course through the studio: create, add modules and lessons, reorder, publish."""

from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.catalog.models import Course, Lesson, Module, PublishedLesson, Tag


def test_an_author_creates_a_course_adds_modules_and_lessons_and_publishes_it(cast, signed_in, make_video):
    client = signed_in(cast.author)
    product = catalog.product_create(name="絆クラウド", slug="kizuna-cloud")
    founder = Tag.objects.get(kind="story", slug="founder_story")

    response = client.post(
        reverse("catalog:studio_course_new"),
        {
            "title": "製品の基本",
            "slug": "product-basics",
            "summary": "最初の一週間で学ぶこと",
            "product": product.pk,
            "story_tags": [founder.pk],
            "new_topic_tags": "ヒアリング、closing",
        },
    )
    course = Course.objects.get(slug="product-basics")
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:studio_course", args=[course.pk])
    assert course.created_by == cast.author
    assert course.product == product
    assert sorted(t.name_ja for t in course.tags.all()) == sorted(["創業者の想い", "ヒアリング", "closing"])

    client.post(reverse("catalog:studio_module_new", args=[course.pk]), {"title": "はじめに"})
    module = Module.objects.get(course=course)
    response = client.post(
        reverse("catalog:studio_lesson_new", args=[module.pk]),
        {"kind": "article", "title": "創業者の想い", "estimated_minutes": 4, "body": "# 想い\n\nお客様第一。"},
    )
    assert response.status_code == 302
    video = make_video()
    client.post(
        reverse("catalog:studio_lesson_new", args=[module.pk]),
        {"kind": "video", "title": "商談の始め方", "estimated_minutes": 3, "video": video.pk},
    )
    article, video_lesson = module.lessons.order_by("position")
    assert (article.kind, article.estimated_minutes) == ("article", 4)
    assert (video_lesson.kind, video_lesson.video) == ("video", video)

    page = client.get(reverse("catalog:studio_course", args=[course.pk]))
    assert page.status_code == 200
    assert page.context["problems"] == []
    assert "商談の始め方" in page.content.decode()

    client.post(reverse("catalog:studio_lesson_move", args=[video_lesson.pk]), {"direction": "up"})
    assert list(module.lessons.order_by("position").values_list("title", flat=True)) == ["商談の始め方", "創業者の想い"]

    response = client.post(reverse("catalog:studio_course_publish", args=[course.pk]), follow=True)
    course.refresh_from_db()
    version = course.latest_version
    assert version.number == 1
    assert version.published_by == cast.author
    assert version.lesson_count == 2
    assert version.estimated_minutes == 7
    assert [(pl.title, pl.position) for pl in version.lessons.all()] == [("商談の始め方", 1), ("創業者の想い", 2)]
    assert "お客様第一" in PublishedLesson.objects.get(title="創業者の想い").body_html
    assert "バージョン 1 として公開しました。" in response.content.decode()


def test_the_studio_list_shows_status_product_tags_and_lesson_count(cast, article_course, signed_in):
    draft = catalog.course_create(author=cast.author, title="下書きのコース", slug="draft-course")
    catalog.module_create(course=draft, title="章")
    body = signed_in(cast.author).get(reverse("catalog:studio")).content.decode()
    assert "製品の基本" in body
    assert "公開中 v1" in body
    assert "下書き" in body
    assert "2 レッスン" in body


def test_editing_the_course_marks_unpublished_changes(cast, article_course, signed_in):
    client = signed_in(cast.author)
    story = Tag.objects.get(slug="customer_voice")
    response = client.post(
        reverse("catalog:studio_course", args=[article_course.pk]),
        {"title": "製品の基本（改訂）", "summary": "新しい説明", "story_tags": [story.pk]},
    )
    assert response.status_code == 302
    article_course.refresh_from_db()
    assert article_course.title == "製品の基本（改訂）"
    assert list(article_course.tags.all()) == [story]
    assert article_course.has_unpublished_changes
    assert article_course.latest_version.title == "製品の基本"
    assert "未公開の変更" in client.get(reverse("catalog:studio")).content.decode()


def test_it_refuses_a_course_code_that_is_taken_and_creates_nothing(cast, article_course, signed_in):
    response = signed_in(cast.author).post(
        reverse("catalog:studio_course_new"),
        {"title": "別のコース", "slug": "product-basics", "new_topic_tags": "新しいタグ"},
    )
    assert response.status_code == 200
    assert "このコードのコースはすでにあります" in response.content.decode()
    assert Course.objects.count() == 1
    assert not Tag.objects.filter(name_ja="新しいタグ").exists()


def test_it_renames_and_deletes_a_module(cast, article_course, signed_in):
    client = signed_in(cast.author)
    module = article_course.modules.get()
    client.post(reverse("catalog:studio_module_edit", args=[module.pk]), {"title": "序章"})
    module.refresh_from_db()
    assert module.title == "序章"

    response = client.post(reverse("catalog:studio_module_edit", args=[module.pk]), {"action": "delete"})
    assert response.status_code == 302
    assert not Module.objects.filter(pk=module.pk).exists()
    assert not Lesson.objects.filter(module__course=article_course).exists()
    assert PublishedLesson.objects.filter(version__course=article_course).count() == 2


def test_it_refuses_a_module_without_a_title(cast, article_course, signed_in):
    response = signed_in(cast.author).post(
        reverse("catalog:studio_module_new", args=[article_course.pk]), {"title": "  "}, follow=True
    )
    assert "章の名前を入力してください" in response.content.decode()
    assert article_course.modules.count() == 1


def test_it_edits_and_deletes_a_lesson(cast, article_course, signed_in):
    client = signed_in(cast.author)
    first, second = Lesson.objects.filter(module__course=article_course).order_by("position")
    client.post(
        reverse("catalog:studio_lesson_edit", args=[first.pk]),
        {"title": "想い", "estimated_minutes": 8, "body": "新しい本文"},
    )
    first.refresh_from_db()
    assert (first.title, first.estimated_minutes, first.body) == ("想い", 8, "新しい本文")

    client.post(reverse("catalog:studio_lesson_delete", args=[second.pk]))
    assert list(Lesson.objects.filter(module__course=article_course)) == [first]


def test_it_refuses_a_lesson_without_a_title_and_keeps_what_was_typed(cast, article_course, signed_in):
    module = article_course.modules.get()
    response = signed_in(cast.author).post(
        reverse("catalog:studio_lesson_new", args=[module.pk]),
        {"kind": "article", "title": "", "estimated_minutes": 5, "body": "書きかけの本文"},
    )
    assert response.status_code == 200
    assert "書きかけの本文" in response.content.decode()
    assert module.lessons.count() == 2


def test_it_asks_which_kind_of_lesson_when_none_is_given(cast, article_course, signed_in):
    module = article_course.modules.get()
    response = signed_in(cast.author).get(reverse("catalog:studio_lesson_new", args=[module.pk]))
    assert response.status_code == 200
    assert "?kind=article" in response.content.decode()
    assert "?kind=video" in response.content.decode()


def test_it_refuses_an_unknown_move_direction(cast, article_course, signed_in):
    lesson = Lesson.objects.filter(module__course=article_course).first()
    response = signed_in(cast.author).post(
        reverse("catalog:studio_lesson_move", args=[lesson.pk]), {"direction": "sideways"}
    )
    assert response.status_code == 400
    assert 'class="topbar"' in response.content.decode()  # a page in the layout, not a bare line of text


def test_the_video_choice_shows_each_videos_status(cast, article_course, signed_in, make_video):
    make_video(title="準備中の動画", status="processing")
    make_video(title="完成した動画", status="ready")
    module = article_course.modules.get()
    body = (
        signed_in(cast.author)
        .get(reverse("catalog:studio_lesson_new", args=[module.pk]) + "?kind=video")
        .content.decode()
    )
    # Each option of the picker carries its video's title, then its state (and a poster once ready).
    chunks = [chunk for chunk in body.split('class="video-option')[1:] if "<strong>" in chunk]
    options = {chunk.split("<strong>")[1].split("</strong>")[0]: chunk for chunk in chunks}
    assert "変換中" in options["準備中の動画"] and "/poster" not in options["準備中の動画"]
    assert "視聴できます" in options["完成した動画"] and "/poster" in options["完成した動画"]
