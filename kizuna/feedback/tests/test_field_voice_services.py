"""Field voice services: recording an entry (once, as a statement), answering it, turning it into content."""

import uuid

import pytest

from kizuna.catalog import services as catalog
from kizuna.feedback import services, vocab
from kizuna.feedback.models import FieldVoice
from kizuna.feedback.services import FeedbackError, normalize_text
from kizuna.notifications.models import Notification
from kizuna.records.models import Statement
from kizuna.scenarios import services as scenarios
from kizuna.updates.models import FlashUpdate

from .conftest import record_voice


def test_a_rep_records_a_question_with_product_stage_industry_and_topics(cast):
    product = catalog.product_create(name="クラウド会計", slug="cloud-accounting")
    topic = catalog.topic_tag_create(name_ja="価格", name_en="Price")
    voice = record_voice(
        cast.rep_a1,
        "他社より高いのでは?",
        kind="objection",
        product=product,
        tags=[topic],
        deal_stage="proposal",
        industry="retail",
    )
    assert voice.partner == cast.partner_a and voice.status == FieldVoice.Status.NEW
    assert list(voice.tags.all()) == [topic] and voice.normalized == "他社より高いのでは"


def test_the_entry_is_a_shared_statement_on_a_field_voice_activity(cast):
    voice = record_voice(cast.rep_a1, kind="competitor", text="A社が初月無料キャンペーン中")
    st = Statement.objects.get(id=voice.submission_id)
    assert st.verb == vocab.SHARED.iri and st.object_type == vocab.TYPE_FIELD_VOICE.iri
    assert st.actor == cast.rep_a1 and st.partner == cast.partner_a
    assert st.result["response"] == "A社が初月無料キャンペーン中"
    assert st.result["extensions"][vocab.EXT_VOICE_KIND.iri] == "competitor"


def test_a_repeated_submission_records_one_entry_and_one_statement(cast):
    sid = uuid.uuid4()
    first = record_voice(cast.rep_a1, submission_id=sid)
    again = record_voice(cast.rep_a1, submission_id=sid)
    assert first.pk == again.pk
    assert FieldVoice.objects.count() == 1 and Statement.objects.filter(id=sid).count() == 1


def test_it_refuses_empty_text_and_non_reps(cast):
    with pytest.raises(FeedbackError):
        record_voice(cast.rep_a1, "   ")
    with pytest.raises(FeedbackError):
        record_voice(cast.manager_a)
    with pytest.raises(FeedbackError):
        record_voice(cast.rep_a1, kind="rumour")
    assert not FieldVoice.objects.exists() and not Statement.objects.exists()


def test_texts_that_differ_only_in_width_case_spaces_and_punctuation_group_together():
    assert normalize_text("ＡＰＩ連携は できますか?") == normalize_text("api連携はできますか？")


def test_an_answer_marks_it_answered_and_notifies_the_rep(cast):
    voice = record_voice(cast.rep_a1)
    services.field_voice_answer(voice=voice, by=cast.coach, answer="専任の担当者が導入後3か月伴走します。")
    voice.refresh_from_db()
    assert voice.status == FieldVoice.Status.ANSWERED and voice.answered_by == cast.coach
    note = Notification.objects.get(recipient=cast.rep_a1)
    assert note.kind == "feedback.field_voice_answered" and note.url == f"/field-voice/{voice.pk}/"


def test_turning_it_into_a_flash_update_makes_a_draft_and_tells_the_rep(cast):
    voice = record_voice(cast.rep_a1, kind="objection", text="他社より高い")
    services.field_voice_to_update(voice=voice, by=cast.coach)
    update = FlashUpdate.objects.get()
    assert update.status == FlashUpdate.Status.DRAFT and "> 他社より高い" in update.body
    voice.refresh_from_db()
    assert voice.status == FieldVoice.Status.CONTENT and voice.content_url == f"/updates/{update.pk}/edit/"
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="feedback.field_voice_used").exists()
    with pytest.raises(FeedbackError):
        services.field_voice_to_update(voice=voice, by=cast.coach)
    assert FlashUpdate.objects.count() == 1


def test_turning_it_into_a_lesson_adds_a_draft_lesson_to_the_module(cast):
    course = catalog.course_create(author=cast.author, title="切り返し集", slug="rebuttals")
    module = catalog.module_create(course=course, title="価格")
    voice = record_voice(cast.rep_a1, kind="objection", text="他社より高い")
    services.field_voice_to_lesson(voice=voice, by=cast.author, module=module, kind="micro")
    lesson = module.lessons.get()
    assert lesson.kind == "micro" and "他社より高い" in lesson.title
    course.refresh_from_db()
    assert course.has_unpublished_changes


def test_turning_it_into_a_scenario_moment_adds_the_customers_line_to_the_draft(cast):
    scenario = scenarios.scenario_create(author=cast.author, title="価格交渉", slug="price-talk")
    voice = record_voice(cast.rep_a1, kind="objection", text="今の会計ソフトで十分です")
    services.field_voice_to_scenario(voice=voice, by=cast.coach, scenario=scenario)
    node = scenario.nodes.get()
    assert node.text == "今の会計ソフトで十分です" and node.speaker
    voice.refresh_from_db()
    assert voice.content_kind == FieldVoice.ContentKind.SCENARIO
