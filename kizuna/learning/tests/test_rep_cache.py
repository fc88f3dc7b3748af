"""What the rep's pages keep (ops.repcache) is renewed by every change that shows on them; revisits answer 304."""

import gzip
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.gamification.services import kudos_send
from kizuna.ops import repcache
from kizuna.records import services

from .test_rep_pages import login, make_course


def test_the_home_shows_a_completed_lesson_at_once(cast, client, article_course):
    login(client, cast.rep_a1)
    first, second = article_course.latest_version.lessons.all()
    assert client.get("/").context["next_up"].urgent[0].next_lesson.pk == first.pk
    services.lesson_complete(rep=cast.rep_a1, lesson=first)
    assert client.get("/").context["next_up"].urgent[0].next_lesson.pk == second.pk


def test_a_new_assignment_and_a_published_course_reach_the_kept_home(cast, client, article_course):
    login(client, cast.rep_a1)
    assert "新しいコース" not in client.get("/").content.decode()
    make_course(cast, "fresh", "新しいコース")
    assert "新しいコース" in client.get("/").content.decode()


def test_kudos_reach_the_kept_points_strip(cast, client):
    login(client, cast.rep_a1)
    assert "ありがとう、助かりました" not in client.get("/").content.decode()
    kudos_send(sender=cast.coach, rep=cast.rep_a1, message="ありがとう、助かりました")
    assert "ありがとう、助かりました" in client.get("/").content.decode()


def test_one_reps_change_leaves_another_reps_kept_home_alone(cast, client, article_course):
    other = repcache._state(cast.rep_a2)
    repcache.rep_changed(cast.rep_a1.pk)
    cast.rep_a2.__dict__.pop("_kizuna_rep_state", None)
    assert repcache._state(cast.rep_a2) == other
    cast.rep_a1.__dict__.pop("_kizuna_rep_state", None)
    before = repcache._state(cast.rep_a1)
    repcache.content_changed()
    cast.rep_a1.__dict__.pop("_kizuna_rep_state", None)
    assert repcache._state(cast.rep_a1)[1] != before[1]


