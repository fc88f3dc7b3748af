"""The quiz editor: settings, fixed questions picked from banks, random draws, order, what stops publishing,
the preview, and micro lessons' check questions (at most three)."""

import re

import pytest
from django.urls import reverse

from kizuna.assessments import services
from kizuna.assessments.kinds import register_kinds
from kizuna.assessments.models import Quiz, QuizItem
from kizuna.catalog.kinds import content_kind

from .conftest import make_quiz

SETTINGS = {
    "title": "KIZUNA 料金テスト",
    "pass_mark": "80",
    "allowed_attempts": "2",
    "time_limit_minutes": "10",
    "shuffle_options": "on",
}


def test_an_author_creates_a_quiz_with_its_settings(cast, client):
    client.force_login(cast.author)
    response = client.post(reverse("assessments:studio_quizzes"), SETTINGS)
    quiz = Quiz.objects.get()
    assert response.url == reverse("assessments:studio_quiz", args=[quiz.pk])
    assert (quiz.pass_mark, quiz.allowed_attempts, quiz.time_limit_minutes) == (80, 2, 10)
    assert quiz.shuffle_options and not quiz.shuffle_questions and not quiz.micro
    page = client.get(response.url).content.decode()
    assert "問題がありません" in page  # what stops publishing


def test_bad_settings_say_what_to_fix_and_change_nothing(cast, client):
    quiz = make_quiz(cast, [], pass_mark=70)
    client.force_login(cast.author)
    fields = {f"settings-{k}": v for k, v in SETTINGS.items()} | {"settings-pass_mark": "150", "action": "settings"}
    response = client.post(reverse("assessments:studio_quiz", args=[quiz.pk]), fields)
    assert response.status_code == 400
    assert "100" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.pass_mark == 70


def test_an_author_picks_questions_from_a_bank_filtered_by_type_and_topic(cast, bank, questions, client):
    quiz = make_quiz(cast, [])
    client.force_login(cast.author)
    url = reverse("assessments:studio_quiz_add", args=[quiz.pk])
    page = client.get(url, {"bank": bank.pk, "type": "truefalse"}).content.decode()
    assert questions["truefalse"].text in page and questions["single"].text not in page
    price = questions["single"].topics.get()
    page = client.get(url, {"bank": bank.pk, "topic": price.pk}).content.decode()
    assert questions["single"].text in page and questions["truefalse"].text not in page
    response = client.post(url, {"bank": bank.pk, "question": [questions["single"].pk, questions["numerical"].pk]})
    assert response.status_code == 302
    assert [i.question for i in quiz.items.all()] == [questions["single"], questions["numerical"]]
    # Already there: shown as added, and a second add changes nothing.
    page = client.get(url, {"bank": bank.pk}).content.decode()
    assert "追加済み" in page
    client.post(url, {"bank": bank.pk, "question": [questions["single"].pk]})
    assert quiz.items.count() == 2


def test_an_author_adds_a_random_draw_and_orders_and_removes_lines(cast, bank, questions, client):
    quiz = make_quiz(cast, [questions["single"]])
    client.force_login(cast.author)
    price = questions["single"].topics.get()
    client.post(
        reverse("assessments:studio_quiz", args=[quiz.pk]),
        {"action": "draw", "draw-bank": bank.pk, "draw-topic": price.pk, "draw-count": "2"},
    )
    draw = quiz.items.get(kind=QuizItem.Kind.DRAW)
    assert (draw.bank, draw.topic, draw.count) == (bank, price, 2)
    page = client.get(reverse("assessments:studio_quiz", args=[quiz.pk])).content.decode()
    assert "ランダムに2問" in page and "1回の受験で3問" in page
    client.post(reverse("assessments:studio_quiz_item", args=[draw.pk]), {"action": "up"})
    assert [i.kind for i in quiz.items.order_by("position")] == ["draw", "fixed"]
    client.post(reverse("assessments:studio_quiz_item", args=[draw.pk]), {"action": "remove"})
    assert list(quiz.items.values_list("kind", flat=True)) == ["fixed"]


def test_a_draw_bigger_than_its_pool_is_shown_as_what_stops_publishing(cast, bank, questions, client):
    quiz = make_quiz(cast, [])
    services.quiz_draw_add(quiz=quiz, bank=bank, count=10)
    client.force_login(cast.author)
    page = client.get(reverse("assessments:studio_quiz", args=[quiz.pk])).content.decode()
    assert "has-problems" in page and "10" in page and "6" in page


