"""Writing, publishing and targeting flash updates, and the reps' read, answer and acknowledge events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_person
from kizuna.records.models import Statement
from kizuna.records.services import statement_to_xapi
from kizuna.updates import selectors, services, vocab
from kizuna.updates.models import FlashUpdate, Receipt
from kizuna.updates.services import QuestionData, UpdateError

from .conftest import joined_days_ago, post_update, question


def test_a_draft_reaches_nobody_until_it_is_published(cast):
    draft = post_update(cast, publish=False)
    assert not selectors.updates_visible_to(cast.rep_a1).exists()
    assert not selectors.updates_visible_to(cast.manager_a).exists()
    assert selectors.updates_visible_to(cast.author).get() == draft
    services.update_publish(update=draft, publisher=cast.coach, notify=False)
    assert selectors.updates_visible_to(cast.rep_a1).get() == draft
    assert selectors.updates_visible_to(cast.rep_b1).get() == draft


def test_an_update_for_one_partner_reaches_only_that_partners_people(cast):
    post_update(cast, audience="selected", partners=[cast.partner_a])
    assert selectors.updates_visible_to(cast.rep_a1).count() == 1
    assert selectors.updates_visible_to(cast.rep_a2).count() == 1
    assert selectors.updates_visible_to(cast.manager_a).count() == 1
    assert not selectors.updates_visible_to(cast.rep_b1).exists()
    assert not selectors.updates_visible_to(cast.manager_b).exists()


def test_an_update_for_one_team_reaches_that_team_and_its_agencys_manager_only(cast):
    post_update(cast, audience="selected", teams=[cast.team_a2])
    assert selectors.updates_visible_to(cast.rep_a2).count() == 1  # 大阪チーム
    assert not selectors.updates_visible_to(cast.rep_a1).exists()  # 東京第1チーム
    assert selectors.updates_visible_to(cast.manager_a).count() == 1
    assert not selectors.updates_visible_to(cast.rep_b1).exists()
    assert not selectors.updates_visible_to(cast.manager_b).exists()


def test_selected_audience_needs_a_partner_or_a_team(cast):
    with pytest.raises(UpdateError) as error:
        post_update(cast, audience="selected")
    assert error.value.field == "partners"
    assert not FlashUpdate.objects.exists()


def test_a_check_question_needs_two_to_four_distinct_options_and_a_correct_one(cast):
    bad = [
        QuestionData(text="問", options=["一つだけ"], correct=1),
        QuestionData(text="問", options=["a", "b", "c", "d", "e"], correct=1),
        QuestionData(text="問", options=["同じ", "同じ"], correct=1),
        QuestionData(text="問", options=["a", "b"], correct=3),
        QuestionData(text=" ", options=["a", "b"], correct=1),
    ]
    for data in bad:
        with pytest.raises(UpdateError):
            post_update(cast, question=data)
    assert not FlashUpdate.objects.exists()


def test_publishing_needs_something_to_say_and_a_future_acknowledge_by_date(cast):
    empty = post_update(cast, publish=False, body="")
    with pytest.raises(UpdateError):
        services.update_publish(update=empty, publisher=cast.coach, notify=False)
    late = post_update(cast, publish=False, ack_due_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(UpdateError):
        services.update_publish(update=late, publisher=cast.coach, notify=False)
    assert not FlashUpdate.objects.filter(status="published").exists()


def test_the_body_is_rendered_from_markdown_without_scripts(cast):
    update = post_update(cast, body="**大事** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>大事</strong>" in update.body_html
    assert "<script" not in update.body_html and "javascript:" not in update.body_html


def test_opening_an_update_is_recorded_once_as_experienced(cast):
    update = post_update(cast)
    services.update_open(rep=cast.rep_a1, update=update)
    services.update_open(rep=cast.rep_a1, update=update)
    statements = Statement.objects.filter(actor=cast.rep_a1)
    assert statements.count() == 1
    st = statements.get()
    assert st.verb == vocab.EXPERIENCED.iri
    assert st.object_type == vocab.TYPE_FLASH_UPDATE.iri
    assert st.object_type.endswith("/xapi/vocab/activity-types/flash-update")
    assert st.object_iri.endswith(f"/xapi/activities/flash-update/{update.key}")
    assert st.partner_id == cast.partner_a.pk
    assert Receipt.objects.get(rep=cast.rep_a1).seen_at == st.timestamp


def test_acknowledging_twice_records_one_statement(cast):
    update = post_update(cast)
    first = services.update_acknowledge(rep=cast.rep_a1, update=update)
    second = services.update_acknowledge(rep=cast.rep_a1, update=update)
    assert first.acknowledged_at == second.acknowledged_at is not None
    acks = Statement.objects.filter(actor=cast.rep_a1, verb=vocab.ACKNOWLEDGED.iri)
    assert acks.count() == 1
    assert acks.get().verb.endswith("/xapi/vocab/verbs/acknowledged")
    # Acknowledging counts as having seen it.
    assert Receipt.objects.get(rep=cast.rep_a1).seen_at is not None


def test_with_a_question_the_rep_answers_before_acknowledging(cast):
    update = post_update(cast, question=question(correct=2))
    with pytest.raises(UpdateError):
        services.update_acknowledge(rep=cast.rep_a1, update=update)
    receipt = services.update_answer(rep=cast.rep_a1, update=update, option=1)
    assert (receipt.answer, receipt.answer_correct) == (1, False)
    # A second answer changes nothing: the first one counts.
    receipt = services.update_answer(rep=cast.rep_a1, update=update, option=2)
    assert (receipt.answer, receipt.answer_correct) == (1, False)
    receipt = services.update_acknowledge(rep=cast.rep_a1, update=update)
    assert receipt.acknowledged_at is not None
    answered = Statement.objects.get(actor=cast.rep_a1, verb__endswith="/answered")
    assert answered.object_type == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert answered.result["response"] == "option-1" and answered.result["success"] is False
    assert answered.context["contextActivities"]["parent"] == [{"id": services.update_iri(update)}]
    definition = statement_to_xapi(answered)["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == ["option-2"]
    assert [c["id"] for c in definition["choices"]] == ["option-1", "option-2", "option-3"]
    assert statement_to_xapi(Statement.objects.get(actor=cast.rep_a1, verb=vocab.ACKNOWLEDGED.iri))["verb"][
        "display"
    ] == {"ja-JP": "確認した", "en-US": "acknowledged"}


def test_a_right_answer_is_scored_right(cast):
    update = post_update(cast, question=question(correct=2))
    receipt = services.update_answer(rep=cast.rep_a2, update=update, option=2)
    assert receipt.answer_correct is True
    st = Statement.objects.get(actor=cast.rep_a2, verb__endswith="/answered")
    assert st.result["score"] == {"raw": 1, "min": 0, "max": 1, "scaled": 1.0}


def test_an_answer_out_of_range_is_refused(cast):
    update = post_update(cast, question=question())
    with pytest.raises(UpdateError):
        services.update_answer(rep=cast.rep_a1, update=update, option=4)
    assert not Receipt.objects.exists()


def test_reps_outside_the_audience_cannot_record_anything(cast):
    update = post_update(cast, audience="selected", partners=[cast.partner_a])
    for call in (services.update_open, services.update_acknowledge):
        with pytest.raises(UpdateError):
            call(rep=cast.rep_b1, update=update)
    draft = post_update(cast, publish=False)
    with pytest.raises(UpdateError):
        services.update_acknowledge(rep=cast.rep_a1, update=draft)
    assert not Statement.objects.exists()


def test_the_audience_and_question_are_fixed_once_published(cast):
    update = post_update(cast, question=question())
    with pytest.raises(UpdateError):
        services.update_edit(
            update=update, editor=cast.coach, title="新", body="本文", audience="selected", partners=[cast.partner_a]
        )
    with pytest.raises(UpdateError):
        services.update_edit(update=update, editor=cast.coach, title="新", body="本文", question=None)
    services.update_edit(update=update, editor=cast.coach, title="新しい題", body="直しました")
    update.refresh_from_db()
    assert update.title == "新しい題" and update.audience == "all" and update.question.text


def test_a_published_update_cannot_be_deleted_but_a_draft_can(cast):
    published = post_update(cast)
    with pytest.raises(UpdateError):
        services.update_delete(update=published)
    draft = post_update(cast, publish=False)
    services.update_delete(update=draft)
    assert list(FlashUpdate.objects.all()) == [published]


def test_the_home_strip_lists_unacknowledged_updates_due_first(cast):
    now = timezone.now()
    plain = post_update(cast, title="ふつうの速報")
    due = post_update(cast, title="期限つき", ack_due_at=now + timedelta(days=2))
    done = post_update(cast, title="確認済み")
    post_update(cast, title="B社だけ", audience="selected", partners=[cast.partner_b])
    post_update(cast, title="下書き", publish=False)
    services.update_acknowledge(rep=cast.rep_a1, update=done)
    services.update_open(rep=cast.rep_a1, update=plain)
    strip = selectors.updates_for_home(cast.rep_a1)
    assert [i.title for i in strip.items] == ["期限つき", "ふつうの速報"]
    assert [i.seen for i in strip.items] == [False, True]
    assert not strip.more
    b_titles = [i.title for i in selectors.updates_for_home(cast.rep_b1).items]
    assert b_titles == ["期限つき", "B社だけ", "確認済み", "ふつうの速報"]
    assert due.pk == strip.items[0].pk


def test_the_home_strip_shows_overdue_and_drops_old_updates_without_a_date(cast):
    now = timezone.now()
    overdue = post_update(cast, title="期限切れ", ack_due_at=now + timedelta(hours=1))
    old = post_update(cast, title="古い速報")
    FlashUpdate.objects.filter(pk=old.pk).update(published_at=now - timedelta(days=40))
    FlashUpdate.objects.filter(pk=overdue.pk).update(
        published_at=now - timedelta(days=40), ack_due_at=now - timedelta(days=1)
    )
    joined_days_ago(60, cast.rep_a1)
    items = selectors.updates_for_home(cast.rep_a1).items
    assert [(i.title, i.overdue) for i in items] == [("期限切れ", True)]
    # Someone who joined after that date: not theirs to meet, and too old to show without a date.
    assert selectors.updates_for_home(cast.rep_a2).items == []


@pytest.mark.parametrize("n", [2, 12])
def test_the_home_strip_costs_one_query_however_many_updates_and_reps(cast, django_assert_num_queries, n):
    for i in range(n):
        update = post_update(
            cast, title=f"速報{i}", audience="selected", partners=[cast.partner_a], teams=[cast.team_b1]
        )
        rep = make_person(f"more{i}@partner-a.example", f"追加 {i}", cast.partner_a, "rep", cast.team_a1)
        services.update_acknowledge(rep=rep, update=update)
    services.update_open(rep=cast.rep_a1, update=update)
    rep = type(cast.rep_a1).objects.select_related("membership").get(pk=cast.rep_a1.pk)
    with django_assert_num_queries(1):
        strip = selectors.updates_for_home(rep)
    assert len(strip.items) == min(n, selectors.HOME_LIMIT) and strip.more == (n > selectors.HOME_LIMIT)
