"""Nominating a success, the rep's consent and interview, the author's one-action draft, publishing with credit."""

import pytest
from django.urls import reverse

from kizuna.notifications.models import Notification
from kizuna.stories import services
from kizuna.stories.models import SuccessStory

from .helpers import interviewed, nominated

pytestmark = pytest.mark.django_db


def test_a_manager_nominates_their_rep_and_the_rep_is_asked(cast, signed_in):
    client = signed_in(cast.manager_a)
    response = client.post(
        reverse("stories:nominate"),
        {"rep": cast.rep_a1.pk, "headline": "大口契約を獲得", "source": "rising_talent", "source_note": "成約率 +12pt"},
    )
    story = SuccessStory.objects.get()
    assert response.status_code == 302
    assert story.partner == cast.partner_a and story.nominated_by == cast.manager_a and story.source == "rising_talent"
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="stories.nominated").exists()


def test_a_manager_cannot_nominate_another_agencys_rep(cast, signed_in):
    response = signed_in(cast.manager_b).post(
        reverse("stories:nominate"), {"rep": cast.rep_a1.pk, "headline": "x", "source": "manual"}
    )
    assert response.status_code == 200
    assert not SuccessStory.objects.exists()


def test_it_refuses_a_nomination_without_a_headline(cast):
    with pytest.raises(services.StoryError):
        services.story_nominate(by=cast.coach, rep=cast.rep_a1, headline="   ")


def test_the_nomination_form_is_prefilled_from_a_field_voice_entry(cast, signed_in):
    import uuid

    from kizuna.feedback.services import field_voice_record

    voice = field_voice_record(
        rep=cast.rep_a1,
        kind="question",
        text="導入後のサポート体制を聞かれ、事例で答えたら即決でした",
        submission_id=uuid.uuid4(),
    )
    page = signed_in(cast.coach).get(reverse("stories:nominate") + f"?voice={voice.pk}")
    html = page.content.decode()
    assert "即決でした" in html and 'value="field_voice" selected' in html


def test_a_reps_no_keeps_the_story_unshared(cast, signed_in):
    story = nominated(cast)
    signed_in(cast.rep_a1).post(reverse("stories:consent", args=[story.pk]), {"answer": "no"})
    story.refresh_from_db()
    assert story.status == SuccessStory.Status.DECLINED
    with pytest.raises(services.StoryError):
        services.story_interview_save(story=story, rep=cast.rep_a1, situation="a", tried="", worked="b", advice="")


def test_the_rep_consents_and_answers_the_interview(cast, signed_in):
    story = nominated(cast)
    client = signed_in(cast.rep_a1)
    client.post(reverse("stories:consent", args=[story.pk]), {"answer": "yes", "credit": "agency"})
    response = client.post(
        reverse("stories:interview", args=[story.pk]),
        {"situation": "競合に押されていた", "tried": "事例を見せた", "worked": "導入事例の動画", "advice": "まず聞く"},
    )
    story.refresh_from_db()
    assert response.status_code == 302
    assert story.status == SuccessStory.Status.INTERVIEWED and story.credit == "agency"
    assert Notification.objects.filter(recipient=cast.author, kind="stories.interviewed").exists()


def test_it_refuses_an_interview_without_the_situation_or_what_worked(cast, signed_in):
    story = nominated(cast)
    services.story_consent(story=story, rep=cast.rep_a1, consent=True, credit="name")
    response = signed_in(cast.rep_a1).post(reverse("stories:interview", args=[story.pk]), {"situation": "状況だけ"})
    story.refresh_from_db()
    assert response.status_code == 400
    assert story.status == SuccessStory.Status.CONSENTED and story.situation == ""


def test_only_the_rep_answers_for_their_story(cast, signed_in):
    story = nominated(cast)
    response = signed_in(cast.rep_a2).post(reverse("stories:consent", args=[story.pk]), {"answer": "yes"})
    assert response.status_code == 404


def test_an_author_makes_a_partner_success_lesson_draft_in_one_action(cast, signed_in):
    story = interviewed(cast)
    response = signed_in(cast.author).post(reverse("stories:draft", args=[story.pk]))
    story.refresh_from_db()
    course = story.course
    assert response.status_code == 302 and response["Location"] == reverse("catalog:studio_course", args=[course.pk])
    assert [t.slug for t in course.tags.all()] == ["partner_success"]
    lesson = course.modules.get().lessons.get()
    assert lesson.kind == "article" and "サポートの速さ" in lesson.body and "値引きより先に" in lesson.body


