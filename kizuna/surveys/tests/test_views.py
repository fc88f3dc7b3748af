"""Survey screens: an author builds, publishes and sends a survey; a rep answers it; a survey lesson."""

import uuid

from conftest import publish_course
from kizuna.notifications.models import Notification
from kizuna.records.models import LessonProgress
from kizuna.surveys.models import Survey, SurveyResponse

from .conftest import answers, build_survey


def test_an_author_builds_publishes_and_sends_a_survey(cast, signed_in):
    client = signed_in(cast.author)
    response = client.post("/studio/surveys/", {"title": "商談同行アンケート", "intro": ""})
    survey = Survey.objects.get()
    assert response.status_code == 302
    url = f"/studio/surveys/{survey.pk}/"
    client.post(url + "questions/", {"kind": "nps", "text": "勧めますか?", "required": "on"})
    bad = client.post(url + "questions/", {"kind": "single", "text": "どれ?", "options": "一つだけ"})
    assert bad.status_code == 400 and "少なくとも2つ" in bad.content.decode()
    client.post(url + "publish")
    survey.refresh_from_db()
    assert survey.latest_version.number == 1
    sent = client.post(url + "send", {"partners": [cast.partner_a.pk]})
    assert sent.status_code == 302
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="surveys.sent").exists()
    assert not Notification.objects.filter(recipient=cast.rep_b1).exists()


def test_a_rep_answers_a_sent_survey_and_a_retry_is_not_counted_twice(cast, sent_survey, signed_in):
    version = sent_survey.latest_version
    client = signed_in(cast.rep_a1)
    listing = client.get("/surveys/")
    assert "研修の満足度アンケート" in listing.content.decode()
    form = client.get(f"/surveys/answer/{version.pk}/")
    assert form.status_code == 200 and "同僚にこの研修を勧めますか?" in form.content.decode()
    data = {**answers(version), "sid": str(uuid.uuid4())}
    assert client.post(f"/surveys/answer/{version.pk}/", data).status_code == 302
    assert client.post(f"/surveys/answer/{version.pk}/", data).status_code == 302
    assert SurveyResponse.objects.filter(rep=cast.rep_a1).count() == 1


def test_a_missing_answer_is_explained_in_japanese_and_the_entries_are_kept(cast, sent_survey, signed_in):
    version = sent_survey.latest_version
    data = {**answers(version, likert="", text="残したい文章"), "sid": str(uuid.uuid4())}
    page = signed_in(cast.rep_a1).post(f"/surveys/answer/{version.pk}/", data)
    body = page.content.decode()
    assert page.status_code == 400 and "この質問に回答してください" in body and "残したい文章" in body
    assert not SurveyResponse.objects.exists()


def test_partner_b_reps_get_404_for_a_survey_sent_to_partner_a(cast, sent_survey, signed_in):
    version = sent_survey.latest_version
    assert signed_in(cast.rep_b1).get(f"/surveys/answer/{version.pk}/").status_code == 404
    data = {**answers(version), "sid": str(uuid.uuid4())}
    assert signed_in(cast.rep_b1).post(f"/surveys/answer/{version.pk}/", data).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_studio_is_refused_to_coaches_managers_and_reps(cast, survey, signed_in):
    for person in (cast.coach, cast.manager_a, cast.rep_a1):
        assert signed_in(person).get(f"/studio/surveys/{survey.pk}/").status_code == 404


def test_a_survey_lesson_at_the_course_end_is_answered_on_the_lesson_page_and_completes_it(cast, signed_in):
    survey = build_survey(cast, title="修了アンケート")
    course = publish_course(
        cast,
        slug="with-survey",
        title="アンケート付きコース",
        lessons=[
            {"kind": "article", "title": "本文", "body": "本文です。"},
            {"kind": "survey", "title": "修了アンケート", "content_id": survey.pk},
        ],
    )
    lesson = course.latest_version.lessons.get(kind="survey")
    version = survey.latest_version
    assert lesson.content_id == version.pk
    client = signed_in(cast.rep_a1)
    page = client.get(f"/learn/lessons/{lesson.pk}/")
    assert "研修は役に立ちましたか?" in page.content.decode()
    posted = client.post(f"/learn/lessons/{lesson.pk}/survey", {**answers(version), "sid": str(uuid.uuid4())})
    assert posted.status_code == 302
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is not None
    assert SurveyResponse.objects.get(rep=cast.rep_a1).lesson_id == lesson.pk
    assert "回答済み" in client.get(f"/learn/lessons/{lesson.pk}/").content.decode()
    assert signed_in(cast.rep_b1).post(f"/learn/lessons/{lesson.pk}/survey", {}).status_code == 404


def test_the_course_studio_offers_survey_lessons_with_the_published_surveys(cast, survey, signed_in):
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="新コース", slug="new-course")
    module = catalog.module_create(course=course, title="はじめに")
    client = signed_in(cast.author)
    assert "アンケート" in client.get(f"/studio/modules/{module.pk}/lessons/new/").content.decode()
    form = client.get(f"/studio/modules/{module.pk}/lessons/new/?kind=survey").content.decode()
    assert "研修の満足度アンケート(5問)" in form


def test_a_survey_already_answered_when_sent_still_completes_its_lesson(cast, sent_survey, signed_in):
    version = sent_survey.latest_version
    client = signed_in(cast.rep_a1)
    client.post(f"/surveys/answer/{version.pk}/", {**answers(version), "sid": str(uuid.uuid4())})
    course = publish_course(
        cast,
        slug="end-survey",
        title="修了アンケート付き",
        lessons=[{"kind": "survey", "title": "アンケート", "content_id": sent_survey.pk}],
    )
    lesson = course.latest_version.lessons.get()
    assert lesson.content_id == version.pk
    assert "このレッスンを完了する" in client.get(f"/learn/lessons/{lesson.pk}/").content.decode()
    client.post(f"/learn/lessons/{lesson.pk}/survey", {"sid": str(uuid.uuid4())})
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is not None
    assert SurveyResponse.objects.filter(rep=cast.rep_a1).count() == 1
