"""The guided start per role: offered on the role's start page until taken or skipped, short, in both
languages, re-opened from the help."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.orgs.menu import START_PAGES
from kizuna.support.first_run import DONE_COOKIE, STEPS
from kizuna.support.models import GuidedStart

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_role_has_a_short_guided_start_in_both_languages():
    for role in START_PAGES:
        steps = STEPS[role]
        assert 3 <= len(steps) <= 5, role
        for step in steps:
            assert step.title_ja and step.body_ja and step.title_en and step.body_en
            reverse(step.url_name)


def test_the_start_page_offers_the_guided_start_until_it_is_skipped(cast):
    client = _client(cast.rep_a1)
    assert 'id="first-run-offer"' in client.get(reverse("learning:home")).content.decode()
    assert 'id="first-run-offer"' not in client.get(reverse("learning:library")).content.decode()
    response = client.post(reverse("support:first_run_done"), {"skipped": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("learning:home")
    assert response.cookies[DONE_COOKIE].value == "1"
    assert 'id="first-run-offer"' not in client.get(reverse("learning:home")).content.decode()
    assert GuidedStart.objects.get(user=cast.rep_a1).skipped


def test_it_is_offered_once_per_person_not_once_per_browser(cast):
    phone = _client(cast.manager_a)
    start = reverse(START_PAGES["manager"])
    assert 'id="first-run-offer"' in phone.get(start).content.decode()
    phone.post(reverse("support:first_run_done"), {"skipped": "0"})

    other_browser = _client(cast.manager_a)  # signs in afresh: no cookie from the phone
    assert DONE_COOKIE not in other_browser.cookies
    assert 'id="first-run-offer"' not in other_browser.get(start).content.decode()
    newcomer = _client(cast.manager_b)
    assert 'id="first-run-offer"' in newcomer.get(start).content.decode()


def test_each_role_walks_its_own_steps_to_the_end(cast):
    for user in (cast.rep_a1, cast.manager_a, cast.author, cast.admin, cast.coach):
        role = user.membership.role
        client = _client(user)
        assert 'id="first-run-offer"' in client.get(reverse(START_PAGES[role])).content.decode(), role
        total = len(STEPS[role])
        for number in range(1, total + 1):
            page = client.get(reverse("support:first_run"), {"step": number})
            assert STEPS[role][number - 1].title_ja in page.content.decode()
        assert 'id="first-run-finish"' in page.content.decode()
        response = client.post(reverse("support:first_run_done"), {"skipped": "0"})
        assert response["Location"] == reverse(START_PAGES[role])
        assert not GuidedStart.objects.get(user=user).skipped


@pytest.mark.parametrize("step", ["0", "99", "x", "-3"])
def test_a_wrong_step_number_shows_a_real_step(cast, step):
    response = _client(cast.manager_a).get(reverse("support:first_run"), {"step": step})
    assert response.status_code == 200


def test_the_guided_start_is_in_english_for_english_readers(cast):
    client = _client(cast.manager_a)
    page = client.get(reverse("support:first_run"), HTTP_ACCEPT_LANGUAGE="en")
    assert "First, accept the agreement" in page.content.decode()


def test_the_help_reopens_the_guided_start(cast):
    client = _client(cast.rep_a1)
    client.post(reverse("support:first_run_done"), {"skipped": "1"})
    assert reverse("support:first_run") in client.get(reverse("support:help")).content.decode()
    assert client.get(reverse("support:first_run")).status_code == 200
