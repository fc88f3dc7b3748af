"""The principal's admin erases a departed person: what the preview says happens, happens, to them only."""

from typing import Any

import pytest
from django.urls import reverse

from kizuna.community.models import Question
from kizuna.feedback.models import FieldVoice, LessonFeedback
from kizuna.gamification.models import PointAward, RepScore
from kizuna.notifications.models import Notification
from kizuna.privacy.models import ErasureRecord
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, Statement


@pytest.fixture
def departed(histories: Any) -> Any:
    rep = histories.rep_a1
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    return rep


def _erase(client: Any, person: Any, **data: str) -> Any:
    body = {"reason": "本人からの依頼 (2026年12月1日)", "confirmation": person.email, **data}
    return client.post(reverse("privacy:person_erase", kwargs={"person_id": person.pk}), body)


def _projections(user: Any) -> list[Any]:
    return [
        sorted(LessonProgress.objects.filter(user=user).values_list("lesson_id", "completed_at", "time_spent_seconds")),
        sorted(CourseProgress.objects.filter(user=user).values_list("course_id", "completed_at", "lessons_completed")),
        sorted(LearningDay.objects.filter(user=user).values_list("day", "seconds", "statements")),
        sorted(PointAward.objects.filter(user=user).values_list("kind", "ref", "points")),
        list(RepScore.objects.filter(user=user).values_list("points", "level", "streak")),
    ]


def test_it_anonymizes_the_account(departed, signed_in):
    email = departed.email
    response = _erase(signed_in(departed.__class__.objects.get(email="admin@principal.example")), departed)
    assert response.status_code == 302
    departed.refresh_from_db()
    assert departed.name.startswith("#") and departed.email.endswith("@anonymized.invalid")
    assert email != departed.email and not departed.has_usable_password() and not departed.is_active


def test_it_removes_the_persons_free_texts_and_keeps_the_others(departed, histories, signed_in):
    _erase(signed_in(histories.admin), departed)
    assert FieldVoice.objects.get(rep=departed).text == ""
    assert LessonFeedback.objects.get(rep=departed).comment == ""
    question = Question.objects.get(author=departed)
    assert "一子" not in question.title and question.body == ""
    assert FieldVoice.objects.get(rep=histories.rep_a2).text == "二郎が聞いた質問"
    assert LessonFeedback.objects.get(rep=histories.rep_a2).comment == "二郎の感想"
    assert Question.objects.get(author=histories.rep_a2).title == "二郎の質問"


def test_it_removes_free_texts_from_the_persons_statements_only(departed, histories, signed_in):
    before = Statement.objects.filter(actor=departed).count()
    _erase(signed_in(histories.admin), departed)
    assert Statement.objects.filter(actor=departed).count() == before  # the source of truth stays
    texts = [str(st.result) + str(st.object_name) for st in Statement.objects.filter(actor=departed)]
    assert not [t for t in texts if "一子" in t], texts
    others = " ".join(str(st.result) for st in Statement.objects.filter(actor=histories.rep_a2))
    assert "二郎が聞いた質問" in others


def test_it_deletes_the_persons_notifications_only(departed, histories, signed_in):
    assert Notification.objects.filter(recipient=departed).exists()
    _erase(signed_in(histories.admin), departed)
    assert not Notification.objects.filter(recipient=departed).exists()
    assert Notification.objects.filter(recipient=histories.rep_a2).exists()


def test_projections_stay_equal_to_a_rebuild(departed, histories, signed_in):
    from kizuna.records.projections import rebuild_everything

    before = _projections(departed)
    assert before[0], "the rep has progress to keep"
    _erase(signed_in(histories.admin), departed)
    assert _projections(departed) == before
    rebuild_everything()
    assert _projections(departed) == before