def test_check_questions_for_a_micro_lesson_stop_at_three(cast, bank, questions, client):
    client.force_login(cast.author)
    form = client.get(reverse("assessments:studio_quizzes"), {"micro": "1"}).content.decode()
    assert re.search(r'<input[^>]*name="micro"[^>]*checked', form) and re.search(r'name="pass_mark" value="100"', form)
    client.post(
        reverse("assessments:studio_quizzes"),
        {"title": "30秒で料金", "micro": "on", "pass_mark": "100", "allowed_attempts": "0"},
    )
    quiz = Quiz.objects.get()
    assert quiz.micro
    url = reverse("assessments:studio_quiz_add", args=[quiz.pk])
    picks = [questions[t].pk for t in ("single", "truefalse", "short", "numerical")]
    response = client.post(url, {"bank": bank.pk, "question": picks}, follow=True)
    assert "3問まで" in response.content.decode()
    assert quiz.items.count() == 0  # nothing half-added
    client.post(url, {"bank": bank.pk, "question": picks[:3]})
    assert quiz.items.count() == 3
    page = client.get(reverse("assessments:studio_quiz", args=[quiz.pk])).content.decode()
    assert "マイクロラーニングの確認問題(3問まで)として公開できます" in page
    response = client.post(
        reverse("assessments:studio_quiz", args=[quiz.pk]), {"action": "draw", "draw-bank": bank.pk, "draw-count": "1"}
    )
    assert response.status_code == 400 and quiz.items.count() == 3


def test_micro_lessons_offer_their_check_questions_first(cast):
    register_kinds()
    services.quiz_create(author=cast.author, title="A 確認テスト")
    micro = services.quiz_create(author=cast.author, title="Z マイクロ", micro=True)
    assert content_kind("micro").choices(cast.author)[0][0] == micro.pk
    assert content_kind("quiz").choices(cast.author)[0][0] != micro.pk


def test_the_preview_shows_one_attempt_with_its_answer_key(cast, bank, questions, client):
    quiz = make_quiz(cast, [questions["single"]])
    services.quiz_draw_add(quiz=quiz, bank=bank, count=2)
    client.force_login(cast.coach)  # coaches may look
    page = client.get(reverse("assessments:studio_quiz_preview", args=[quiz.pk]), {"seed": "7"}).content.decode()
    assert page.count('class="card question preview-question"') == 3
    assert "買い切りの販売はしていません。" in page and "ユーザー数に応じた" in page
    again = client.get(reverse("assessments:studio_quiz_preview", args=[quiz.pk]), {"seed": "7"}).content.decode()
    keys = re.findall(r'name="q-([0-9a-f-]+)"', page)
    assert keys == re.findall(r'name="q-([0-9a-f-]+)"', again)  # the same seed draws the same
    assert not quiz.versions.exists()  # a preview publishes nothing


def test_coaches_see_quizzes_but_cannot_change_them(cast, questions, client):
    quiz = make_quiz(cast, [questions["single"]])
    client.force_login(cast.coach)
    page = client.get(reverse("assessments:studio_quiz", args=[quiz.pk])).content.decode()
    assert quiz.title in page and 'name="action" value="settings"' not in page
    assert client.post(reverse("assessments:studio_quizzes"), SETTINGS).status_code == 404
    assert (
        client.post(
            reverse("assessments:studio_quiz_item", args=[quiz.items.get().pk]), {"action": "remove"}
        ).status_code
        == 404
    )
    assert quiz.items.count() == 1


@pytest.mark.parametrize("who", ["manager_a", "rep_a1", "manager_b", "rep_b1"])
def test_partner_people_get_404_for_every_quiz_screen(cast, questions, client, who):
    quiz = make_quiz(cast, [questions["single"]])
    client.force_login(getattr(cast, who))
    for url in (
        reverse("assessments:studio_quizzes"),
        reverse("assessments:studio_quiz", args=[quiz.pk]),
        reverse("assessments:studio_quiz_add", args=[quiz.pk]),
        reverse("assessments:studio_quiz_preview", args=[quiz.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("assessments:studio_quiz_item", args=[quiz.items.get().pk]), {"action": "remove"}
        ).status_code
        == 404
    )


def test_the_bank_and_quiz_pages_run_a_fixed_number_of_queries(
    cast, bank, questions, client, django_assert_num_queries
):
    from kizuna.catalog.services import topic_tags_ensure

    quiz = make_quiz(cast, list(questions.values()))
    client.force_login(cast.author)
    for n in range(20):
        question = services.question_create(
            bank=bank,
            type="truefalse",
            text=f"追加 {n}",
            data={"answer": True},
            topics=topic_tags_ensure(names=["価格"]),
        )
        if n < 10:
            services.quiz_question_add(quiz=quiz, question=question)
    # session, user, bank, its topics (filter), its categories (filter), questions, their topics, count (pager),
    # products, running imports
    with django_assert_num_queries(10):
        client.get(reverse("assessments:studio_bank", args=[bank.pk]))
    # session, user, quiz (+ items prefetch), items with questions (+ topics), problems ×2, figures per version,
    # versions, banks, tags, the glossary's unexplained jargon (with the problems, ×2)
    with django_assert_num_queries(14):
        client.get(reverse("assessments:studio_quiz", args=[quiz.pk]))
