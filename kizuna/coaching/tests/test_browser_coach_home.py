"""In a real browser on a phone (375×667, Japanese): a coach signs in and lands on their own work, the reviews due
to them and the new field voice, not on the principal's comparison of agencies."""

import uuid

import pytest

from kizuna.feedback.services import field_voice_record
from kizuna.tests.browser_support import sign_in

from .helpers import hand_in, roleplay_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coach_signs_in_and_lands_on_the_reviews_and_field_voice(cast, live_server, phone):
    take = hand_in(cast.rep_a1, roleplay_for(cast))
    field_voice_record(rep=cast.rep_b1, kind="objection", text="価格が高いと言われました。", submission_id=uuid.uuid4())
    page, base = phone, live_server.url
    sign_in(page, base, cast.coach.email)
    assert page.url == f"{base}/coach/"
    assert page.get_by_role("heading", name="レビューと現場の声").is_visible()
    assert page.locator(f"a.cardlink[href='/roleplay/takes/{take.pk}/']").is_visible()  # the review due
    assert page.get_by_text("価格が高いと言われました。").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
