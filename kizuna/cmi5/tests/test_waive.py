"""The principal's waiver screen: pick a rep registered in the cmi5 course, an AU and the cmi5 reason; the LMS
records `waived` with that reason and evaluates moveOn (the same service as `manage.py cmi5_waive`)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.cmi5 import launching
from kizuna.cmi5.models import AuStatus, Registration
from kizuna.lrs.models import LrsStatement
from kizuna.records.models import LessonProgress

pytestmark = pytest.mark.django_db


def _registered(cast: Any, lesson: Any, au: Any, rep: Any = None) -> Registration:
    launching.cmi5_launch(
        rep=rep or cast.rep_a1, lesson=lesson, au=au, site="http://testserver", return_url="http://testserver/back"
    )
    return Registration.objects.get(rep=rep or cast.rep_a1)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_principal_waives_an_au_with_its_reason_and_the_course_is_satisfied(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    au = cmi5.aus.get()
    registration = _registered(cast, lesson, au)
    url = reverse("cmi5:studio_cmi5_waive", args=[lesson.pk])
    admin = _client(cast.admin)
    page = admin.get(url)
    assert page.status_code == 200
    assert cast.rep_a1.email in page.content.decode()
    response = admin.post(url, {"registration": registration.pk, "au": au.pk, "reason": "Equivalent AU"}, follow=True)
    assert response.redirect_chain and response.status_code == 200
    assert "免除しました" in response.content.decode()
    waived = LrsStatement.objects.get(verb=launching.VERBS["waived"])
    assert waived.data["result"]["extensions"] == {launching.EXT_REASON: "Equivalent AU"}
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson_id=lesson.pk).completed_at is not None
    assert LrsStatement.objects.filter(verb=launching.VERBS["satisfied"]).count() == 1
    # The lesson page links the screen for the principal.
    assert url in admin.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()


def test_it_refuses_a_second_waiver_and_an_unknown_reason_with_nothing_written(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    au = cmi5.aus.get()
    registration = _registered(cast, lesson, au)
    url = reverse("cmi5:studio_cmi5_waive", args=[lesson.pk])
    admin = _client(cast.admin)
    bad = admin.post(url, {"registration": registration.pk, "au": au.pk, "reason": "Because"})
    assert bad.status_code == 200 and not AuStatus.objects.exclude(waived_at=None).exists()
    assert admin.post(url, {"registration": registration.pk, "au": au.pk, "reason": "Tested Out"}).status_code == 302
    again = admin.post(url, {"registration": registration.pk, "au": au.pk, "reason": "Administrative"})
    assert again.status_code == 200
    assert "この AU はすでに免除されています。" in again.content.decode()
    assert LrsStatement.objects.filter(verb=launching.VERBS["waived"]).count() == 1


def test_it_offers_only_this_courses_registrations_and_aus(cast: Any, cmi5_lesson: Any, cmi5_block_lesson: Any) -> None:
    _course, lesson, cmi5 = cmi5_lesson
    _other_course, other_lesson, other = cmi5_block_lesson
    _registered(cast, lesson, cmi5.aus.get())
    elsewhere = _registered(cast, other_lesson, other.aus.first(), rep=cast.rep_a2)
    url = reverse("cmi5:studio_cmi5_waive", args=[lesson.pk])
    admin = _client(cast.admin)
    assert cast.rep_a2.email not in admin.get(url).content.decode()
    refused = admin.post(url, {"registration": elsewhere.pk, "au": cmi5.aus.get().pk, "reason": "Tested Out"})
    assert refused.status_code == 200 and "registration" in refused.context["form"].errors
    refused = admin.post(
        url, {"registration": Registration.objects.get(rep=cast.rep_a1).pk, "au": other.aus.first().pk}
    )
    assert "au" in refused.context["form"].errors
    assert not LrsStatement.objects.filter(verb=launching.VERBS["waived"]).exists()


def test_only_the_principal_admin_reaches_the_waiver_screen(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, _cmi5 = cmi5_lesson
    url = reverse("cmi5:studio_cmi5_waive", args=[lesson.pk])
    for person in (cast.rep_a1, cast.manager_a, cast.author):
        assert _client(person).get(url).status_code == 404
    assert _client(cast.admin).get(reverse("cmi5:studio_cmi5_waive", args=[lesson.pk + 999])).status_code == 404
