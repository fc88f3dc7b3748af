"""The minimal player: start from the lesson, choose, read the commentary, finish and compare; refusals are 404."""

import uuid

import pytest
from django.urls import reverse

from kizuna.records.models import LessonProgress
from kizuna.scenarios.models import Attempt


@pytest.fixture
def version_id(scenario_lesson):
    return scenario_lesson.content_id


def choose(client, attempt, node, choice, statement_id=None):
    return client.post(
        reverse("scenarios:scenario_choose", args=[attempt.pk]),
        {"node": node, "choice": choice, "statement_id": str(statement_id or uuid.uuid4())},
    )


def test_the_lesson_page_shows_the_start_card(cast, scenario_lesson, signed_in):
    page = signed_in(cast.rep_a1).get(reverse("learning:lesson", args=[scenario_lesson.pk])).content.decode()
    assert "クレーム対応 ― 最初のひとことで決まる" in page
    assert f"/play/scenarios/{scenario_lesson.content_id}/?lesson={scenario_lesson.pk}" in page


def test_a_rep_plays_to_an_end_and_sees_the_comparison(cast, scenario_lesson, version_id, signed_in):
    client = signed_in(cast.rep_a1)
    url = reverse("scenarios:scenario_play", args=[version_id]) + f"?lesson={scenario_lesson.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"statement_id": str(uuid.uuid4()), "lesson": scenario_lesson.pk})
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    assert response["Location"] == reverse("scenarios:scenario_attempt", args=[attempt.pk])
    page = client.get(response["Location"]).content.decode()
    assert "「申し訳ございません。すぐに確認いたします。」" in page and "詳しくお聞かせいただけますか" in page

    sid = uuid.uuid4()
    response = choose(client, attempt, "opening", "apologize-first", sid)
    assert response["Location"].endswith("?after=0")
    page = client.get(response["Location"]).content.decode()
    assert "謝ること自体は悪くありません" in page  # the coach's commentary on this choice
    choose(client, attempt, "opening", "apologize-first", sid)  # a double tap
    attempt.refresh_from_db()
    assert attempt.path == [["opening", "apologize-first"]]

    for node, choice in [("vague-apology", "ask-now"), ("details", "guide-setting"), ("fixed", "close-call")]:
        choose(client, attempt, node, choice)
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    assert 'id="paths"' in page and page.count("scenario-step is-differs") == 2
    assert "翌月、佐藤様から解約のご連絡がありました。" in page
    assert "自分ならこう考えます。怒っているお客様" in page  # the top rep's commentary where they differed
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=scenario_lesson).completed_at is not None


def test_a_choice_for_a_moment_already_passed_is_refused_with_a_message(cast, scenario_lesson, version_id, signed_in):
    client = signed_in(cast.rep_a1)
    url = reverse("scenarios:scenario_play", args=[version_id]) + f"?lesson={scenario_lesson.pk}"
    client.post(url, {"statement_id": str(uuid.uuid4()), "lesson": scenario_lesson.pk})
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    choose(client, attempt, "opening", "ask-details")
    response = choose(client, attempt, "opening", "blame-other")
    page = client.get(response["Location"]).content.decode()
    assert "message error" in page
    attempt.refresh_from_db()
    assert attempt.path == [["opening", "ask-details"]]


def test_partner_b_and_other_reps_get_404(cast, scenario_lesson, version_id, signed_in, client):
    client.force_login(cast.rep_a1)
    client.post(
        reverse("scenarios:scenario_play", args=[version_id]) + f"?lesson={scenario_lesson.pk}",
        {"statement_id": str(uuid.uuid4()), "lesson": scenario_lesson.pk},
    )
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    for outsider in (cast.rep_b1, cast.manager_b, cast.rep_a2):
        client.force_login(outsider)
        assert client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).status_code == 404
        assert choose(client, attempt, "opening", "ask-details").status_code == 404
    for outsider in (cast.rep_b1, cast.manager_b):
        client.force_login(outsider)
        play = reverse("scenarios:scenario_play", args=[version_id]) + f"?lesson={scenario_lesson.pk}"
        assert client.get(play).status_code == 404
    client.force_login(cast.rep_a1)
    assert (
        client.get(reverse("scenarios:scenario_play", args=[version_id])).status_code == 404
    )  # only through the lesson
    client.force_login(cast.coach)
    assert client.get(reverse("scenarios:scenario_play", args=[version_id])).status_code == 200