def test_a_kept_value_is_recomputed_once_its_time_has_come(cast, db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def fresh_user():
        cast.rep_a1.__dict__.pop("_kizuna_rep_state", None)
        cast.rep_a1.__dict__.pop("_kizuna_rep_read_ahead", None)
        return cast.rep_a1

    soon = timezone.now() + timedelta(seconds=60)
    assert repcache.kept(fresh_user(), {"n": compute}, turns=lambda _v: soon)["n"] == 1
    assert repcache.kept(fresh_user(), {"n": compute}, turns=lambda _v: soon)["n"] == 1
    past = timezone.now() - timedelta(seconds=1)
    assert repcache.kept(fresh_user(), {"m": compute}, turns=lambda _v: past)["m"] == 2
    assert repcache.kept(fresh_user(), {"m": compute}, turns=lambda _v: past)["m"] == 3


@pytest.mark.parametrize("page", ["home", "lesson", "course", "review", "rankings", "community"])
def test_a_revisit_with_nothing_changed_answers_304_and_a_change_answers_the_new_page(
    cast, client, article_course, page
):
    first = article_course.latest_version.lessons.first()
    path = {
        "home": "/",
        "lesson": reverse("learning:lesson", args=[first.pk]),
        "course": reverse("learning:course", args=[article_course.pk]),
        "review": reverse("assessments:review"),
        "rankings": reverse("gamification:rankings"),
        "community": reverse("community:community"),
    }[page]
    login(client, cast.rep_a1)
    client.get(path)  # the first visit ever makes the sharing settings' row, a shared change
    response = client.get(path)
    assert response.status_code == 200
    etag = response["ETag"]
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    # Another person never gets this page's ETag.
    login(client, cast.rep_a2)
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 200
    login(client, cast.rep_a1)
    services.lesson_complete(rep=cast.rep_a1, lesson=first)
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again["ETag"] != etag


def test_a_page_with_a_message_waiting_is_never_answered_304(cast, client, article_course):
    first = article_course.latest_version.lessons.first()
    login(client, cast.rep_a1)
    etag = client.get("/").get("ETag")
    # Completing an article redirects with "Lesson complete." waiting to be shown.
    client.post(reverse("learning:lesson_complete", args=[first.pk]))
    response = client.get(reverse("learning:lesson", args=[first.pk]))
    assert response.status_code == 200 and not response.has_header("ETag")
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 200


def test_pages_are_compressed_for_phones_but_downloads_and_the_api_are_not(cast, client, article_course):
    login(client, cast.rep_a1)
    page = client.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert page["Content-Encoding"] == "gzip"
    assert article_course.title in gzip.decompress(page.content).decode()
    client.force_login(cast.manager_a)
    csv = client.get(reverse("analytics:partner_dashboard_csv"), headers={"Accept-Encoding": "gzip"})
    assert csv.status_code == 200
    assert not csv.has_header("Content-Encoding")
    api = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert api.status_code == 200 and not api.has_header("Content-Encoding")


def test_the_lesson_body_is_kept_by_version_and_a_new_version_shows_its_new_body(cast, client, article_course):
    from django.core.cache import caches
    from django.core.cache.utils import make_template_fragment_key

    from kizuna.catalog import services as catalog

    v1_lesson = article_course.latest_version.lessons.first()
    page = reverse("learning:lesson", args=[v1_lesson.pk])
    a2 = login(client, cast.rep_a2)
    assert "お客様第一" in a2.get(page).content.decode()
    version = v1_lesson.version
    key = make_template_fragment_key("lesson_body", [v1_lesson.pk, version.pk, version.published_at])
    assert "お客様第一" in caches["template_fragments"].get(key)  # rendered once for this published version
    assert "お客様第一" in a2.get(page).content.decode()

    # The rep's own parts are not kept with it: rep_a1 finished the lesson, rep_a2 did not.
    services.lesson_complete(rep=cast.rep_a1, lesson=v1_lesson)
    a1_html = login(Client(), cast.rep_a1).get(page).content.decode()
    a2_html = a2.get(page).content.decode()
    assert "お客様第一" in a1_html and 'class="badge done"' in a1_html and "lesson_complete" not in a1_html
    assert 'class="badge done"' not in a2_html and reverse("learning:lesson_complete", args=[v1_lesson.pk]) in a2_html
    # Access is still checked on each request: another partner's rep is refused the kept lesson.
    assert login(Client(), cast.rep_b1).get(page).status_code == 404

    # A new published version: its lessons show the new body; the old version's page stays as it was published.
    draft = article_course.modules.first().lessons.first()
    catalog.lesson_update(lesson=draft, title="改訂版", body="新しい本文")
    catalog.course_publish(course=article_course, publisher=cast.author)
    article_course.refresh_from_db()
    v2_lesson = article_course.latest_version.lessons.first()
    v2_html = a2.get(reverse("learning:lesson", args=[v2_lesson.pk])).content.decode()
    assert "新しい本文" in v2_html and "改訂版" in v2_html and "お客様第一" not in v2_html
    assert "お客様第一" in a2.get(page).content.decode()


def test_the_kept_page_frame_follows_the_page_and_the_unread_count(cast, client):
    from kizuna.accounts.services import unread_notifications_set

    rep = login(client, cast.rep_a1)
    home = rep.get("/").content.decode()
    review = rep.get(reverse("assessments:review")).content.decode()
    assert f'href="{reverse("learning:home")}" class="active"' in home
    assert f'href="{reverse("assessments:review")}" class="active"' in review
    assert f'href="{reverse("learning:home")}" class="active"' not in review
    assert 'class="bell-count"' not in home
    unread_notifications_set(user=cast.rep_a1, count=3)
    assert '<span class="bell-count">3</span>' in rep.get("/").content.decode()
    # Another role's frame is its own: the manager's top bar has no rep tab bar.
    manager = login(Client(), cast.manager_a).get(reverse("analytics:partner_dashboard")).content.decode()
    assert 'class="tabbar"' not in manager
