"""Survey services: building, publishing an immutable version, sending, answering once, and the statements."""

import uuid

import pytest
from django.urls import reverse

from kizuna.records.models import Statement
from kizuna.surveys import services, vocab
from kizuna.surveys.models import SurveyResponse
from kizuna.surveys.services import SurveyError

from .conftest import answers, build_survey


def test_publishing_freezes_the_questions_into_a_version_that_later_edits_do_not_change(cast):
    survey = build_survey(cast)
    version = survey.latest_version
    assert [q["kind"] for q in version.questions] == ["likert", "nps", "single", "multiple", "text"]
    services.survey_question_add(survey=survey, kind="text", text="追加の質問")
    version.refresh_from_db()
    assert len(version.questions) == 5
    survey.refresh_from_db()
    assert survey.has_unpublished_changes
    second = services.survey_publish(survey=survey, publisher=cast.author)
    assert second.number == 2 and len(second.questions) == 6


def test_it_refuses_choice_questions_without_two_distinct_choices(cast):
    survey = services.survey_create(author=cast.author, title="t")
    with pytest.raises(SurveyError):
        services.survey_question_add(survey=survey, kind="single", text="どれ?", options=["A"])
    with pytest.raises(SurveyError):
        services.survey_question_add(survey=survey, kind="multiple", text="どれ?", options=["A", "A"])
    with pytest.raises(SurveyError):
        services.survey_publish(survey=survey, publisher=cast.author)


def test_an_answer_is_stored_once_per_rep_and_version_with_its_statements(cast, sent_survey):
    version = sent_survey.latest_version
    sid = uuid.uuid4()
    response, created = services.survey_response_submit(
        rep=cast.rep_a1, version=version, data=answers(version, text="動画が分かりやすい"), statement_id=sid
    )
    assert created and response.partner_id == cast.partner_a.pk
    assert response.answers[version.questions[2]["key"]] == "製品"
    assert response.answers[version.questions[3]["key"]] == ["ロープレ"]
    again, created_again = services.survey_response_submit(
        rep=cast.rep_a1, version=version, data=answers(version, likert="1"), statement_id=uuid.uuid4()
    )
    assert not created_again and again.pk == response.pk and SurveyResponse.objects.count() == 1
    completed = Statement.objects.get(id=sid)
    assert completed.verb == vocab.COMPLETED.iri and completed.object_type == vocab.TYPE_SURVEY.iri
    answered = Statement.objects.filter(verb=vocab.ANSWERED.iri, actor=cast.rep_a1)
    assert answered.count() == 5
    assert {s.object_definition["interactionType"] for s in answered} == {"likert", "numeric", "choice", "fill-in"}


def test_it_refuses_out_of_range_and_missing_required_answers_and_writes_nothing(cast, sent_survey):
    version = sent_survey.latest_version
    data = answers(version, likert="6", nps="")
    with pytest.raises(SurveyError) as info:
        services.survey_response_submit(rep=cast.rep_a1, version=version, data=data, statement_id=uuid.uuid4())
    likert, nps = version.questions[0]["key"], version.questions[1]["key"]
    assert set(info.value.errors) == {likert, nps}
    assert not Statement.objects.filter(actor=cast.rep_a1).exists()
    assert not SurveyResponse.objects.exists()


def test_sending_notifies_each_rep_of_the_partner_once(cast, survey):
    from kizuna.notifications.models import Notification

    services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a])
    services.survey_send(survey=survey, sent_by=cast.author, teams=[cast.team_a1])
    notified = set(Notification.objects.values_list("recipient_id", flat=True))
    assert notified == {cast.rep_a1.pk, cast.rep_a2.pk}
    assert Notification.objects.filter(recipient=cast.rep_a1).count() == 1


def test_it_refuses_to_send_a_survey_that_was_never_published(cast):
    survey = services.survey_create(author=cast.author, title="未公開")
    with pytest.raises(SurveyError):
        services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a])


def test_a_survey_request_shows_it_was_answered_since(cast, survey, client):
    services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a])
    client.force_login(cast.rep_a1)
    url = reverse("notifications:notifications")
    assert "回答済み" not in client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    version = survey.latest_version
    services.survey_response_submit(
        rep=cast.rep_a1, version=version, data=answers(version, likert="4", nps="9"), statement_id=uuid.uuid4()
    )
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode().count("に回答済み") == 1
