"""Every way content reaches reps is refused while it uses an insider term without a plain explanation: the same
check (catalog.text_checks) on courses and each lesson kind, scenarios, surveys, flash updates, live sessions,
roleplays and success stories, with one message naming the words and a link to explain them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kizuna.catalog import services as catalog
from kizuna.catalog.models import CourseVersion
from kizuna.catalog.text_checks import unexplained_terms_problems
from kizuna.plain import services

EXPLAIN_LINK = 'href="/studio/glossary/?unexplained=1"'


@pytest.fixture
def yomi(cast):
    """An insider term with no plain explanation: it blocks publishing until an author explains it."""
    return services.term_save(editor=cast.author, term_ja="ヨミ", is_jargon=True)


def _explain(cast, term):
    services.term_explain(editor=cast.author, term=term, explanation="契約になりそうな見込み", lang="ja")


def _course(cast, *, title="見込みの講座", kind="article", body="お客様の話を聞きます。", **lesson):
    course = catalog.course_create(author=cast.author, title=title, slug=f"c-{abs(hash((title, body))) % 10**8}")
    module = catalog.module_create(course=course, title="はじめに")
    catalog.lesson_create(module=module, kind=kind, title="聞き方", body=body, **lesson)
    return course


def test_the_message_names_every_unexplained_term_once_with_a_link_to_explain_them(cast, yomi):
    services.term_save(editor=cast.author, term_ja="KGI", is_jargon=True)
    [message] = unexplained_terms_problems("今月のヨミとKGI", "来月のヨミ")
    assert "「ヨミ」、「KGI」" in message and message.count("ヨミ") == 1
    assert EXPLAIN_LINK in message and "用語集" in message


def test_the_message_is_in_english_for_an_english_speaking_author(cast, yomi):
    with translation.override("en"):
        [message] = unexplained_terms_problems("毎週ヨミを出す")
    assert "Not published: the insider term “ヨミ” has no plain explanation" in message
    assert "Explain it in the glossary" in message


def test_nothing_is_refused_while_every_insider_term_is_explained(cast, yomi):
    _explain(cast, yomi)
    assert unexplained_terms_problems("毎週ヨミを出す") == []


def test_a_course_is_refused_for_a_term_in_its_title_summary_or_any_lessons_text(cast, yomi):
    video_course = _course(cast, title="ヨミの基本", body="")
    assert any("ヨミ" in p for p in catalog.course_publish_problems(video_course))
    with pytest.raises(catalog.CatalogError, match="ヨミ"):
        catalog.course_publish(course=video_course, publisher=cast.author)
    assert not CourseVersion.objects.filter(course=video_course).exists()


def test_a_video_lessons_description_is_checked_like_an_article(cast, yomi):
    course = _course(cast, kind="video", body="動画でヨミを学びます。")
    assert any("ヨミ" in p and EXPLAIN_LINK in p for p in catalog.course_publish_problems(course))


def test_the_studio_shows_the_refusal_with_a_working_link_to_the_glossary(cast, yomi, signed_in):
    course = _course(cast, body="毎週金曜にヨミを出します。")
    client = signed_in(cast.author)
    page = client.post(reverse("catalog:studio_course_publish", args=[course.pk]), follow=True).content.decode()
    assert "「ヨミ」" in page and EXPLAIN_LINK in page
    assert not CourseVersion.objects.filter(course=course).exists()
    glossary = client.get(reverse("plain:glossary") + "?unexplained=1").content.decode()
    assert reverse("plain:term_edit", args=[yomi.pk]) in glossary


def test_the_glossarys_unexplained_list_leaves_out_explained_terms(cast, yomi, signed_in):
    roi = services.term_save(editor=cast.author, term_ja="ROI", is_jargon=True, explanation_ja="もうけ")
    page = signed_in(cast.author).get(reverse("plain:glossary") + "?unexplained=1").content.decode()
    assert f"term-{yomi.pk}" in page and f"term-{roi.pk}" not in page


def test_after_explaining_the_term_the_course_is_published(cast, yomi):
    course = _course(cast, body="毎週金曜にヨミを出します。")
    _explain(cast, yomi)
    assert catalog.course_publish(course=course, publisher=cast.author).number == 1


def _scenario(cast, **overrides):
    from kizuna.scenarios.services import scenario_import
    from kizuna.scenarios.tests.helpers import tiny_graph

    return scenario_import(tiny_graph(**overrides), author=cast.author)


def _with_commentary(text):
    from kizuna.scenarios.tests.helpers import tiny_graph

    nodes = tiny_graph()["nodes"]
    nodes[1]["choices"][0]["commentary"] = text
    return nodes


def test_a_scenario_is_not_published_while_a_moments_commentary_uses_the_term(cast, yomi):
    from kizuna.scenarios.errors import ScenarioError
    from kizuna.scenarios.services import scenario_problems, scenario_publish

    scenario = _scenario(cast, nodes=_with_commentary("ここでヨミを確かめるのがコツです。"))
    [problem] = scenario_problems(scenario)
    assert problem.node == "b" and problem.terms == ("ヨミ",)
    with pytest.raises(ScenarioError):
        scenario_publish(scenario=scenario, publisher=cast.author)
    assert scenario.versions.count() == 0
    _explain(cast, yomi)
    assert scenario_publish(scenario=scenario, publisher=cast.author).number == 1


def test_a_scenarios_title_is_checked_too(cast, yomi):
    from kizuna.scenarios.services import scenario_problems

    [problem] = scenario_problems(_scenario(cast, title="ヨミを聞く"))
    assert problem.path == "title" and "ヨミ" in problem.message


def test_the_scenario_studio_marks_the_moment_and_links_to_the_glossary(cast, yomi, signed_in):
    scenario = _scenario(cast, nodes=_with_commentary("ヨミが大事"))
    client = signed_in(cast.author)
    page = client.post(reverse("scenarios:studio_scenario_publish", args=[scenario.pk]), follow=True)
    body = page.content.decode()
    assert "「ヨミ」" in body and EXPLAIN_LINK in body
    assert scenario.versions.count() == 0


def test_a_course_with_a_scenario_lesson_names_the_scenarios_term_with_the_link(cast, yomi):
    scenario = _scenario(cast, nodes=_with_commentary("ヨミが大事"))
    course = _course(cast, kind="scenario", content_id=scenario.pk)
    problems = catalog.course_publish_problems(course)
    assert any("ヨミ" in p and EXPLAIN_LINK in p for p in problems)


def test_a_flash_update_is_not_published_with_the_term_in_its_title(cast, yomi):
    from kizuna.updates import services as updates

    update = updates.update_create(author=cast.author, title="今週のヨミ", body="金曜までに出してください。")
    with pytest.raises(updates.UpdateError, match="ヨミ"):
        updates.update_publish(update=update, publisher=cast.author, notify=False)
    update.refresh_from_db()
    assert not update.is_published


def test_a_surveys_choice_options_are_checked(cast, yomi):
    from kizuna.surveys import services as surveys

    survey = surveys.survey_create(author=cast.author, title="来月について")
    surveys.survey_question_add(survey=survey, kind="single", text="一番難しいのは?", options=["ヨミ", "訪問"])
    with pytest.raises(surveys.SurveyError, match="ヨミ"):
        surveys.survey_publish(survey=survey, publisher=cast.author)


def _session(cast, **overrides):
    from kizuna.live import services as live

    values = {
        "title": "新料金プラン説明会",
        "description": "ヨミの出し方を説明します。",
        "starts_at": (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0),
        "duration_minutes": 60,
        "time_zone": "Asia/Tokyo",
        "join_url": "https://meet.example.com/kizuna-123",
        **overrides,
    }
    return live.live_session_create(author=cast.author, data=live.SessionData(**values))


def test_a_live_session_is_not_opened_to_all_reps_with_the_term_in_its_description(cast, yomi):
    from kizuna.live import services as live

    with pytest.raises(live.LiveError, match="ヨミ") as refused:
        _session(cast, open_to_all=True)
    assert refused.value.field == "description"


def test_a_live_session_with_the_term_is_not_assigned_to_reps(cast, yomi):
    from kizuna.live import services as live

    session = _session(cast)  # a draft nobody sees yet may be saved
    with pytest.raises(live.LiveError, match="ヨミ"):
        live.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a)
    assert not session.audience.exists()


def test_a_roleplay_is_not_published_with_the_term_in_its_situation(cast, yomi):
    from kizuna.coaching import services as coaching
    from kizuna.coaching.errors import CoachingError
    from kizuna.coaching.tests.helpers import CRITERIA

    roleplay = coaching.roleplay_create(
        author=cast.author,
        title="初回訪問",
        situation="ヨミの高いお客様",
        persona="社長",
        goal="次の約束",
        criteria=CRITERIA,
    )
    with pytest.raises(CoachingError, match="ヨミ"):
        coaching.roleplay_publish(roleplay=roleplay)
    roleplay.refresh_from_db()
    assert roleplay.status != "published"


def test_a_success_story_is_not_published_while_its_lesson_uses_the_term(cast, yomi):
    from kizuna.stories import services as stories
    from kizuna.stories.tests.helpers import interviewed

    story = interviewed(cast)
    stories.story_draft(story=story, author=cast.author)
    catalog.module_create(course=story.course, title="ヨミの話")
    catalog.lesson_create(module=story.course.modules.last(), kind="article", title="補足", body="本文")
    with pytest.raises(stories.StoryError, match="ヨミ") as refused:
        stories.story_publish(story=story, publisher=cast.author)
    assert EXPLAIN_LINK in refused.value.message
    story.refresh_from_db()
    assert story.status == "drafted"
