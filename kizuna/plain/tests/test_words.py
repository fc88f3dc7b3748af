"""Reps: glossary terms in published lessons, "I didn't understand this word", and the authors' most-asked words."""

import json
import re

from django.urls import reverse

from conftest import publish_course
from kizuna.plain import services
from kizuna.plain.models import WordQuestion


def _course(cast):
    return publish_course(
        cast,
        slug="yomi",
        title="見込みの講座",
        lessons=[{"kind": "article", "title": "ヨミの出し方", "body": "毎週金曜にヨミを出します。ROIも見ます。"}],
    )


def _sheet_terms(response):
    """The glossary terms the lesson page hands its script (a JSON block)."""
    found = re.search(r'<script id="glossary-terms" type="application/json">(.*?)</script>', response.content.decode())
    return {row["term"]: row["explanation"] for row in json.loads(found.group(1))}


def _lesson(course):
    return course.latest_version.lessons.get()


def test_a_published_lesson_carries_its_explained_glossary_terms(cast, signed_in):
    services.term_save(editor=cast.author, term_ja="ヨミ", explanation_ja="契約になりそうな見込み", is_jargon=True)
    services.term_save(editor=cast.author, term_ja="ROI")  # no explanation: nothing to show
    services.term_save(editor=cast.author, term_ja="稟議", explanation_ja="社内の承認")  # not in this lesson
    lesson = _lesson(_course(cast))
    response = signed_in(cast.rep_a1).get(reverse("learning:lesson", args=[lesson.pk]))
    assert _sheet_terms(response) == {"ヨミ": "契約になりそうな見込み"}
    assert 'id="glossary-sheet"' in response.content.decode()


def test_a_glossary_change_reaches_the_lesson_page_at_once(cast, signed_in):
    term = services.term_save(editor=cast.author, term_ja="ヨミ", explanation_ja="古い説明", is_jargon=True)
    lesson = _lesson(_course(cast))
    client = signed_in(cast.rep_a1)
    client.get(reverse("learning:lesson", args=[lesson.pk]))
    services.term_explain(editor=cast.author, term=term, explanation="新しい説明", lang="ja")
    assert _sheet_terms(client.get(reverse("learning:lesson", args=[lesson.pk]))) == {"ヨミ": "新しい説明"}


def test_a_rep_sends_a_word_with_its_lesson_and_sentence_to_the_authors(cast, signed_in):
    lesson = _lesson(_course(cast))
    client = signed_in(cast.rep_a1)
    response = client.post(
        reverse("plain:word_ask", args=[lesson.pk]), {"word": "ヨミ", "sentence": "毎週金曜にヨミを出します。"}
    )
    assert response.status_code == 302
    question = WordQuestion.objects.get()
    assert (question.word, question.lesson_id, question.lesson_title, question.sentence) == (
        "ヨミ",
        lesson.pk,
        "ヨミの出し方",
        "毎週金曜にヨミを出します。",
    )
    assert question.partner == cast.partner_a
    client.post(reverse("plain:word_ask", args=[lesson.pk]), {"word": "ヨミ"})
    assert WordQuestion.objects.count() == 1  # asking twice is one ask


def test_an_empty_or_too_long_word_is_refused_with_a_message(cast, signed_in):
    lesson = _lesson(_course(cast))
    client = signed_in(cast.rep_a1)
    response = client.post(reverse("plain:word_ask", args=[lesson.pk]), {"word": " "}, follow=True)
    assert "わからなかった言葉を選んでください" in response.content.decode()
    client.post(reverse("plain:word_ask", args=[lesson.pk]), {"word": "あ" * 51})
    assert not WordQuestion.objects.exists()


def test_a_rep_of_another_agency_cannot_ask_about_a_lesson_they_cannot_see(cast, signed_in):
    lesson = _lesson(_course(cast))
    response = signed_in(cast.rep_b1).post(reverse("plain:word_ask", args=[lesson.pk]), {"word": "ヨミ"})
    assert response.status_code == 404
    assert not WordQuestion.objects.exists()


def test_authors_see_the_most_asked_words_first(cast, signed_in):
    lesson = _lesson(_course(cast))
    for rep in (cast.rep_a1, cast.rep_a2):
        signed_in(rep).post(reverse("plain:word_ask", args=[lesson.pk]), {"word": "ヨミ"})
    signed_in(cast.rep_a1).post(reverse("plain:word_ask", args=[lesson.pk]), {"word": "金曜"})
    body = signed_in(cast.author).get(reverse("plain:word_inbox")).content.decode()
    assert body.index("<td>ヨミ</td><td>2</td><td>2</td>") < body.index("<td>金曜</td><td>1</td>")
    assert "ヨミの出し方" in body


def test_partner_people_cannot_read_the_authors_inbox(cast, signed_in):
    assert signed_in(cast.manager_a).get(reverse("plain:word_inbox")).status_code == 404


def test_asking_brings_the_rep_back_to_the_page_they_read_on_this_site_only(cast, signed_in):
    lesson = _lesson(_course(cast))
    client = signed_in(cast.rep_a1)
    url = reverse("plain:word_ask", args=[lesson.pk])
    quiz_page = reverse("assessments:quiz_attempt", args=[lesson.pk])
    assert client.post(url, {"word": "ヨミ", "next": quiz_page}).url == quiz_page
    lesson_page = reverse("learning:lesson", args=[lesson.pk]) + "#lesson"
    assert client.post(url, {"word": "ヨミ", "next": "https://elsewhere.example/"}).url == lesson_page
    assert client.post(url, {"word": "ヨミ", "next": "//elsewhere.example/x"}).url == lesson_page
