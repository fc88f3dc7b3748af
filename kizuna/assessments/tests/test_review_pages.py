"""Today's 3-minute review on the rep's phone: one question at a time, the answer reschedules it (FSRS), a done
state; the home card's numbers in one query; retention per topic for the rep."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from fsrs import Card, Rating, State

from kizuna.assessments import selectors, spacing
from kizuna.assessments.models import ReviewCard
from kizuna.records.models import Statement

from .conftest import make_quiz, quiz_lesson
from .test_review import take_quiz


@pytest.fixture
def due(cast, questions):
    """rep_a1 took a three-question quiz ten days ago: every question is due for review today."""
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"], questions["short"]], pass_mark=50)
    lesson = quiz_lesson(cast, quiz)
    take_quiz(
        cast,
        lesson,
        cast.rep_a1,
        [(questions["single"], {"choice": "1"}), (questions["truefalse"], {"choice": "false"})],
        at=timezone.now() - timedelta(days=10),
    )
    assert selectors.review_due_count(cast.rep_a1) == 3
    return questions


def review_statements():
    return Statement.objects.filter(verb__endswith="/answered", lesson__isnull=True).count()


def test_the_review_shows_a_due_question_and_answering_moves_its_schedule(cast, due, client):
    client.force_login(cast.rep_a1)
    page = client.get(reverse("assessments:review")).content.decode()
    assert "今日の3分復習" in page and "今日はあと3問" in page
    question_id = int(re.search(r'action="/review/questions/(\d+)/"', page).group(1))
    card = ReviewCard.objects.get(rep=cast.rep_a1, question_id=question_id)
    before = Card(
        card_id=1,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=spacing.utc(card.due),
        last_review=spacing.utc(card.last_review),
    )
    sid = re.search(r'name="sid" value="([^"]+)"', page).group(1)
    shown = re.search(r'name="shown" value="(\d+)"', page).group(1)
    right = {
        due["single"].pk: {"answer": "1"},
        due["truefalse"].pk: {"answer": "true"},
        due["short"].pk: {"answer": "オートクローズ"},
    }[question_id]
    response = client.post(
        reverse("assessments:review_question", args=[question_id]), {"sid": sid, "shown": shown, **right}
    )
    result = response.content.decode()
    assert response.status_code == 200 and "正解" in result and "今日はあと" not in result
    assert "次へ(あと2問)" in result
    card.refresh_from_db()
    assert card.reviews == 2
    assert card.due > timezone.now() + timedelta(days=1)  # no longer due today
    # The rating was Easy (answered within seconds): the due date is the library's.
    expected, _log = spacing.SCHEDULER.review_card(before, Rating.Easy, review_datetime=spacing.utc(card.last_review))
    assert spacing.utc(card.due) == expected.due
    assert selectors.review_due_count(cast.rep_a1) == 2
    # A double tap (the same form again) records nothing more.
    client.post(reverse("assessments:review_question", args=[question_id]), {"sid": sid, "shown": shown, **right})
    assert review_statements() == 1
    card.refresh_from_db()
    assert card.reviews == 2


def test_an_empty_answer_says_what_to_do_and_records_nothing(cast, due, client):
    client.force_login(cast.rep_a1)
    response = client.post(reverse("assessments:review_question", args=[due["single"].pk]), {"sid": "x", "shown": "0"})
    assert response.status_code == 400
    assert "先に問題に答えてください" in response.content.decode()
    assert review_statements() == 0


def test_when_everything_is_reviewed_the_page_says_done_and_when_the_next_comes(cast, due, client):
    client.force_login(cast.rep_a1)
    for question, answer in ((due["single"], "1"), (due["truefalse"], "true"), (due["short"], "オートクローズ")):
        client.post(
            reverse("assessments:review_question", args=[question.pk]), {"answer": answer, "sid": "", "shown": "0"}
        )
    assert review_statements() == 3
    page = client.get(reverse("assessments:review")).content.decode()
    assert "今日の復習はすべて終わりました" in page and "に出題されます" in page


def test_a_rep_without_questions_is_told_what_the_review_is(cast, client):
    client.force_login(cast.rep_a1)
    page = client.get(reverse("assessments:review")).content.decode()
    assert "まだ復習する問題はありません" in page


def test_the_home_cards_numbers_take_one_query(cast, due, django_assert_num_queries):
    with django_assert_num_queries(1):
        home = selectors.home_review(cast.rep_a1)
    assert (home.due, home.total, home.today) == (3, 3, 3)
    assert selectors.home_review(cast.rep_a2).total == 0


def test_the_home_fragment_links_to_the_review_says_done_or_stays_silent(cast, due):
    request = RequestFactory().get("/")
    html = render_to_string(
        "assessments/_home_review.html", {"home_review": selectors.home_review(cast.rep_a1)}, request=request
    )
    assert 'href="/review/"' in html and "3問を復習しましょう" in html
    done = render_to_string(
        "assessments/_home_review.html", {"home_review": selectors.HomeReview(due=0, total=5)}, request=request
    )
    assert "今日の復習は完了しました" in done
    nothing = render_to_string(
        "assessments/_home_review.html", {"home_review": selectors.HomeReview(due=0, total=0)}, request=request
    )
    assert nothing.strip() == ""


def test_the_review_page_runs_a_fixed_number_of_queries(cast, due, client, django_assert_num_queries):
    client.force_login(cast.rep_a1)
    client.get(reverse("assessments:review"))
    # session, user (with membership), state tokens, the question's topics (the due card and the count are kept
    # until the rep answers, ops.repcache)
    with django_assert_num_queries(4):
        client.get(reverse("assessments:review"))


def test_the_rep_sees_their_retention_per_topic(cast, due, client):
    client.force_login(cast.rep_a1)
    page = client.get(reverse("assessments:review_retention")).content.decode()
    assert "トピック別の定着度" in page and "価格" in page and "製品知識" in page
    assert re.search(r'<progress class="rate" max="100" value="\d+"', page)


@pytest.mark.parametrize("who", ["rep_a2", "rep_b1", "manager_a", "admin"])
def test_nobody_else_answers_a_reps_review(cast, due, client, who):
    client.force_login(getattr(cast, who))
    url = reverse("assessments:review_question", args=[due["single"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "1"}).status_code == 404
    assert review_statements() == 0
    if who in ("manager_a", "admin"):
        assert client.get(reverse("assessments:review")).status_code == 404
        assert client.get(reverse("assessments:review_retention")).status_code == 404


def test_the_retention_page_runs_a_fixed_number_of_queries(cast, due, questions, client, django_assert_num_queries):
    quiz = make_quiz(cast, [questions["single"], questions["numerical"], questions["matching"]], pass_mark=50)
    lesson = quiz_lesson(cast, quiz, slug="more")
    answers = [(questions["single"], {"choice": "2"}), (questions["numerical"], {"text": "300"})]
    take_quiz(cast, lesson, cast.rep_a1, answers, at=timezone.now() - timedelta(days=1))
    client.force_login(cast.rep_a1)
    client.get(reverse("assessments:review_retention"))
    # session, user, retention (the rep, cards by topic, tags), weak topics (the rep, topic weeks, tags), home card
    with django_assert_num_queries(9):
        client.get(reverse("assessments:review_retention"))
    take_quiz(cast, lesson, cast.rep_a1, answers, at=timezone.now())
    with django_assert_num_queries(9):
        client.get(reverse("assessments:review_retention"))
