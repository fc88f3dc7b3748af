"""Review dates, stale-first listing, confirming current, product changes, the weekly digest and the rep's date."""

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kizuna.freshness import selectors, services
from kizuna.freshness.models import Freshness, ProductChange
from kizuna.notifications.models import Notification

from .helpers import linked_lesson, product

pytestmark = pytest.mark.django_db


def _edit_url(lesson: Any) -> str:
    return reverse("freshness:freshness_edit", kwargs={"review_kind": "lesson", "review_object_id": lesson.pk})


def test_the_studio_lists_stale_content_first(cast, signed_in):
    prod = product()
    today = timezone.localdate()
    current = linked_lesson(cast, prod, review_by=today + timedelta(days=90))
    overdue = linked_lesson(cast, product(name="旧製品", slug="old"), review_by=today - timedelta(days=3))
    rows = selectors.review_list(cast.author)
    lessons = [r for r in rows if r.item.kind == "lesson"]
    assert [r.item.object_id for r in lessons][:2] == [overdue.pk, current.pk]
    assert lessons[0].status == selectors.Status.OVERDUE
    page = signed_in(cast.author).get(reverse("freshness:studio"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(f'data-id="{overdue.pk}"') < html.index(f'data-id="{current.pk}"')


def test_stale_only_leaves_out_current_content(cast):
    today = timezone.localdate()
    linked_lesson(cast, product(), review_by=today + timedelta(days=90))
    assert selectors.review_list(cast.author, stale_only=True) == []


def test_an_author_sets_a_review_date_and_products(cast, signed_in):
    prod = product()
    lesson = linked_lesson(cast, prod)
    response = signed_in(cast.author).post(_edit_url(lesson), {"review_by": "2030-01-31", "products": [prod.pk]})
    assert response.status_code == 302
    row = Freshness.objects.get(kind="lesson", object_id=lesson.pk)
    assert row.review_by == date(2030, 1, 31) and list(row.products.all()) == [prod]


def test_it_refuses_a_review_date_that_is_not_a_date(cast, signed_in):
    lesson = linked_lesson(cast, product(), review_by=date(2030, 1, 1))
    response = signed_in(cast.author).post(_edit_url(lesson), {"review_by": "soon"})
    assert response.status_code == 200
    assert Freshness.objects.get(object_id=lesson.pk).review_by == date(2030, 1, 1)


def test_confirming_current_clears_the_flag_and_sets_the_next_review(cast, signed_in):
    prod = product()
    lesson = linked_lesson(cast, prod)
    services.product_mark_changed(user=cast.admin, product=prod, note="料金改定")
    url = reverse("freshness:freshness_confirm", kwargs={"review_kind": "lesson", "review_object_id": lesson.pk})
    response = signed_in(cast.author).post(url, {"next_review_by": "2031-04-01"})
    assert response.status_code == 302
    row = Freshness.objects.get(object_id=lesson.pk)
    assert row.flagged_at is None and row.confirmed_by == cast.author and row.review_by == date(2031, 4, 1)


def test_it_refuses_a_next_review_date_in_the_past(cast, signed_in):
    lesson = linked_lesson(cast, product())
    url = reverse("freshness:freshness_confirm", kwargs={"review_kind": "lesson", "review_object_id": lesson.pk})
    response = signed_in(cast.author).post(url, {"next_review_by": "2000-01-01"})
    assert response.status_code == 400
    assert Freshness.objects.get(object_id=lesson.pk).confirmed_at is None


def test_marking_a_product_changed_flags_linked_content_and_notifies_its_author(cast, signed_in):
    prod = product()
    lesson = linked_lesson(cast, prod, review_by=date(2040, 1, 1))
    other = linked_lesson(cast, product(name="別製品", slug="other"), review_by=date(2040, 1, 1))
    url = reverse("freshness:product_changed", kwargs={"product_id": prod.pk})
    response = signed_in(cast.admin).post(url, {"note": "4月から料金が変わります"})
    assert response.status_code == 302
    assert Freshness.objects.get(object_id=lesson.pk).flagged_at is not None
    assert Freshness.objects.get(object_id=other.pk).flagged_at is None
    note = Notification.objects.get(recipient=cast.author, kind="freshness.product_changed")
    assert note.params["count"] == 1
    assert ProductChange.objects.get().flagged_count == 1
    assert selectors.review_list(cast.author)[0].item.object_id == lesson.pk


def test_it_refuses_a_product_change_without_saying_what_changed(cast, signed_in):
    prod = product()
    lesson = linked_lesson(cast, prod)
    response = signed_in(cast.admin).post(reverse("freshness:product_changed", args=[prod.pk]), {"note": "  "})
    assert response.status_code == 200
    assert Freshness.objects.get(object_id=lesson.pk).flagged_at is None
    assert not ProductChange.objects.exists()


def test_a_product_change_can_reopen_the_products_certifications(cast):
    from kizuna.certification.models import Certification
    from kizuna.certification.services import certification_create, requirement_add

    prod = product()
    linked_lesson(cast, prod)
    cert = certification_create(name="クラウドPro販売", slug="cloud-pro-sales", product=prod, created_by=cast.admin)
    course = linked_lesson(cast, product(name="x", slug="x")).module.course
    requirement_add(certification=cert, kind="course", label="料金コース", course=course)
    services.product_mark_changed(user=cast.admin, product=prod, note="新機能", reopen_certification_ids=[cert.pk])
    assert Certification.objects.get(pk=cert.pk).version == 2


def test_reopening_a_certification_without_requirements_is_refused_on_the_form_not_a_500(cast):
    from django.test import Client
    from django.urls import reverse

    from kizuna.certification.services import certification_create
    from kizuna.freshness.models import Freshness

    prod = product()
    lesson = linked_lesson(cast, prod)
    cert = certification_create(name="販売", slug="sales", product=prod, created_by=cast.admin)
    client = Client()
    client.force_login(cast.admin)
    url = reverse("freshness:product_changed", kwargs={"product_id": prod.pk})
    response = client.post(url, {"note": "新機能", "certifications": [cert.pk]})
    assert response.status_code == 200 and response.context["form"].errors
    assert Freshness.objects.get(kind="lesson", object_id=lesson.pk).flagged_at is None  # nothing half done


def test_only_an_admin_reopens_certifications(cast):
    from kizuna.certification.services import certification_create

    prod = product()
    cert = certification_create(name="販売", slug="sales", product=prod, created_by=cast.admin)
    with pytest.raises(services.FreshnessError):
        services.product_mark_changed(user=cast.author, product=prod, note="新機能", reopen_certification_ids=[cert.pk])


def test_the_weekly_digest_goes_once_to_the_author_of_due_content(cast):
    today = timezone.localdate()
    linked_lesson(cast, product(), review_by=today + timedelta(days=3))
    assert services.freshness_digest_send(today=today) == 1
    assert services.freshness_digest_send(today=today) == 0
    note = Notification.objects.get(recipient=cast.author, kind="freshness.digest")
    assert note.params["soon"] == 1


def test_the_digest_job_is_registered_weekly():
    from kizuna.ops.schedule import registered_jobs

    job = next(j for j in registered_jobs() if j.id == "freshness_weekly_digest")
    assert job.cron["day_of_week"] == "mon"


def test_nobody_is_sent_a_digest_when_nothing_is_due(cast):
    linked_lesson(cast, product(), review_by=timezone.localdate() + timedelta(days=100))
    assert services.freshness_digest_send() == 0


def test_a_rep_sees_when_a_lesson_was_last_confirmed_current(cast, signed_in):
    lesson = linked_lesson(cast, product())
    confirmed = timezone.now() + timedelta(days=2)
    services.freshness_confirm(
        user=cast.author, kind="lesson", object_id=lesson.pk, next_review_by=date(2040, 1, 1), now=confirmed
    )
    published = lesson.module.course.latest_version.lessons.get()
    page = signed_in(cast.rep_a1).get(reverse("learning:lesson", args=[published.pk]))
    assert 'id="lesson-confirmed"' in page.content.decode()
    assert selectors.lesson_confirmed_at(lesson_key=published.key, published_at=published.version.published_at) == (
        confirmed
    )


def test_a_lesson_never_confirmed_shows_its_publishing_date(cast):
    lesson = linked_lesson(cast, product())
    published = lesson.module.course.latest_version.lessons.get()
    at = published.version.published_at
    assert selectors.lesson_confirmed_at(lesson_key=published.key, published_at=at) == at


def test_the_list_shows_each_lessons_performance(cast):
    from kizuna.feedback.services import lesson_feedback_submit

    lesson = linked_lesson(cast, product())
    published = lesson.module.course.latest_version.lessons.get()
    lesson_feedback_submit(
        rep=cast.rep_a1, lesson=published, worked=False, comment="使えなかった", submission_id=uuid.uuid4()
    )
    row = next(r for r in selectors.review_list(cast.author) if r.item.object_id == lesson.pk)
    assert row.performance.did_not_work == 1 and row.performance.feedback == 1


def test_the_list_counts_the_words_reps_did_not_understand_in_each_lesson(cast, signed_in):
    from kizuna.plain.lessons import lesson_for_user
    from kizuna.plain.services import word_ask

    lesson = linked_lesson(cast, product())
    published = lesson.module.course.latest_version.lessons.get()
    asked = lesson_for_user(cast.rep_a1, published.pk)
    word_ask(rep=cast.rep_a1, lesson=asked, word="クロージング", sentence="クロージングで決めます。")
    word_ask(rep=cast.rep_a2, lesson=asked, word="アップセル")
    row = next(r for r in selectors.review_list(cast.author) if r.item.object_id == lesson.pk)
    assert row.performance.words_not_understood == 2
    assert "わからなかった言葉 2件" in signed_in(cast.author).get(reverse("freshness:studio")).content.decode()


def test_reps_and_managers_cannot_open_the_freshness_pages(cast, signed_in):
    lesson = linked_lesson(cast, product())
    for person in (cast.rep_a1, cast.manager_a, cast.coach):
        client = signed_in(person)
        assert client.get(reverse("freshness:studio")).status_code == 404
        assert client.get(_edit_url(lesson)).status_code == 404


def test_an_admins_digest_lists_content_whose_maker_no_longer_authors(cast):
    lesson = linked_lesson(cast, product(), review_by=timezone.localdate() - timedelta(days=1))
    course = lesson.module.course
    course.created_by = cast.rep_a1  # a maker who is not principal staff (left, or moved)
    course.save(update_fields=["created_by"])
    assert services.freshness_digest_send() == 1
    assert Notification.objects.get(kind="freshness.digest").recipient == cast.admin
