"""A new agency's setup checklist on its page: what is missing, where it is fixed, gone once all is done."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import publish_course
from kizuna.agreements.services import CourseTerm, agreement_version_accept
from kizuna.agreements.tests.helpers import in_days, write_version
from kizuna.catalog.models import Assignment
from kizuna.orgs import services
from kizuna.orgs.readiness import partner_setup, setup_open_steps

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new_partner() -> Any:
    return services.partner_create(name="パートナーC株式会社", slug="partner-c")


def _open(partner: Any) -> set[str]:
    return {step.key for step in setup_open_steps(partner)}


def _ready(cast: Any) -> None:
    """Partner A: teams, a manager and reps exist (the cast); a required course with a date and an accepted agreement."""
    course = publish_course(
        cast, slug="basics", title="基礎", lessons=[{"kind": "article", "title": "本文", "body": "x"}]
    )
    version = write_version(cast, courses=[CourseTerm(course=course, required=True, due_on=in_days(10))])
    agreement_version_accept(version=version, manager=cast.manager_a)


def test_a_new_agency_misses_every_step(cast):
    partner = _new_partner()
    assert _open(partner) == {"teams", "manager", "agreement", "courses", "reps"}
    assert [step.key for step in partner_setup(partner)] == ["teams", "manager", "agreement", "courses", "reps"]


def test_the_page_links_each_missing_step_to_where_it_is_fixed(cast):
    partner = _new_partner()
    html = _client(cast.admin).get(reverse("orgs:partner", kwargs={"partner_id": partner.pk})).content.decode()
    assert 'id="setup"' in html
    assert reverse("agreements:agreement_version_new", kwargs={"partner_id": partner.pk}) in html
    assert f"organization={partner.pk}&amp;role=manager" in html
    assert f"{reverse('catalog:assignments')}?partner={partner.pk}" in html
    assert f"organization={partner.pk}&amp;role=rep" in html
    # The links into other pages bring the admin back to this one.
    assert "next=" + reverse("orgs:partner", kwargs={"partner_id": partner.pk}).replace("/", "%2F") in html


def test_the_agreement_step_waits_for_the_managers_acceptance(cast):
    version = write_version(cast)
    assert "agreement" in _open(cast.partner_a)
    step = next(s for s in setup_open_steps(cast.partner_a) if s.key == "agreement")
    assert step.url == reverse("agreements:agreement_version", kwargs={"agreement_version_id": version.pk})
    agreement_version_accept(version=version, manager=cast.manager_a)
    assert "agreement" not in _open(cast.partner_a)


def test_a_required_course_without_a_due_date_is_listed(cast):
    course = publish_course(
        cast, slug="dated", title="期限あり", lessons=[{"kind": "article", "title": "a", "body": "x"}]
    )
    assert "courses" not in _open(cast.partner_a)
    # Written before due dates were required (or by an import): the service would refuse it today.
    Assignment.objects.create(course=course, partner=cast.partner_a, team=cast.team_a1, required=True, due_at=None)
    step = next(s for s in setup_open_steps(cast.partner_a) if s.key == "courses")
    assert "1" in str(step.missing)


def test_reps_count_as_invited_once_the_invitation_went_out(cast):
    partner = _new_partner()
    rep = services.person_create(
        name="新人 一郎",
        email="new@partner-c.example",
        organization=partner,
        role="rep",
        invited_by=cast.admin,
        send_invitation=False,
    )
    assert "reps" in _open(partner)
    rep.invited_at = timezone.now() - timedelta(minutes=1)
    rep.save(update_fields=["invited_at"])
    assert "reps" not in _open(partner)


def test_the_checklist_leaves_the_page_once_every_step_is_done(cast):
    _ready(cast)
    assert _open(cast.partner_a) == set()
    html = _client(cast.admin).get(reverse("orgs:partner", kwargs={"partner_id": cast.partner_a.pk})).content.decode()
    assert 'id="setup"' not in html


def test_the_manager_does_not_see_the_admins_checklist(cast):
    html = _client(cast.manager_a).get(reverse("orgs:partner", kwargs={"partner_id": cast.partner_a.pk}))
    assert 'id="setup"' not in html.content.decode()


def test_inviting_the_manager_from_the_checklist_comes_back_to_it(cast):
    partner = _new_partner()
    back = reverse("orgs:partner", kwargs={"partner_id": partner.pk})
    client = _client(cast.admin)
    form = client.get(reverse("orgs:person_new"), {"organization": partner.pk, "role": "manager", "next": back})
    assert form.context["form"]["role"].value() == "manager"
    assert form.context["form"]["organization"].value() == str(partner.pk)
    response = client.post(
        reverse("orgs:person_new") + "?next=" + back,
        {"name": "管理 C子", "email": "manager@partner-c.example", "organization": partner.pk, "role": "manager"},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert "manager" not in _open(partner)


def test_it_refuses_to_send_the_admin_to_another_site_after_adding_a_person(cast):
    partner = _new_partner()
    response = _client(cast.admin).post(
        reverse("orgs:person_new") + "?next=//evil.example/",
        {"name": "管理 C子", "email": "manager@partner-c.example", "organization": partner.pk, "role": "manager"},
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
