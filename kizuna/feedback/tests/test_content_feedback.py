"""Content feedback: a rep says whether a lesson worked with customers; the author handles it; the rep sees what changed."""

import uuid

import pytest
from django.urls import reverse

from kizuna.feedback import services, vocab
from kizuna.feedback.models import LessonFeedback
from kizuna.feedback.services import FeedbackError
from kizuna.notifications.models import Notification
from kizuna.records.models import LessonProgress, Statement

from .conftest import give_feedback


@pytest.fixture
def lesson(article_course):
    return article_course.latest_version.lessons.first()


def test_feedback_is_a_commented_statement_under_the_lesson(cast, lesson):
    feedback = give_feedback(cast.rep_a1, lesson, worked=True, comment="お客様に刺さりました")
    st = Statement.objects.get(verb=vocab.COMMENTED.iri)
    assert st.object_type == vocab.TYPE_CONTENT_FEEDBACK.iri and st.actor == cast.rep_a1
    assert st.result == {"success": True, "response": "お客様に刺さりました"}
    parents = [p["id"] for p in st.context["contextActivities"]["parent"]]
    assert parents[0].endswith(f"/xapi/activities/lesson/{lesson.key}/v1")
    assert feedback.partner == cast.partner_a and feedback.lesson_key == lesson.key
    # Giving feedback is not progress in the lesson.
    assert not LessonProgress.objects.filter(user=cast.rep_a1, lesson=lesson).exists()


def test_there_is_one_feedback_per_rep_and_lesson_version_and_the_rep_may_edit_it(cast, lesson):
    first = give_feedback(cast.rep_a1, lesson, worked=False, comment="通じませんでした")
    second = give_feedback(cast.rep_a1, lesson, worked=True, comment="言い方を変えたら通じました")
    assert first.pk == second.pk and LessonFeedback.objects.count() == 1
    second.refresh_from_db()
    assert second.worked and second.comment == "言い方を変えたら通じました"
    assert Statement.objects.filter(verb=vocab.COMMENTED.iri).count() == 2


def test_a_repeated_submission_changes_nothing(cast, lesson):
    sid = uuid.uuid4()
    for _ in range(2):
        services.lesson_feedback_submit(rep=cast.rep_a1, lesson=lesson, worked=True, comment="", submission_id=sid)
    assert LessonFeedback.objects.count() == 1 and Statement.objects.filter(id=sid).count() == 1


def test_only_reps_give_feedback(cast, lesson):
    with pytest.raises(FeedbackError):
        give_feedback(cast.manager_a, lesson)
    assert not LessonFeedback.objects.exists()


def test_handling_tells_the_rep_what_changed_and_editing_opens_it_again(cast, lesson):
    feedback = give_feedback(cast.rep_a1, lesson)
    services.lesson_feedback_handle(feedback=feedback, by=cast.author, note="料金の例を追加しました。")
    feedback.refresh_from_db()
    assert feedback.is_handled and feedback.handled_by == cast.author
    note = Notification.objects.get(recipient=cast.rep_a1)
    assert note.kind == "feedback.lesson_feedback_handled" and note.url == f"/learn/lessons/{lesson.pk}/#feedback"
    give_feedback(cast.rep_a1, lesson, worked=True, comment="追加の例で通じました")
    feedback.refresh_from_db()
    assert feedback.status == LessonFeedback.Status.OPEN


def test_the_lesson_page_shows_the_form_to_reps_and_nothing_to_others(cast, client, lesson):
    client.force_login(cast.rep_a1)
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert 'id="feedback"' in page and reverse("feedback:lesson_feedback", args=[lesson.pk]) in page
    client.force_login(cast.coach)
    assert 'id="feedback"' not in client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()


def test_a_rep_sends_feedback_from_the_lesson_page_and_later_sees_the_authors_note(cast, client, lesson):
    client.force_login(cast.rep_a1)
    response = client.post(
        reverse("feedback:lesson_feedback", args=[lesson.pk]),
        {"submission_id": uuid.uuid4(), "worked": "no", "comment": "価格の話で止まりました"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/learn/lessons/{lesson.pk}/#feedback")
    feedback = LessonFeedback.objects.get()
    assert not feedback.worked
    services.lesson_feedback_handle(feedback=feedback, by=cast.author, note="価格の切り返し例を追加しました")
    page = client.get(reverse("learning:lesson", args=[lesson.pk])).content.decode()
    assert "価格の切り返し例を追加しました" in page and "価格の話で止まりました" in page


def test_a_missing_verdict_is_explained_and_the_comment_kept(cast, client, lesson):
    client.force_login(cast.rep_a1)
    response = client.post(
        reverse("feedback:lesson_feedback", args=[lesson.pk]),
        {"submission_id": uuid.uuid4(), "comment": "途中まで書いた"},
    )
    assert response.status_code == 200 and "途中まで書いた" in response.content.decode()
    assert "「うまくいった」か「うまくいかなかった」を選んでください" in response.content.decode()
    assert not LessonFeedback.objects.exists()


def test_partner_b_cannot_give_feedback_on_partner_as_lesson(cast, client, lesson):
    client.force_login(cast.rep_b1)
    response = client.post(
        reverse("feedback:lesson_feedback", args=[lesson.pk]), {"submission_id": uuid.uuid4(), "worked": "yes"}
    )
    assert response.status_code == 404 and not LessonFeedback.objects.exists()


def test_the_author_sees_the_lesson_in_the_inbox_and_handles_the_feedback(cast, client, lesson):
    feedback = give_feedback(cast.rep_a1, lesson, comment="事例が古い")
    client.force_login(cast.author)
    inbox = client.get(reverse("feedback:feedback_inbox"))
    assert [item.lesson_id for item in inbox.context["lessons"]] == [lesson.pk]
    page = client.get(reverse("feedback:feedback_lesson", args=[lesson.pk])).content.decode()
    assert "事例が古い" in page and "営業 一子" in page
    response = client.post(
        reverse("feedback:feedback_handle", args=[feedback.pk]), {"note": "最新の事例に差し替えました"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.is_handled and feedback.handled_note == "最新の事例に差し替えました"
    assert client.get(reverse("feedback:feedback_inbox")).context["lessons"] == []


def test_a_manager_sees_only_their_agencys_feedback_and_cannot_handle_it(cast, client, lesson):
    mine = give_feedback(cast.rep_a1, lesson, comment="A社の声")
    client.force_login(cast.manager_a)
    page = client.get(reverse("feedback:feedback_lesson", args=[lesson.pk])).content.decode()
    assert "A社の声" in page
    assert client.post(reverse("feedback:feedback_handle", args=[mine.pk]), {"note": "x"}).status_code == 404
    client.force_login(cast.manager_b)
    assert client.get(reverse("feedback:feedback_lesson", args=[lesson.pk])).status_code == 404
    assert client.get(reverse("feedback:feedback_inbox")).context["lessons"] == []


@pytest.mark.parametrize("who", ["rep_a1", "rep_b1", "coach", "manager_b"])
def test_only_authors_and_admins_handle_feedback(cast, client, lesson, who):
    feedback = give_feedback(cast.rep_a1, lesson)
    client.force_login(getattr(cast, who))
    assert client.post(reverse("feedback:feedback_handle", args=[feedback.pk]), {"note": "x"}).status_code == 404
    feedback.refresh_from_db()
    assert not feedback.is_handled