def test_it_logs_who_erased_whom_when_and_why(departed, histories, signed_in):
    client = signed_in(histories.admin)
    public_id = departed.public_id
    _erase(client, departed)
    record = ErasureRecord.objects.get()
    assert record.person_id == departed.pk and record.person_public_id == public_id
    assert record.erased_by == histories.admin and record.reason == "本人からの依頼 (2026年12月1日)"
    assert record.person_organization == "パートナーA株式会社"
    assert record.summary["field_voice"] == 1
    page = client.get(reverse("privacy:privacy_erasure")).content.decode()
    assert "本人からの依頼" in page and histories.admin.name in page


def test_the_preview_says_what_will_happen(departed, histories, signed_in):
    page = signed_in(histories.admin).get(reverse("privacy:person_erase", kwargs={"person_id": departed.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "削除" in html and "匿名" in html and 'id="erasure-preview"' in html


def test_it_refuses_a_person_who_has_not_left(histories, signed_in):
    response = _erase(signed_in(histories.admin), histories.rep_a2)
    assert response.status_code == 400
    assert "退職した人だけ" in response.content.decode()
    histories.rep_a2.refresh_from_db()
    assert histories.rep_a2.email == "rep2@partner-a.example" and not ErasureRecord.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("confirmation", "wrong@example.com"), ("reason", "  ")])
def test_it_refuses_without_a_typed_confirmation_and_a_reason(departed, histories, signed_in, field, value):
    response = _erase(signed_in(histories.admin), departed, **{field: value})
    assert response.status_code == 400
    departed.refresh_from_db()
    assert departed.email == "rep1@partner-a.example"
    assert FieldVoice.objects.get(rep=departed).text == "一子が聞いた質問"
    assert not ErasureRecord.objects.exists()


def test_partner_managers_coaches_and_reps_are_refused(departed, histories, signed_in):
    for outsider in (histories.manager_a, histories.manager_b, histories.rep_b1, histories.rep_a2, histories.coach):
        client = signed_in(outsider)
        assert _erase(client, departed).status_code == 404
        assert client.get(reverse("privacy:privacy_erasure")).status_code == 404
    departed.refresh_from_db()
    assert departed.email == "rep1@partner-a.example" and not ErasureRecord.objects.exists()


def test_the_search_finds_departed_people_only(departed, histories, signed_in):
    html = signed_in(histories.admin).get(reverse("privacy:privacy_erasure"), {"q": "営業"}).content.decode()
    assert departed.name in html and histories.rep_a2.name not in html


def test_free_text_survey_answers_are_erased_and_a_rebuild_does_not_bring_them_back(cast, signed_in):
    import uuid

    from kizuna.surveys import services as surveys
    from kizuna.surveys.models import SurveyResponse
    from kizuna.surveys.projections import rebuild
    from kizuna.surveys.tests.conftest import answers, build_survey

    survey = build_survey(cast)
    surveys.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a])
    version = survey.latest_version
    for rep, text in ((cast.rep_a1, "一子の意見"), (cast.rep_a2, "二郎の意見")):
        surveys.survey_response_submit(
            rep=rep, version=version, data=answers(version, text=text), statement_id=uuid.uuid4()
        )
    cast.rep_a1.is_active = False
    cast.rep_a1.save(update_fields=["is_active"])
    _erase(signed_in(cast.admin), cast.rep_a1)
    for _round in ("live", "rebuilt"):
        mine = SurveyResponse.objects.get(rep=cast.rep_a1).answers
        assert "一子の意見" not in str(mine) and len(mine) == 4  # the four scored answers stay
        assert "二郎の意見" in str(SurveyResponse.objects.get(rep=cast.rep_a2).answers)
        rebuild()
    texts = " ".join(str(st.result) for st in Statement.objects.filter(actor=cast.rep_a1))
    assert "一子の意見" not in texts


def test_kudos_messages_about_the_person_are_emptied(departed, histories, signed_in):
    from kizuna.gamification.models import Kudos

    _erase(signed_in(histories.admin), departed)
    assert Kudos.objects.get(recipient=departed).message == ""
    assert Kudos.objects.get(recipient=histories.rep_a2).message == "二郎へのサンクス"
