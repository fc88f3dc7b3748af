"""The "use in a course" page: an author puts a quiz, scenario, survey or video into a course from its own screen."""

import pytest
from django.urls import reverse

from kizuna.assessments import services as assessments
from kizuna.assessments.kinds import register_kinds as register_quiz_kinds
from kizuna.catalog import services as catalog
from kizuna.catalog.models import Lesson
from kizuna.scenarios.services import scenario_create
from kizuna.surveys.kinds import register_kinds as register_survey_kinds
from kizuna.surveys.services import survey_create


@pytest.fixture(autouse=True)
def _real_kinds():
    # Another app's test may have replaced the kinds with a stand-in and removed it afterwards.
    from kizuna.catalog import kinds
    from kizuna.scenarios.content_kind import SCENARIO_KIND

    register_quiz_kinds()
    register_survey_kinds()
    kinds.register(SCENARIO_KIND)


@pytest.fixture
def module(cast):
    course = catalog.course_create(author=cast.author, title="製品の基本", slug="basics")
    catalog.module_create(course=course, title="はじめに")
    return catalog.module_create(course=course, title="確認")


@pytest.fixture
def quiz(cast):
    return assessments.quiz_create(author=cast.author, title="料金の確認テスト")


def use_url(kind, ref):
    return reverse("catalog:studio_lesson_use") + f"?kind={kind}&id={ref}"


def test_an_author_puts_a_quiz_into_a_chosen_module(cast, signed_in, module, quiz):
    client = signed_in(cast.author)
    page = client.get(use_url("quiz", quiz.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="料金の確認テスト"' in html  # the lesson's title defaults to the quiz's
    assert '<optgroup label="製品の基本">' in html
    response = client.post(use_url("quiz", quiz.pk), {"module": module.pk, "title": "確認", "estimated_minutes": 7})
    lesson = Lesson.objects.get()
    assert (lesson.module, lesson.kind, lesson.content_id, lesson.title) == (module, "quiz", quiz.pk, "確認")
    assert lesson.estimated_minutes == 7
    assert response["Location"] == reverse("catalog:studio_course", args=[module.course_id]) + f"#lesson-{lesson.pk}"


def test_a_scenario_and_a_survey_become_lessons_of_their_kind(cast, signed_in, module):
    client = signed_in(cast.author)
    scenario = scenario_create(author=cast.author, title="値引きを求められたら", slug="discount")
    survey = survey_create(author=cast.author, title="研修後アンケート")
    for kind, ref in (("scenario", scenario.pk), ("survey", survey.pk)):
        client.post(use_url(kind, ref), {"module": module.pk, "title": kind, "estimated_minutes": 5})
    assert sorted(Lesson.objects.values_list("kind", "content_id")) == [
        ("scenario", scenario.pk),
        ("survey", survey.pk),
    ]


def test_a_video_becomes_a_video_lesson_timed_by_its_length(cast, signed_in, module, make_video):
    video = make_video(title="初回訪問")
    video.duration_seconds = 125
    video.save()
    client = signed_in(cast.author)
    assert 'name="estimated_minutes" value="3"' in client.get(use_url("video", video.pk)).content.decode()
    client.post(use_url("video", video.pk), {"module": module.pk, "title": "初回訪問", "estimated_minutes": 3})
    lesson = Lesson.objects.get()
    assert (lesson.kind, lesson.video, lesson.content_id) == ("video", video, None)


def test_it_asks_for_a_module_and_writes_nothing_without_one(cast, signed_in, module, quiz):
    client = signed_in(cast.author)
    response = client.post(use_url("quiz", quiz.pk), {"module": "", "title": "確認", "estimated_minutes": 5})
    assert response.status_code == 200
    assert "この項目は必須です" in response.content.decode()
    response = client.post(use_url("quiz", quiz.pk), {"module": "99999", "title": "確認", "estimated_minutes": 5})
    assert response.status_code == 200
    assert not Lesson.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["", "?kind=quiz", "?kind=quiz&id=99999", "?kind=quiz&id=abc", "?kind=article&id=1", "?kind=nope&id=1"],
)
def test_it_answers_404_to_what_it_cannot_offer(cast, signed_in, quiz, query):
    response = signed_in(cast.author).get(reverse("catalog:studio_lesson_use") + query)
    assert response.status_code == 404


def test_people_who_do_not_author_courses_get_404(cast, signed_in, quiz):
    for person in (cast.coach, cast.manager_a, cast.rep_a1):
        assert signed_in(person).get(use_url("quiz", quiz.pk)).status_code == 404


def test_it_says_what_to_do_when_no_course_has_a_module(cast, signed_in, quiz):
    html = signed_in(cast.author).get(use_url("quiz", quiz.pk)).content.decode()
    assert reverse("catalog:studio_course_new") in html
    assert 'name="module"' not in html


def test_each_kinds_own_screen_links_to_use_it_in_a_course(cast, signed_in, quiz, make_video):
    micro = assessments.quiz_create(author=cast.author, title="料金のチェック", micro=True)
    scenario = scenario_create(author=cast.author, title="値引きを求められたら", slug="discount")
    survey = survey_create(author=cast.author, title="研修後アンケート")
    video = make_video()
    screens = {
        reverse("assessments:studio_quiz", args=[quiz.pk]): use_url("quiz", quiz.pk),
        reverse("assessments:studio_quiz", args=[micro.pk]): use_url("micro", micro.pk),
        reverse("scenarios:studio_scenario", args=[scenario.pk]): use_url("scenario", scenario.pk),
        reverse("surveys:studio_survey", args=[survey.pk]): use_url("survey", survey.pk),
        reverse("media:video_detail", args=[video.pk]): use_url("video", video.pk),
    }
    client = signed_in(cast.author)
    for screen, link in screens.items():
        html = client.get(screen).content.decode()
        assert f'href="{link.replace("&", "&amp;")}"' in html, screen
        assert "コースで使う" in html


def test_a_coach_sees_the_video_page_without_the_course_link(cast, signed_in, make_video):
    video = make_video()
    html = signed_in(cast.coach).get(reverse("media:video_detail", args=[video.pk])).content.decode()
    assert "studio/lessons/use/" not in html
