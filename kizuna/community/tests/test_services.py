"""Asking, answering, voting and accepting: the statements they record, and what they refuse."""

import uuid

import pytest

from kizuna.community import services, vocab
from kizuna.community.models import Answer, Follow, Question
from kizuna.community.services import CommunityError, recognition_statement_id
from kizuna.notifications.models import Notification
from kizuna.records.vocab import own_iri

from .conftest import answer, ask, statements


def test_asking_records_asked_and_the_asker_follows(cast, product, topic):
    question = ask(cast.rep_a1, body="**至急**です", product=product, tags=[topic])
    assert question.partner == cast.partner_a
    assert "<strong>至急</strong>" in question.body_html
    assert list(question.tags.all()) == [topic]
    assert Follow.objects.filter(question=question, user=cast.rep_a1).exists()
    (asked,) = statements(vocab.ASKED.iri)
    assert asked.actor == cast.rep_a1 and asked.object_type == vocab.TYPE_QUESTION.iri


def test_a_question_needs_a_title(cast):
    with pytest.raises(CommunityError) as error:
        ask(cast.rep_a1, title="  ")
    assert error.value.field == "title"
    assert not Question.objects.exists()


def test_answering_records_answered_marks_coaches_and_notifies_the_asker_and_followers(cast):
    question = ask(cast.rep_a1)
    services.question_follow(question=question, user=cast.rep_a2)
    coach_answer = answer(question, cast.coach)
    assert coach_answer.by_coach
    assert not answer(question, cast.rep_b1).by_coach
    (answered, _second) = statements(vocab.ANSWERED.iri)
    assert answered.actor == cast.coach and answered.object_type == vocab.TYPE_QUESTION.iri
    recipients = set(Notification.objects.filter(kind="community.answered").values_list("recipient__email", flat=True))
    assert recipients == {cast.rep_a1.email, cast.rep_a2.email}
    question.refresh_from_db()
    assert question.answer_count == 2


def test_the_answerer_is_not_notified_of_their_own_answer(cast):
    question = ask(cast.rep_a1)
    answer(question, cast.rep_a1)
    assert not Notification.objects.filter(kind="community.answered").exists()


def test_an_upvote_records_the_recognition_of_the_answers_author_exactly_as_agreed(cast):
    a = answer(ask(cast.rep_a1), cast.rep_a2)
    services.answer_vote(answer=a, voter=cast.rep_b1)
    (recognition,) = statements(vocab.RECEIVED.iri)
    assert recognition.verb == "http://activitystrea.ms/schema/1.0/receive"
    assert recognition.actor == cast.rep_a2
    assert recognition.object_type == own_iri("activity-types/community-answer")
    assert recognition.object_iri == services.answer_iri(a)
    assert recognition.result["extensions"][own_iri("extensions/recognition")] == "upvoted"
    assert recognition.id == recognition_statement_id(a, "upvoted", cast.rep_b1)
    assert recognition.id == uuid.uuid5(
        services.STATEMENT_NAMESPACE, f"recognition:{a.key}:upvoted:{cast.rep_b1.public_id}"
    )
    a.refresh_from_db()
    assert a.score == 1


def test_a_rep_cannot_vote_twice(cast):
    a = answer(ask(cast.rep_a1), cast.rep_a2)
    services.answer_vote(answer=a, voter=cast.rep_a1)
    with pytest.raises(CommunityError):
        services.answer_vote(answer=a, voter=cast.rep_a1)
    a.refresh_from_db()
    assert a.score == 1
    assert len(statements(vocab.RECEIVED.iri)) == 1
    assert len(statements(vocab.VOTED_UP.iri)) == 1


def test_nobody_votes_for_their_own_answer(cast):
    a = answer(ask(cast.rep_a1), cast.rep_a2)
    with pytest.raises(CommunityError):
        services.answer_vote(answer=a, voter=cast.rep_a2)
    assert not statements(vocab.RECEIVED.iri)


def test_withdrawing_a_vote_voids_its_recognition_and_a_new_vote_counts_again(cast):
    a = answer(ask(cast.rep_a1), cast.rep_a2)
    services.answer_vote(answer=a, voter=cast.rep_a1)
    first = statements(vocab.RECEIVED.iri)[0]
    services.answer_vote_withdraw(answer=a, voter=cast.rep_a1)
    voided = {st.object_iri for st in statements(vocab.VOIDED.iri)}
    assert str(first.id) in voided
    assert all(st.object_type == "StatementRef" for st in statements(vocab.VOIDED.iri))
    a.refresh_from_db()
    assert a.score == 0
    services.answer_vote(answer=a, voter=cast.rep_a1)
    recognitions = statements(vocab.RECEIVED.iri)
    assert len(recognitions) == 2 and recognitions[1].id != first.id
    assert str(recognitions[1].id) not in voided


