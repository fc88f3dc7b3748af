"""Field voice screens: the rep's one-minute form and list, the inbox, answering, converting, who sees what."""

import uuid

import pytest
from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.feedback.models import FieldVoice
from kizuna.notifications.models import Notification
from kizuna.updates.models import FlashUpdate

from .conftest import record_voice


def test_a_rep_records_field_voice_from_the_form(cast, client):
    product = catalog.product_create(name="クラウド会計", slug="cloud-accounting")
    client.force_login(cast.rep_a1)
    form = client.get(reverse("feedback:field_voice_new"))
    assert form.status_code == 200
    response = client.post(
        reverse("feedback:field_voice_new"),
        {
            "submission_id": form.context["form"].initial["submission_id"],
            "kind": "question",
            "text": "請求書の電子化に対応していますか?",
            "product": product.pk,
            "deal_stage": "hearing",
            "industry": "manufacturing",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("feedback:field_voice")
    voice = FieldVoice.objects.get()
    assert voice.rep == cast.rep_a1 and voice.product == product and voice.industry == "manufacturing"
    page = client.get(reverse("feedback:field_voice")).content.decode()
    assert "請求書の電子化に対応していますか?" in page


def test_the_form_starts_with_the_reps_last_product_stage_and_industry(cast, client):
    product = catalog.product_create(name="勤怠管理", slug="attendance")
    record_voice(cast.rep_a1, product=product, deal_stage="closing", industry="retail")
    client.force_login(cast.rep_a1)
    initial = client.get(reverse("feedback:field_voice_new")).context["form"].initial
    assert initial["product"] == product.pk and initial["deal_stage"] == "closing" and initial["industry"] == "retail"


def test_empty_text_gets_a_message_and_keeps_what_was_typed(cast, client):
    client.force_login(cast.rep_a1)
    response = client.post(
        reverse("feedback:field_voice_new"),
        {"submission_id": uuid.uuid4(), "kind": "", "text": "", "industry": "retail"},
    )
    assert response.status_code == 200
    assert "お客様が言ったことを書いてください" in response.content.decode()
    assert response.context["form"]["industry"].value() == "retail"
    assert not FieldVoice.objects.exists()


def test_the_inbox_shows_new_entries_to_the_coach_with_the_reps_agency(cast, client):
    record_voice(cast.rep_a1, "A社の質問")
    record_voice(cast.rep_b1, "B社の質問")
    client.force_login(cast.coach)
    page = client.get(reverse("feedback:field_voice_inbox")).content.decode()
    assert "A社の質問" in page and "B社の質問" in page and "パートナーA株式会社" in page


def test_a_partner_manager_sees_only_their_own_agencys_entries(cast, client):
    mine = record_voice(cast.rep_a1, "A社の質問")
    theirs = record_voice(cast.rep_b1, "B社の質問")
    client.force_login(cast.manager_a)
    page = client.get(reverse("feedback:field_voice_inbox")).content.decode()
    assert "A社の質問" in page and "B社の質問" not in page
    assert client.get(reverse("feedback:field_voice_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("feedback:field_voice_detail", args=[theirs.pk])).status_code == 404
    report = client.get(reverse("feedback:field_voice_report")).context["report"]
    assert report.total == 1


@pytest.mark.parametrize("who", ["rep_a2", "rep_b1", "manager_b"])
def test_other_people_get_404_for_a_reps_entry(cast, client, who):
    voice = record_voice(cast.rep_a1)
    client.force_login(getattr(cast, who))
    assert client.get(reverse("feedback:field_voice_detail", args=[voice.pk])).status_code == 404
    assert client.post(reverse("feedback:field_voice_answer", args=[voice.pk]), {"answer": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["rep_a1", "manager_a"])
def test_reps_and_managers_cannot_answer_or_convert(cast, client, who):
    voice = record_voice(cast.rep_a1)
    client.force_login(getattr(cast, who))
    assert client.post(reverse("feedback:field_voice_answer", args=[voice.pk]), {"answer": "x"}).status_code == 404
    assert client.post(reverse("feedback:field_voice_to_update", args=[voice.pk])).status_code == 404
    voice.refresh_from_db()
    assert voice.status == FieldVoice.Status.NEW and not FlashUpdate.objects.exists()


@pytest.mark.parametrize("who", ["rep_a1", "rep_b1"])
def test_reps_get_404_for_the_inboxes_and_the_report(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("feedback:field_voice_inbox")).status_code == 404
    assert client.get(reverse("feedback:field_voice_report")).status_code == 404
    assert client.get(reverse("feedback:field_voice_report_csv")).status_code == 404
    assert client.get(reverse("feedback:feedback_inbox")).status_code == 404


def test_a_coach_answers_and_the_rep_reads_the_answer(cast, client):
    voice = record_voice(cast.rep_a1)
    client.force_login(cast.coach)
    response = client.post(
        reverse("feedback:field_voice_answer", args=[voice.pk]), {"answer": "専任担当が伴走します。"}
    )
    assert response.status_code == 302
    client.force_login(cast.rep_a1)
    assert (
        "専任担当が伴走します。" in client.get(reverse("feedback:field_voice_detail", args=[voice.pk])).content.decode()
    )
    assert Notification.objects.filter(recipient=cast.rep_a1).count() == 1


def test_an_empty_answer_is_refused_with_a_message(cast, client):
    voice = record_voice(cast.rep_a1)
    client.force_login(cast.coach)
    response = client.post(reverse("feedback:field_voice_answer", args=[voice.pk]), {"answer": ""})
    assert response.status_code == 400 and "回答を書いてください" in response.content.decode()


def test_one_action_makes_a_flash_update_draft_and_opens_it(cast, client):
    voice = record_voice(cast.rep_a1, kind="competitor", text="B社が半額キャンペーン")
    client.force_login(cast.coach)
    response = client.post(reverse("feedback:field_voice_to_update", args=[voice.pk]))
    update = FlashUpdate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("updates:update_edit", args=[update.pk])


def test_the_lesson_draft_needs_an_author_and_a_module(cast, client):
    course = catalog.course_create(author=cast.author, title="切り返し集", slug="rebuttals")
    module = catalog.module_create(course=course, title="価格")
    voice = record_voice(cast.rep_a1)
    client.force_login(cast.coach)  # coaches do not write courses
    assert (
        client.post(reverse("feedback:field_voice_to_lesson", args=[voice.pk]), {"module": module.pk}).status_code
        == 404
    )
    client.force_login(cast.author)
    response = client.post(
        reverse("feedback:field_voice_to_lesson", args=[voice.pk]), {"module": module.pk, "lesson_kind": "article"}
    )
    lesson = module.lessons.get()
    assert response["Location"] == reverse("catalog:studio_lesson_edit", args=[lesson.pk])


def test_the_detail_page_offers_each_conversion_only_to_who_may_make_it(cast, client):
    voice = record_voice(cast.rep_a1)
    client.force_login(cast.coach)
    context = client.get(reverse("feedback:field_voice_detail", args=[voice.pk])).context
    assert context["can_make_update"] and "scenario_form" in context and "lesson_form" not in context
    client.force_login(cast.author)
    assert "lesson_form" in client.get(reverse("feedback:field_voice_detail", args=[voice.pk])).context


def test_the_inbox_shows_new_entries_by_default_and_all_on_request(cast, client):
    answered = record_voice(cast.rep_a1, "回答済みの質問")
    record_voice(cast.rep_a1, "新しい質問")
    from kizuna.feedback import services

    services.field_voice_answer(voice=answered, by=cast.coach, answer="回答です")
    client.force_login(cast.coach)
    default = client.get(reverse("feedback:field_voice_inbox")).content.decode()
    assert "新しい質問" in default and "回答済みの質問" not in default
    everything = client.get(reverse("feedback:field_voice_inbox"), {"status": ""}).content.decode()
    assert "新しい質問" in everything and "回答済みの質問" in everything
