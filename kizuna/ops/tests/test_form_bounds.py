"""Integers typed into the HTML forms past their range are form errors in the person's language, never a 500."""

from django.urls import reverse
from django.utils import translation

from kizuna.certification.forms import CertificationForm
from kizuna.coaching.forms import CommentForm, RoleplayForm
from kizuna.gamification.forms import LevelForm
from kizuna.live.forms import SessionForm

HUGE = str(2**63)


def _error(form, field):
    assert not form.is_valid()
    return form.errors[field][0]


def test_a_certifications_validity_of_two_to_the_63_days_is_a_form_error(cast):
    form = CertificationForm(data={"name": "x", "validity_days": HUGE, "reminder_days": "30"}, user=cast.admin)
    assert "validity_days" in form.errors


def test_a_reminder_of_more_than_a_year_is_a_form_error_in_japanese(cast):
    with translation.override("ja"):
        form = CertificationForm(data={"name": "x", "reminder_days": "367"}, user=cast.admin)
        message = _error(form, "reminder_days")
    assert "366" in message and "以下" in message


def test_a_comment_at_two_to_the_63_seconds_is_a_form_error():
    assert "at_second" in CommentForm(data={"body": "x", "at_second": HUGE}).errors


def test_a_comment_reply_to_an_id_past_a_bigint_is_a_form_error():
    assert "parent" in CommentForm(data={"body": "x", "parent": HUGE}).errors


def test_a_level_of_two_to_the_63_points_is_a_form_error():
    assert "threshold" in LevelForm(data={"threshold": HUGE}).errors


def test_a_session_capacity_of_two_to_the_63_is_a_form_error(db):
    assert "capacity" in SessionForm(data={"capacity": HUGE}).errors


def test_a_roleplay_pass_threshold_over_100_is_a_form_error(db):
    assert "pass_threshold" in RoleplayForm(data={"pass_threshold": "101"}).errors


def test_a_roleplay_review_days_past_a_small_integer_is_a_form_error_on_any_database(db):
    # SQLite would store 40,000 in a PositiveSmallIntegerField; PostgreSQL would refuse it with a DataError.
    assert "review_days" in RoleplayForm(data={"review_days": "40000"}).errors


def test_the_community_list_takes_a_page_of_two_to_the_63(cast, signed_in):
    response = signed_in(cast.rep_a1).get(reverse("community:community"), {"page": HUGE})
    assert response.status_code == 200


def test_the_rankings_take_a_partner_of_two_to_the_70(cast, signed_in):
    response = signed_in(cast.admin).get(reverse("gamification:rankings"), {"partner": str(2**70)})
    assert response.status_code == 200
