"""Today's review answered on a phone without a connection and sent later: scored on the server when it arrives,
rescheduled as of the moment it was given (the same FSRS result as online), counted once, and the verdict
returned in JSON for the phone to show."""

import re
import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from fsrs import Rating

from kizuna.assessments import spacing
from kizuna.assessments.models import ReviewCard

from .test_review_pages import due, review_statements  # noqa: F401  (the fixture)


def _first_question(client):
    page = client.get(reverse("assessments:review")).content.decode()
    assert 'data-offline-kept="' in page and 'data-pack="/pwa/review/pack/"' in page
    return int(re.search(r'action="/review/questions/(\d+)/"', page).group(1))


def test_an_answer_kept_offline_is_scheduled_as_of_when_it_was_given_and_counts_once(cast, due, client):  # noqa: F811 (the fixture)
    client.force_login(cast.rep_a1)
    question_id = _first_question(client)
    card = ReviewCard.objects.get(rep=cast.rep_a1, question_id=question_id)
    before = spacing.card_of(card)
    right = {
        due["single"].pk: {"answer": "1"},
        due["truefalse"].pk: {"answer": "true"},
        due["short"].pk: {"answer": "オートクローズ"},
    }[question_id]
    at = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    form = {"sid": str(uuid.uuid4()), "shown": "0", "at": at.isoformat(), "seconds": "60", **right}
    url = reverse("assessments:review_question", args=[question_id])
    response = client.post(url, form, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["review"] is True and body["correct"] is True and body["question"] == str(card.question)
    card.refresh_from_db()
    # Answered in 60 s (the phone's count, not the server's since the page was saved): Hard, at the phone's time.
    expected, _log = spacing.SCHEDULER.review_card(before, Rating.Hard, review_datetime=spacing.utc(at))
    assert spacing.utc(card.last_review) == spacing.utc(at)
    assert spacing.utc(card.due) == expected.due and card.reviews == 2
    # Sent again (Background Sync and a page at once): nothing more.
    again = client.post(url, form, HTTP_ACCEPT="application/json")
    assert again.status_code == 200 and review_statements() == 1
    card.refresh_from_db()
    assert card.reviews == 2


def test_an_offline_answer_too_old_or_unreadable_is_refused_in_the_reps_language(cast, due, client):  # noqa: F811 (the fixture)
    client.force_login(cast.rep_a1)
    question_id = _first_question(client)
    url = reverse("assessments:review_question", args=[question_id])
    old = (timezone.now() - timedelta(days=30)).isoformat()
    for at, words in ((old, "14 日"), ("yesterday", "時刻")):
        response = client.post(url, {"sid": str(uuid.uuid4()), "at": at, "answer": "1"}, HTTP_ACCEPT="application/json")
        assert response.status_code == 400 and words in response.json()["error"]
    assert review_statements() == 0


def test_todays_review_is_saved_with_its_questions_pages(cast, due, client):  # noqa: F811 (the fixture)
    client.force_login(cast.rep_a1)
    bundle = client.get("/pwa/review/pack/").json()
    (pack,) = bundle["packs"]
    cards = [f"/review/questions/{c.question_id}/" for c in ReviewCard.objects.filter(rep=cast.rep_a1)]
    assert pack["key"] == "review" and pack["page"] == "/review/"
    assert sorted(pack["extra"]["cards"]) == sorted(cards) and pack["urls"] == ["/review/", *pack["extra"]["cards"]]
    assert "review" in [p["key"] for p in client.get("/pwa/next-up/pack/").json()["packs"]]
    client.force_login(cast.manager_a)
    assert client.get("/pwa/review/pack/").status_code == 404
