"""Glossary terms are tappable wherever a rep reads quiz text: the question and its choices (quiz player, micro
lesson), the explanation and feedback (result, review). The page hands glossary.js the terms its text uses, inside
data-glossary blocks; warm, the glossary costs no query, however many blocks a page has."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kizuna.plain import services as plain
from kizuna.plain.tests.glossary_pages import block_with, sheet_terms

from .conftest import make_quiz, quiz_lesson
from .test_review import take_quiz

EXPLAINED = {
    "料金体系": "お金をどう払うかの決まり",
    "買い切り": "一度払えばずっと使える売り方",
    "月額制": "毎月決まった額を払う売り方",
}


@pytest.fixture
def glossary(cast):
    for term, explanation in EXPLAINED.items():
        plain.term_save(editor=cast.author, term_ja=term, explanation_ja=explanation, is_jargon=True)
    plain.term_save(editor=cast.author, term_ja="稟議", explanation_ja="社内の承認")  # on none of these pages
    plain.term_save(editor=cast.author, term_ja="従量課金")  # no explanation: never shown


def _start(client, lesson):
    url = reverse("assessments:quiz_attempt", args=[lesson.pk])
    client.post(url, {"action": "start", "sid": str(uuid.uuid4())})
    return url


def test_the_quiz_player_marks_terms_in_the_question_and_its_choices(cast, questions, glossary, client):
    lesson = quiz_lesson(cast, make_quiz(cast, [questions["single"]]))
    client.force_login(cast.rep_a1)
    url = _start(client, lesson)
    page = client.get(url).content.decode()
    # The question's 料金体系, the choices' 月額制 and 買い切り; 従量課金 is a choice too, but unexplained.
    assert sheet_terms(page) == EXPLAINED
    assert block_with(page, "料金体系")["class"] == "question-text"
    assert block_with(page, "買い切り")["tag"] == "span"  # the choice's own text, inside its label
    # "I didn't understand this word" goes with the quiz's lesson and brings the rep back to the quiz.
    assert f'action="{reverse("plain:word_ask", args=[lesson.pk])}"' in page
    assert f'name="next" value="{url}"' in page


def test_the_result_marks_terms_in_the_explanation_and_the_feedback(cast, questions, glossary, client):
    single = questions["single"]
    lesson = quiz_lesson(cast, make_quiz(cast, [single]))
    client.force_login(cast.rep_a1)
    url = _start(client, lesson)
    key = re.search(r'name="attempt" value="([^"]+)"', client.get(url).content.decode()).group(1)
    response = client.post(url, {"attempt": key, "submit_sid": str(uuid.uuid4()), f"q-{single.key}": "2"})
    page = client.get(response.url).content.decode()
    assert sheet_terms(page) == EXPLAINED
    assert block_with(page, "ユーザー数に応じた月額制です。") is not None  # the explanation
    assert block_with(page, "買い切りの販売はしていません。") is not None  # the chosen option's feedback


def test_a_micro_lessons_text_and_check_questions_are_marked(cast, questions, glossary, client):
    from kizuna.catalog.models import PublishedLesson

    lesson = quiz_lesson(cast, make_quiz(cast, [questions["single"]], micro=True), kind="micro")
    PublishedLesson.objects.filter(pk=lesson.pk).update(body_html="<p>稟議の前に見せる動画です。</p>")
    client.force_login(cast.rep_a1)
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert sheet_terms(page) == {**EXPLAINED, "稟議": "社内の承認"}
    assert block_with(page, "稟議の前に", tag="article") is not None
    assert block_with(page, "料金体系")["class"] == "question-text"


def test_review_cards_mark_terms_in_the_question_and_in_the_answer(cast, questions, glossary, client):
    single = questions["single"]
    lesson = quiz_lesson(cast, make_quiz(cast, [single], pass_mark=50))
    take_quiz(cast, lesson, cast.rep_a1, [(single, {"choice": "2"})], at=timezone.now() - timedelta(days=10))
    client.force_login(cast.rep_a1)
    page = client.get(reverse("assessments:review")).content.decode()
    assert sheet_terms(page) == EXPLAINED
    assert block_with(page, "料金体系")["class"] == "question-text"
    assert 'id="word-ask"' not in page  # a review card has no lesson to send a word with
    sid = re.search(r'name="sid" value="([^"]+)"', page).group(1)
    shown = re.search(r'name="shown" value="(\d+)"', page).group(1)
    answered = client.post(
        reverse("assessments:review_question", args=[single.pk]), {"sid": sid, "shown": shown, "answer": "2"}
    ).content.decode()
    assert block_with(answered, "ユーザー数に応じた月額制です。") is not None
    assert sheet_terms(answered) == EXPLAINED


def test_without_glossary_terms_a_quiz_page_carries_no_sheet(cast, questions, client):
    lesson = quiz_lesson(cast, make_quiz(cast, [questions["truefalse"]]))
    client.force_login(cast.rep_a1)
    page = client.get(_start(client, lesson)).content.decode()
    assert sheet_terms(page) == {}
    assert 'id="glossary-sheet"' in page  # the lesson's "I didn't understand a word" stays offered


def test_a_warm_quiz_page_reads_no_glossary_and_no_more_than_the_state_tokens(cast, questions, glossary, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lesson = quiz_lesson(cast, make_quiz(cast, [questions["single"], questions["multiple"], questions["truefalse"]]))
    client.force_login(cast.rep_a1)
    url = _start(client, lesson)
    client.get(url)  # cold: the glossary and each question's terms are kept
    with CaptureQueriesContext(connection) as warm:
        page = client.get(url).content.decode()
    assert sheet_terms(page) == EXPLAINED
    tables = [q["sql"] for q in warm.captured_queries]
    assert not any("plain_term" in sql for sql in tables)  # 3 questions, 10 blocks: the glossary is not read
    assert sum("ops_repstate" in sql for sql in tables) <= 1  # the glossary state: one read per request at most
