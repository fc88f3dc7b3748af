"""A lesson's reading level is measured when its text is saved, stored on the lesson, and shown in the studio's
lesson list next to the principal's target (flagged when harder), without analysing anything per page view."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from kizuna.catalog import services as catalog
from kizuna.catalog.models import Lesson
from kizuna.plain import analysis, selectors, services

PLAIN = "お客様の話をよく聞きます。困っていることを三つ書きます。次に会う日を決めます。"
JARGON = "KGIとKPIのツリーでLTVとCACを見て、SFAのパイプラインのコンバージョンをオプティマイズする。"


def _lesson(cast, body, *, kind="article"):
    course = catalog.course_create(author=cast.author, title="読みやすさ", slug=f"lv-{abs(hash(body)) % 10**8}")
    module = catalog.module_create(course=course, title="はじめに")
    return catalog.lesson_create(module=module, kind=kind, title="聞き方", body=body)


def _badge(client, lesson):
    page = client.get(reverse("catalog:studio_course", args=[lesson.module.course_id])).content.decode()
    row = re.search(rf'<li id="lesson-{lesson.pk}">(.*?)</li>', page, re.S).group(1)
    found = re.search(r'<span class="badge plain-band (\w+)"[^>]*>(.*?)</span>', row, re.S)
    return found.groups() if found else None


def test_saving_a_lesson_stores_the_level_the_analyser_gives(cast):
    lesson = _lesson(cast, PLAIN)
    assert lesson.reading_lang == "ja"
    assert lesson.reading_level == pytest.approx(analysis.analyse(PLAIN, lang="ja").level)
    assert Lesson.objects.get(pk=lesson.pk).reading_level == lesson.reading_level
    assert _lesson(cast, "").reading_level is None  # nothing to read, no level


def test_editing_the_text_measures_it_again(cast):
    lesson = _lesson(cast, PLAIN)
    plain_level = lesson.reading_level
    catalog.lesson_update(lesson=lesson, title=lesson.title, body=JARGON)
    lesson.refresh_from_db()
    assert lesson.reading_level < plain_level  # higher is easier


def test_the_studio_list_shows_the_stored_level_and_the_target_without_analysing(cast, signed_in, monkeypatch):
    services.target_set(level_ja=3.5, level_en=60)
    plain, jargon = _lesson(cast, PLAIN), _lesson(cast, JARGON)

    def no_analysis(*args, **kwargs):
        raise AssertionError("the list analysed a text")

    monkeypatch.setattr(selectors, "analyse", no_analysis)  # what text_level (the only level reader) calls
    client = signed_in(cast.author)
    state, text = _badge(client, plain)
    assert f"{plain.reading_level:.1f}" in text and "目標 3.5" in text and state == "ok"
    state, text = _badge(client, jargon)
    assert state == "below" and "目標より難しい" in text and "目標 3.5" in text


def test_a_new_target_flags_the_same_stored_level_differently(cast, signed_in):
    lesson = _lesson(cast, PLAIN)
    client = signed_in(cast.author)
    services.target_set(level_ja=0.5, level_en=60)
    assert _badge(client, lesson)[0] == "ok"
    services.target_set(level_ja=9.5, level_en=60)
    assert _badge(client, lesson)[0] == "below"


def test_the_badge_is_in_english_for_an_english_speaking_author(cast):
    lesson = _lesson(cast, PLAIN)
    target = services.target_set(level_ja=9.5, level_en=60)
    with translation.override("en"):
        level = selectors.stored_level(lesson.reading_level, lesson.reading_lang, target)
        from django.template.loader import render_to_string

        html = render_to_string("plain/_level.html", {"level": level})
    assert "target 9.5" in html and "harder than the target" in html


def test_a_video_lessons_description_gets_a_level_too(cast):
    assert _lesson(cast, PLAIN, kind="video").reading_level is not None
