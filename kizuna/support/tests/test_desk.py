"""The support desk: asking with the page and a screenshot, answering, assigning, response times, isolation."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.notifications.models import Notification
from kizuna.support import selectors, services
from kizuna.support.models import Ticket
from kizuna.tests.stored_support import fetched

from .helpers import ask, png

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_rep_asks_from_a_page_and_the_page_is_kept(cast):
    client = _client(cast.rep_a1)
    form = client.get(reverse("support:ticket_new"), {"from": "/learn/courses/?tag=customer_voice"})
    assert form.context["form"]["page_url"].value() == "/learn/courses/?tag=customer_voice"
    response = client.post(
        reverse("support:ticket_new"),
        {
            "category": "how_to",
            "subject": "復習の使い方",
            "body": "今日の3分復習はどこから始めますか。",
            "page_url": "/learn/courses/?tag=customer_voice",
            "screenshot": png(),
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("support:ticket", args=[ticket.pk])
    assert ticket.partner_id == cast.partner_a.pk and ticket.status == Ticket.Status.NEW
    assert ticket.page_url == "/learn/courses/?tag=customer_voice"
    assert ticket.screenshot.endswith(".jpg")
    shot = fetched(client, reverse("support:ticket_screenshot", args=[ticket.pk]))
    assert shot.status_code == 200 and shot.body[:3] == b"\xff\xd8\xff"


def test_the_page_comes_from_the_referer_when_the_link_did_not_carry_it(cast):
    form = _client(cast.manager_a).get(
        reverse("support:ticket_new"), HTTP_REFERER="http://testserver/compliance/?gaps=1"
    )
    assert form.context["form"]["page_url"].value() == "/compliance/?gaps=1"


@pytest.mark.parametrize("page", ["https://evil.example/x", "//evil.example/", "javascript:alert(1)", "/a" * 400])
def test_it_drops_a_page_that_is_not_a_path_of_this_site(cast, page):
    assert ask(cast.rep_a1, page_url=page).page_url == ""


def test_it_refuses_a_file_that_only_claims_to_be_a_picture(cast):
    fake = SimpleUploadedFile("screen.png", b"%PDF-1.4 not a picture" * 50, content_type="image/png")
    with pytest.raises(services.SupportError) as error:
        ask(cast.rep_a1, screenshot=fake)
    assert error.value.field == "screenshot"
    assert not Ticket.objects.exists()


def test_it_refuses_a_screenshot_over_the_size_limit(cast):
    big = png()
    big.size = services.SCREENSHOT_MAX_MB * 1024 * 1024 + 1
    with pytest.raises(services.SupportError, match="5"):
        ask(cast.rep_a1, screenshot=big)


def test_a_bad_screenshot_keeps_what_was_typed_and_says_why(cast):
    response = _client(cast.rep_a1).post(
        reverse("support:ticket_new"),
        {"category": "problem", "subject": "件名", "body": "本文", "screenshot": SimpleUploadedFile("a.png", b"nope")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["screenshot"]
    assert response.context["form"]["subject"].value() == "件名"
    assert not Ticket.objects.exists()


def test_an_empty_question_gets_a_message_and_no_ticket(cast):
    response = _client(cast.rep_a1).post(
        reverse("support:ticket_new"), {"category": "problem", "subject": " ", "body": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Ticket.objects.exists()


def test_the_principal_staff_cannot_open_a_ticket_of_their_own(cast):
    assert _client(cast.admin).get(reverse("support:ticket_new")).status_code == 404
    with pytest.raises(services.SupportError):
        ask(cast.author)


def test_a_new_question_notifies_the_operations_team(cast):
    ticket = ask(cast.rep_a1)
    sent = Notification.objects.get(kind="support.asked")
    assert sent.recipient_id == cast.admin.pk and sent.url == reverse("support:ticket", args=[ticket.pk])


def test_an_answer_notifies_the_asker_and_records_the_first_response_time(cast):
    ticket = ask(cast.manager_a, now=timezone.now() - timedelta(hours=3))
    response = _client(cast.admin).post(
        reverse("support:ticket", args=[ticket.pk]), {"body": "設定画面から変更できます。"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ANSWERED and ticket.assignee_id == cast.admin.pk
    assert timedelta(hours=3) <= selectors.response_time(ticket) < timedelta(hours=3, minutes=1)
    note = Notification.objects.get(kind="support.answered")
    assert note.recipient_id == cast.manager_a.pk
    assert "答え" in note.title_text or "回答" in note.title_text


def test_a_follow_up_goes_back_to_the_assignee(cast):
    ticket = ask(cast.rep_a1)
    services.ticket_reply(ticket=ticket, author=cast.admin, body="再読み込みしてください。")
    services.ticket_reply(ticket=ticket, author=cast.rep_a1, body="まだ見られません。")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_PROGRESS
    assert Notification.objects.filter(kind="support.followed_up", recipient=cast.admin).exists()


def test_closing_and_replying_reopens(cast):
    ticket = ask(cast.rep_a1)
    _client(cast.rep_a1).post(reverse("support:ticket_close", args=[ticket.pk]))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED and ticket.closed_at
    services.ticket_reply(ticket=ticket, author=cast.rep_a1, body="もう一つ質問です。")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW and ticket.closed_at is None


def test_it_assigns_only_to_the_operations_team(cast):
    ticket = ask(cast.rep_a1)
    client = _client(cast.admin)
    client.post(reverse("support:ticket_assign", args=[ticket.pk]), {"assignee": cast.coach.pk})
    ticket.refresh_from_db()
    assert ticket.assignee_id is None
    client.post(reverse("support:ticket_assign", args=[ticket.pk]), {"assignee": cast.admin.pk})
    ticket.refresh_from_db()
    assert ticket.assignee_id == cast.admin.pk and ticket.status == Ticket.Status.IN_PROGRESS


def test_the_queue_shows_open_questions_oldest_first_with_their_wait(cast):
    now = timezone.now()
    old = ask(cast.rep_a1, subject="古い質問", now=now - timedelta(hours=5))
    ask(cast.rep_b1, subject="新しい質問", now=now - timedelta(minutes=10))
    done = ask(cast.manager_b, subject="答えた質問", now=now - timedelta(days=2))
    services.ticket_reply(ticket=done, author=cast.admin, body="回答です。", now=now - timedelta(days=1))
    response = _client(cast.admin).get(reverse("support:queue"))
    rows = response.context["rows"]
    assert [t.subject for t, _wait in rows] == ["古い質問", "新しい質問"]
    assert rows[0][1] == "5時間0分" or rows[0][1].startswith("5 h")
    assert response.context["summary"].open == 2
    assert response.context["summary"].median_first_response == timedelta(days=1)
    assert old.pk in [t.pk for t, _wait in rows]


def test_an_agency_sees_only_its_own_questions(cast):
    a = ask(cast.rep_a1, subject="Aの質問")
    b = ask(cast.rep_b1, subject="Bの質問")
    a_manager = _client(cast.manager_a).get(reverse("support:tickets")).content.decode()
    assert "Aの質問" in a_manager and "Bの質問" not in a_manager
    other_rep = _client(cast.rep_a2).get(reverse("support:tickets")).content.decode()
    assert "Aの質問" not in other_rep  # a rep sees their own questions only
    assert _client(cast.manager_b).get(reverse("support:ticket", args=[a.pk])).status_code == 404
    assert _client(cast.manager_a).get(reverse("support:ticket", args=[b.pk])).status_code == 404
    assert _client(cast.manager_a).get(reverse("support:queue")).status_code == 404


def test_the_notification_list_says_when_the_question_was_closed_since(cast):
    ticket = ask(cast.rep_a1)
    services.ticket_reply(ticket=ticket, author=cast.admin, body="回答です。", now=timezone.now() - timedelta(hours=1))
    services.ticket_close(ticket=ticket, by=cast.rep_a1)
    states = selectors.ticket_states(cast.rep_a1, [ticket.pk])
    assert states[ticket.pk].changed_at > Notification.objects.get(kind="support.answered").created_at