def test_publishing_credits_the_rep_notifies_them_and_their_manager_and_awards_recognition(cast, signed_in):
    from kizuna.gamification.models import BadgeAward, PointAward
    from kizuna.records.services import projections_eager

    story = interviewed(cast)
    services.story_draft(story=story, author=cast.author)
    with projections_eager():
        response = signed_in(cast.author).post(reverse("stories:publish", args=[story.pk]))
    story.refresh_from_db()
    assert response.status_code == 302 and story.status == SuccessStory.Status.PUBLISHED
    assert story.course.latest_version is not None
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="stories.published").exists()
    assert Notification.objects.filter(recipient=cast.manager_a, kind="stories.published").exists()
    assert not Notification.objects.filter(recipient=cast.manager_b, kind="stories.published").exists()
    assert PointAward.objects.filter(user=cast.rep_a1, kind="success_story").count() == 1
    assert BadgeAward.objects.filter(user=cast.rep_a1, badge__slug="success-story").exists()


def test_publishing_twice_credits_once(cast):
    from kizuna.gamification.models import PointAward
    from kizuna.records.services import projections_eager

    story = interviewed(cast)
    services.story_draft(story=story, author=cast.author)
    with projections_eager():
        services.story_publish(story=story, publisher=cast.author)
        services.story_publish(story=story, publisher=cast.author)
    assert PointAward.objects.filter(user=cast.rep_a1, kind="success_story").count() == 1


@pytest.mark.parametrize(
    ("choice", "policy", "expected"),
    [
        ("name", "real", "営業 一子"),
        ("name", "pseudonym", "パートナーA株式会社"),
        ("agency", "real", "パートナーA株式会社"),
    ],
)
def test_the_credit_follows_the_reps_choice_and_the_sharing_setting(cast, choice, policy, expected):
    from kizuna.orgs.sharing import sharing_policy_set

    sharing_policy_set(community_names=policy, ranking_names="agency", review_names="agency")
    story = interviewed(cast, credit=choice)
    line = services.credit_line(story)
    assert expected in line
    if choice == "agency" or policy != "real":
        assert "営業 一子" not in line


def test_an_author_cannot_draft_before_the_interview(cast):
    story = nominated(cast)
    with pytest.raises(services.StoryError):
        services.story_draft(story=story, author=cast.author)


def test_a_recorded_interview_comes_through_the_resumable_upload(cast, signed_in, tmp_path):
    import subprocess
    import uuid

    from django.conf import settings

    story = nominated(cast)
    services.story_consent(story=story, rep=cast.rep_a1, consent=True, credit="name")
    clip = tmp_path / "answer.mp4"
    subprocess.run(
        [settings.FFMPEG_BINARY, "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10",
         "-f", "lavfi", "-i", "sine=duration=1", "-shortest", "-pix_fmt", "yuv420p", str(clip)],
        check=True,
    )  # fmt: skip
    data = clip.read_bytes()
    client = signed_in(cast.rep_a1)
    state = client.post(
        reverse("stories:upload_create", args=[story.pk]), {"size": len(data), "statement_id": str(uuid.uuid4())}
    ).json()
    half = len(data) // 2
    for start, end in ((0, half), (half, len(data))):
        done = client.put(
            state["url"], data[start:end], content_type="application/octet-stream", HTTP_UPLOAD_OFFSET=str(start)
        )
        assert done.status_code == 200, done.content
    finished = client.post(state["finish_url"])
    assert finished.status_code == 200, finished.content
    story.refresh_from_db()
    assert story.video is not None
    # With the recording, the written answers may stay empty.
    services.story_interview_save(story=story, rep=cast.rep_a1, situation="", tried="", worked="", advice="")
    assert story.status == SuccessStory.Status.INTERVIEWED


def test_the_roleplay_finish_refuses_a_story_upload(cast, signed_in):
    import uuid

    from kizuna.coaching.services import upload_start

    upload = upload_start(rep=cast.rep_a1, roleplay=None, size=3, statement_id=uuid.uuid4())
    response = signed_in(cast.rep_a1).post(reverse("coaching:roleplay_upload_finish", args=[upload.key]))
    assert response.status_code == 400


def test_people_see_only_their_own_agencys_stories(cast, signed_in):
    story = nominated(cast)
    assert signed_in(cast.manager_b).get(reverse("stories:story", args=[story.pk])).status_code == 404
    listing = signed_in(cast.manager_b).get(reverse("stories:stories")).content.decode()
    assert story.headline not in listing