def test_the_asker_accepts_an_answer_and_its_author_is_recognized_and_told(cast):
    question = ask(cast.rep_a1)
    a = answer(question, cast.rep_a2)
    services.answer_accept(answer=a, by=cast.rep_a1)
    question.refresh_from_db()
    assert question.accepted_answer == a
    (accepted,) = statements(vocab.ACCEPTED.iri)
    assert accepted.actor == cast.rep_a1
    (recognition,) = statements(vocab.RECEIVED.iri)
    assert recognition.actor == cast.rep_a2
    assert recognition.result["extensions"][vocab.EXT_RECOGNITION.iri] == "accepted"
    assert recognition.id == recognition_statement_id(a, "accepted", cast.rep_a1)
    assert Notification.objects.filter(kind="community.accepted", recipient=cast.rep_a2).exists()


def test_a_rep_cannot_accept_an_answer_to_someone_elses_question(cast):
    question = ask(cast.rep_a1)
    a = answer(question, cast.coach)
    with pytest.raises(CommunityError):
        services.answer_accept(answer=a, by=cast.rep_a2)
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert not statements(vocab.RECEIVED.iri)


def test_a_coach_may_accept_an_answer_to_a_reps_question(cast):
    question = ask(cast.rep_a1)
    a = answer(question, cast.rep_a2)
    services.answer_accept(answer=a, by=cast.coach)
    assert Answer.objects.get(pk=a.pk).accepted_by == cast.coach


def test_choosing_another_answer_voids_the_first_choice(cast):
    question = ask(cast.rep_a1)
    first, second = answer(question, cast.rep_a2), answer(question, cast.coach)
    services.answer_accept(answer=first, by=cast.rep_a1)
    services.answer_accept(answer=second, by=cast.rep_a1)
    first_recognition = recognition_statement_id(first, "accepted", cast.rep_a1)
    assert str(first_recognition) in {st.object_iri for st in statements(vocab.VOIDED.iri)}
    first.refresh_from_db()
    assert first.accepted_at is None
    assert Question.objects.get(pk=question.pk).accepted_answer == second
    # Choosing the first again recognizes it again, under a new statement id.
    services.answer_accept(answer=first, by=cast.rep_a1)
    ids = [st.id for st in statements(vocab.RECEIVED.iri, actor=cast.rep_a2)]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_hiding_needs_a_reason_and_a_moderator_and_tells_the_author(cast):
    question = ask(cast.rep_a1)
    with pytest.raises(CommunityError):
        services.post_hide(post=question, moderator=cast.rep_a2, reason="不適切")
    with pytest.raises(CommunityError):
        services.post_hide(post=question, moderator=cast.manager_b, reason="不適切")
    with pytest.raises(CommunityError):
        services.post_hide(post=question, moderator=cast.manager_a, reason=" ")
    services.post_hide(post=question, moderator=cast.manager_a, reason="お客様の個人情報が含まれています")
    question.refresh_from_db()
    assert question.is_hidden and question.hidden_by == cast.manager_a
    assert Notification.objects.filter(kind="community.hidden", recipient=cast.rep_a1).exists()


def test_a_report_goes_to_the_queue_and_hiding_resolves_it(cast):
    from kizuna.community import selectors

    question = ask(cast.rep_a1)
    a = answer(question, cast.rep_a2, body="競合の悪口を書きます")
    report = services.post_report(post=a, reporter=cast.rep_b1, reason="他社を中傷しています")
    assert list(selectors.reports_for(cast.manager_a)) == [report]
    assert list(selectors.reports_for(cast.manager_b)) == []
    assert list(selectors.reports_for(cast.rep_a1)) == []
    services.report_resolve(report=report, moderator=cast.manager_a, hide=True, reason="中傷")
    a.refresh_from_db()
    assert a.is_hidden and a.hidden_reason == "中傷"
    assert list(selectors.reports_for(cast.coach)) == []
    question.refresh_from_db()
    assert question.answer_count == 0


def test_editing_a_question_reindexes_it(cast):
    from kizuna.community import selectors

    question = ask(cast.rep_a1, title="値引きの相談")
    services.question_edit(question=question, editor=cast.rep_a1, title="納期の相談", body="")
    question.refresh_from_db()
    assert question.edited_at is not None
    assert selectors.question_list(cast.rep_a1, selectors.ListFilter(q="納期")).questions == [question]
    assert selectors.question_list(cast.rep_a1, selectors.ListFilter(q="値引き")).questions == []
    with pytest.raises(CommunityError):
        services.question_edit(question=question, editor=cast.rep_a2, title="x", body="")
