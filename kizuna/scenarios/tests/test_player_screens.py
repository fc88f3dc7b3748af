"""The player's screens: one moment at a time with progress, the commentary then 「次へ」, the end, replay, history,
and a coach's play that becomes the top rep's choices."""

import re
import uuid

from django.urls import reverse

from kizuna.scenarios import services
from kizuna.scenarios.models import Attempt, Choice

from .helpers import APOLOGY_PATH, REFERENCE_PATH, play


def start(client, lesson):
    client.post(
        reverse("scenarios:scenario_play", args=[lesson.content_id]),
        {"statement_id": str(uuid.uuid4()), "lesson": lesson.pk},
    )
    return Attempt.objects.filter(lesson_id=lesson.pk).order_by("-started_at", "-id").first()


def test_the_commentary_comes_alone_with_next_and_the_moment_shows_progress(cast, signed_in, scenario_lesson):
    client = signed_in(cast.rep_a1)
    attempt = start(client, scenario_lesson)
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    assert re.search(r'<progress class="rate" max="(\d+)" value="0"', page)
    assert "場面1" in page
    client.post(
        reverse("scenarios:scenario_choose", args=[attempt.pk]),
        {"node": "opening", "choice": "ask-details", "statement_id": str(uuid.uuid4())},
    )
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk]) + "?after=0").content.decode()
    assert 'id="commentary"' in page and "scenario-choice" not in page
    assert f'id="next" href="{reverse("scenarios:scenario_attempt", args=[attempt.pk])}"' in page
    assert re.search(r'<progress class="rate" max="(\d+)" value="1"', page)
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    assert "scenario-choice" in page and 'id="commentary"' not in page


def test_the_end_pairs_each_step_with_the_top_reps_and_shows_values(cast, signed_in, scenario_lesson):
    from kizuna.catalog.selectors import access_lesson_for_user

    attempt = play(
        cast.rep_a1,
        scenario_lesson_version(scenario_lesson),
        APOLOGY_PATH,
        lesson=access_lesson_for_user(cast.rep_a1, scenario_lesson.pk),
    )
    page = signed_in(cast.rep_a1).get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    steps = re.findall(r'<li class="scenario-step (is-\w+)', page)
    assert len(steps) == max(len(APOLOGY_PATH), len(REFERENCE_PATH))
    assert steps[0] == "is-differs"
    assert 'id="value-profile"' in page and "顧客第一" in page
    assert 'id="replay"' in page and f'name="lesson" value="{scenario_lesson.pk}"' in page
    assert 'id="mark-reference"' not in page  # reps never see the editor's button


def scenario_lesson_version(lesson):
    from kizuna.scenarios.models import ScenarioVersion

    return ScenarioVersion.objects.get(pk=lesson.content_id)


def test_replay_starts_a_new_attempt_and_the_history_lists_both(cast, signed_in, scenario_lesson):
    client = signed_in(cast.rep_a1)
    first = start(client, scenario_lesson)
    response = client.post(
        reverse("scenarios:scenario_play", args=[scenario_lesson.content_id]),
        {"statement_id": str(uuid.uuid4()), "lesson": scenario_lesson.pk},
    )
    second = Attempt.objects.exclude(pk=first.pk).get(rep=cast.rep_a1)
    assert response["Location"] == reverse("scenarios:scenario_attempt", args=[second.pk])
    page = client.get(
        reverse("scenarios:scenario_play", args=[scenario_lesson.content_id]) + f"?lesson={scenario_lesson.pk}"
    ).content.decode()
    assert page.count('class="cardlink" href="/play/attempts/') == 2


def test_a_coach_plays_the_version_and_makes_it_the_top_reps_choices(cast, signed_in, complaint_version):
    client = signed_in(cast.coach)
    attempt = play(cast.coach, complaint_version, APOLOGY_PATH)
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    assert 'id="mark-reference"' in page
    response = client.post(
        reverse("scenarios:studio_scenario_reference", args=[complaint_version.scenario_id]), {"attempt": attempt.pk}
    )
    assert response.status_code == 302
    opening = Choice.objects.get(node__scenario=complaint_version.scenario, node__key="opening", is_reference=True)
    assert opening.key == "apologize-first"
    page = client.get(reverse("scenarios:studio_scenario", args=[complaint_version.scenario_id])).content.decode()
    assert f'value="{attempt.pk}"' in page  # the editor lists the coach's own plays


def test_nobody_marks_the_top_reps_choices_from_someone_elses_attempt(cast, signed_in, scenario_lesson, complaint):
    from kizuna.catalog.selectors import access_lesson_for_user

    attempt = play(
        cast.rep_a1,
        scenario_lesson_version(scenario_lesson),
        APOLOGY_PATH,
        lesson=access_lesson_for_user(cast.rep_a1, scenario_lesson.pk),
    )
    before = list(Choice.objects.filter(is_reference=True).values_list("pk", flat=True))
    response = signed_in(cast.coach).post(
        reverse("scenarios:studio_scenario_reference", args=[complaint.pk]), {"attempt": attempt.pk}
    )
    assert response.status_code == 404
    assert list(Choice.objects.filter(is_reference=True).values_list("pk", flat=True)) == before
    services.scenario_problems(complaint)  # the draft is untouched and still valid


def test_a_negative_score_is_shown_from_zero_with_what_the_scale_means(cast, signed_in, scenario_lesson):
    from kizuna.catalog.selectors import access_lesson_for_user

    attempt = play(
        cast.rep_a1,
        scenario_lesson_version(scenario_lesson),
        APOLOGY_PATH,
        lesson=access_lesson_for_user(cast.rep_a1, scenario_lesson.pk),
    )
    # Weak choices: −3 on a path whose choices ranged from −6 (all weakest) to 5 (all best).
    Attempt.objects.filter(pk=attempt.pk).update(score_raw=-3, score_min=-6, score_max=5)
    client = signed_in(cast.rep_a1)
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    assert re.search(r'id="score">3 / 11<', page) and "-3 / 5" not in page
    assert "0はどの場面でも最も弱い選択、11は最善です。" in page
    history = client.get(
        reverse("scenarios:scenario_play", args=[scenario_lesson.content_id]) + f"?lesson={scenario_lesson.pk}"
    ).content.decode()
    assert "3 / 11" in history and "-3 / 5" not in history
