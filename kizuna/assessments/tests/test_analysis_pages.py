"""Analysis pages: item analysis and weak topics across partners for the principal's staff; each manager's own
reps' results, weak topics and retention. Fixed query counts, and partner B never sees partner A."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person

from .conftest import make_quiz, quiz_lesson
from .test_analysis import take


@pytest.fixture
def world(cast, questions):
    single, tf = questions["single"], questions["truefalse"]
    quiz = make_quiz(cast, [single, tf], pass_mark=100)
    lesson_a = quiz_lesson(cast, quiz)
    lesson_b = quiz_lesson(cast, quiz, slug="for-b", partner=cast.partner_b)
    at = timezone.now() - timedelta(days=2)
    take(cast.rep_a1, lesson_a, [(single, {"choice": "1"}), (tf, {"choice": "true"})], at=at)
    take(cast.rep_a2, lesson_a, [(single, {"choice": "2"}), (tf, {"choice": "false"})], at=at)
    take(cast.rep_b1, lesson_b, [(single, {"choice": "3"}), (tf, {"choice": "true"})], at=at)
    return {"quiz": quiz, "single": single, "tf": tf, "lesson_a": lesson_a, "lesson_b": lesson_b, "at": at}


def more_answers(cast, world, n, start=0):
    """n more reps of partner A take the quiz (for query counts that must not grow)."""
    for i in range(start, start + n):
        rep = make_person(f"extra{i}@partner-a.example", f"追加 {i}", cast.partner_a, "rep", cast.team_a2)
        take(
            rep,
            world["lesson_a"],
            [(world["single"], {"choice": "2"}), (world["tf"], {"choice": "true"})],
            at=world["at"],
        )


def test_item_analysis_shows_difficulty_options_and_partners_to_the_principal(cast, world, client):
    client.force_login(cast.author)
    page = client.get(reverse("assessments:quiz_analysis", args=[world["quiz"].pk])).content.decode()
    assert "料金体系" in page  # the question's short name
    assert "33%" in page  # one of three right
    assert "パートナーA株式会社" in page and "パートナーB株式会社" in page  # the breakdown per partner
    assert re.search(r"買い切り</th><td class=\"num\">1</td>", page)  # how often a wrong option was chosen
    only_b = client.get(reverse("assessments:quiz_analysis", args=[world["quiz"].pk]), {"partner": cast.partner_b.pk})
    assert "パートナー企業ごと" not in only_b.content.decode()
    assert (
        client.get(reverse("assessments:quiz_analysis", args=[world["quiz"].pk]), {"version": "9"}).status_code == 404
    )


def test_the_item_analysis_page_does_not_grow_with_answers_or_partners(cast, world, client, django_assert_num_queries):
    client.force_login(cast.admin)
    url = reverse("assessments:quiz_analysis", args=[world["quiz"].pk])
    client.get(url)
    # session, user, quiz (+ items), figures per version, versions, the version shown, the versions' questions,
    # the questions, their statistics, partners (filter), statistics per partner, partners (breakdown)
    with django_assert_num_queries(13):
        client.get(url)
    more_answers(cast, world, 5)
    from kizuna.orgs.models import Organization

    Organization.objects.create(name="パートナーC", slug="partner-c", kind="partner")
    with django_assert_num_queries(13):
        client.get(url)


def test_weak_topics_across_partners_for_the_principal(cast, world, client, django_assert_num_queries):
    client.force_login(cast.coach)
    client.get(reverse("assessments:topic_analysis"))
    with django_assert_num_queries(5):  # session, user, topic weeks, partners, tags
        page = client.get(reverse("assessments:topic_analysis")).content.decode()
    assert "価格" in page and "製品知識" in page and "パートナーB株式会社" in page


def test_a_manager_sees_their_own_reps_results_weak_topics_and_retention(cast, world, client):
    client.force_login(cast.manager_a)
    page = client.get(reverse("assessments:quiz_results")).content.decode()
    assert "営業 一子" in page and "営業 二郎" in page and "営業 B一" not in page
    assert "パートナーB株式会社" not in page
    assert "トピック別の定着度" in page and "苦手なトピック" in page
    # Asking for partner B changes nothing: a manager sees their own agency only.
    other = client.get(reverse("assessments:quiz_results"), {"partner": cast.partner_b.pk}).content.decode()
    assert "営業 B一" not in other
    rep_page = client.get(reverse("assessments:rep_quizzes", args=[cast.rep_a1.pk])).content.decode()
    assert "1回目" in rep_page and "100%" in rep_page


def test_the_admin_chooses_which_partners_results_to_see(cast, world, client):
    client.force_login(cast.admin)
    page = client.get(reverse("assessments:quiz_results"), {"partner": cast.partner_b.pk}).content.decode()
    assert "営業 B一" in page and "営業 一子" not in page


def test_the_managers_page_does_not_grow_with_reps_or_attempts(cast, world, client, django_assert_num_queries):
    more_answers(cast, world, 2)  # enough answers for weak topics to show
    client.force_login(cast.manager_a)
    url = reverse("assessments:quiz_results")
    client.get(url)
    with django_assert_num_queries(18) as counted:
        client.get(url)
    more_answers(cast, world, 6, start=2)
    with django_assert_num_queries(len(counted.captured_queries)):
        client.get(url)


@pytest.mark.parametrize(
    ("who", "analysis", "results", "rep_page"),
    [
        ("manager_a", 404, 200, 200),
        ("manager_b", 404, 200, 404),
        ("rep_a1", 404, 404, 404),
        ("rep_b1", 404, 404, 404),
        ("author", 200, 404, 404),
        ("coach", 200, 200, 200),
    ],
)
def test_who_reaches_which_analysis(cast, world, client, who, analysis, results, rep_page):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("assessments:quiz_analysis", args=[world["quiz"].pk])).status_code == analysis
    assert client.get(reverse("assessments:quiz_analysis_list")).status_code == analysis
    assert client.get(reverse("assessments:topic_analysis")).status_code == analysis
    assert client.get(reverse("assessments:quiz_results")).status_code == results
    assert client.get(reverse("assessments:rep_quizzes", args=[cast.rep_a1.pk])).status_code == rep_page


def test_partner_b_manager_sees_only_partner_b(cast, world, client):
    client.force_login(cast.manager_b)
    page = client.get(reverse("assessments:quiz_results")).content.decode()
    assert "営業 B一" in page and "営業 一子" not in page and "営業 二郎" not in page


def test_item_analysis_draws_each_questions_difficulty_and_discrimination_beside_the_figures(cast, world, client):
    client.force_login(cast.author)
    page = client.get(reverse("assessments:quiz_analysis", args=[world["quiz"].pk])).content.decode()
    assert 'role="img" aria-label="問題ごとの正答率(難易度)"' in page
    assert 'role="img" aria-label="問題ごとの識別力"' in page
    difficulty = page[page.index('aria-label="問題ごとの正答率(難易度)"') :].split("</svg>", 1)[0]
    assert "料金体系: 33%</title>" in difficulty  # one of three right, under the question's short name
    assert difficulty.count('stroke-dasharray="4 3"') == 2  # the too-hard and too-easy lines
