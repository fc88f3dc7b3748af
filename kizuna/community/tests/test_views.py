"""The community's pages over HTTP: asking, answering, voting, accepting, moderating, and the refusals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.community import services
from kizuna.community.models import Answer, Question, Report
from kizuna.ops.repcache import rep_changed
from kizuna.tests.stored_support import fetched

from .conftest import answer, ask, photo


def test_a_rep_asks_a_question_from_the_form(cast, signed_in, topic):
    client = signed_in(cast.rep_a1)
    assert client.get(reverse("community:community_ask")).status_code == 200
    response = client.post(
        reverse("community:community_ask"), {"title": "値引きの断り方", "body": "教えてください", "tags": [topic.pk]}
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    page = client.get(question.get_absolute_url()).content.decode()
    assert "値引きの断り方" in page and "反論への対応" in page


def test_a_question_without_a_title_says_what_to_fix(cast, signed_in):
    response = signed_in(cast.rep_a1).post(reverse("community:community_ask"), {"title": "", "body": "本文"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "質問を1文で書いてください。" in page or "Write your question in one sentence." in page
    assert not Question.objects.exists()


def test_similar_questions_are_suggested_while_typing(cast, signed_in):
    existing = ask(cast.rep_b1, title="値引きを求められたときの返し方")
    response = signed_in(cast.rep_a1).get(reverse("community:community_similar"), {"title": "値引きをお願いされたら"})
    assert existing.get_absolute_url() in response.content.decode()
    assert "<html" not in response.content.decode()
    empty = signed_in(cast.rep_a1).get(reverse("community:community_similar"), {"title": "天気"})
    assert existing.get_absolute_url() not in empty.content.decode()


def test_another_rep_answers_votes_and_the_asker_accepts(cast, signed_in, client):
    question = ask(cast.rep_a1)
    client.force_login(cast.rep_a2)
    response = client.post(
        reverse("community:community_answer_post", args=[question.pk]), {"body": "まず**価値**を伝えます"}
    )
    a = Answer.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#answer-{a.pk}")
    client.force_login(cast.rep_b1)
    client.post(reverse("community:community_answer_vote", args=[a.pk]))
    client.post(reverse("community:community_answer_vote", args=[a.pk]), {"action": "vote"})  # a second tap
    a.refresh_from_db()
    assert a.score == 1
    # Only the asker (or a coach) may accept.
    assert client.post(reverse("community:community_answer_accept", args=[a.pk])).status_code == 404
    client.force_login(cast.rep_a1)
    client.post(reverse("community:community_answer_accept", args=[a.pk]))
    assert Question.objects.get().accepted_answer == a
    page = client.get(question.get_absolute_url()).content.decode()
    assert "<strong>価値</strong>" in page


def test_an_empty_answer_is_refused_with_a_message(cast, signed_in):
    question = ask(cast.rep_a1)
    response = signed_in(cast.rep_a2).post(
        reverse("community:community_answer_post", args=[question.pk]), {"body": " "}
    )
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_the_list_searches_and_filters(cast, signed_in, product):
    ask(cast.rep_a1, title="引越しの繁忙期の訪問", product=product)
    ask(cast.rep_a2, title="値引きの相談")
    client = signed_in(cast.rep_b1)
    page = client.get(reverse("community:community"), {"q": "引っ越し"}).content.decode()
    assert "引越しの繁忙期の訪問" in page and "値引きの相談" not in page
    page = client.get(reverse("community:community"), {"product": product.pk}).content.decode()
    assert "引越しの繁忙期の訪問" in page and "値引きの相談" not in page


def test_the_list_and_the_question_page_take_a_fixed_number_of_queries(cast, signed_in, topic, product):
    question = ask(cast.rep_a1, tags=[topic], product=product)
    for n in range(3):
        answer(question, cast.rep_a2, body=f"回答{n}")
        ask(cast.rep_b1, title=f"質問{n}", tags=[topic], product=product)
    client = signed_in(cast.rep_a2)
    client.get(reverse("community:community"))  # the rep's first page ever also makes their state token
    counts = []
    for _round in range(2):
        rep_changed(cast.rep_a2.pk)  # the list is kept for a while: count it made afresh each round
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("community:community")).status_code == 200
        with CaptureQueriesContext(connection) as ctx2:
            assert client.get(question.get_absolute_url()).status_code == 200
        counts.append((len(ctx), len(ctx2)))
        ask(cast.rep_b1, title="もう一つ", tags=[topic], product=product)
        answer(question, cast.rep_b1)
    assert counts[0] == counts[1]
    assert counts[0][0] <= 10 and counts[0][1] <= 11


def test_a_moderator_hides_a_post_and_reps_then_get_404(cast, signed_in, client):
    question = ask(cast.rep_a1)
    client.force_login(cast.manager_a)
    client.post(
        reverse("community:community_question_hide", args=[question.pk]), {"action": "hide", "reason": "重複です"}
    )
    assert Question.objects.get().is_hidden
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200 and "重複です" in page.content.decode()
    for person in (cast.rep_a1, cast.rep_a2, cast.rep_b1, cast.manager_b):
        client.force_login(person)
        assert client.get(question.get_absolute_url()).status_code == 404


def test_partner_b_manager_cannot_moderate_partner_a_posts(cast, signed_in):
    question = ask(cast.rep_a1)
    response = signed_in(cast.manager_b).post(
        reverse("community:community_question_hide", args=[question.pk]), {"action": "hide", "reason": "x"}
    )
    assert response.status_code == 404
    assert not Question.objects.get().is_hidden


def test_a_rep_reports_and_the_manager_resolves_from_the_queue(cast, client):
    question = ask(cast.rep_a1)
    client.force_login(cast.rep_a2)
    assert client.get(reverse("community:community_question_report", args=[question.pk])).status_code == 200
    client.post(reverse("community:community_question_report", args=[question.pk]), {"reason": "個人情報があります"})
    report = Report.objects.get()
    assert client.get(reverse("community:community_reports")).status_code == 404
    client.force_login(cast.manager_b)
    assert "個人情報があります" not in client.get(reverse("community:community_reports")).content.decode()
    assert (
        client.post(reverse("community:community_report_resolve", args=[report.pk]), {"action": "hide"}).status_code
        == 404
    )
    client.force_login(cast.manager_a)
    assert "個人情報があります" in client.get(reverse("community:community_reports")).content.decode()
    client.post(
        reverse("community:community_report_resolve", args=[report.pk]), {"action": "hide", "reason": "個人情報"}
    )
    assert Question.objects.get().hidden_reason == "個人情報"


def test_only_the_author_or_a_moderator_edits(cast, client):
    question = ask(cast.rep_a1)
    a = answer(question, cast.rep_a2)
    client.force_login(cast.rep_b1)
    assert client.get(reverse("community:community_question_edit", args=[question.pk])).status_code == 404
    assert client.get(reverse("community:community_answer_edit", args=[a.pk])).status_code == 404
    client.force_login(cast.rep_a2)
    client.post(reverse("community:community_answer_edit", args=[a.pk]), {"body": "書き直しました"})
    a.refresh_from_db()
    assert a.body == "書き直しました" and a.edited_at is not None


def test_a_photo_is_served_without_its_location_and_only_to_those_who_see_the_post(cast, client):
    from io import BytesIO

    from PIL import Image

    question = ask(cast.rep_a1, image=photo())
    client.force_login(cast.rep_b1)
    response = fetched(client, reverse("community:community_question_image", args=[question.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(BytesIO(response.body)) as image:
        assert image.format == "JPEG" and not image.getexif()
    services.post_hide(post=question, moderator=cast.coach, reason="x")
    assert client.get(reverse("community:community_question_image", args=[question.pk])).status_code == 404


def test_a_file_that_is_not_a_picture_is_refused(cast, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = signed_in(cast.rep_a1).post(reverse("community:community_ask"), {"title": "写真つき", "image": fake})
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_the_community_profile_shows_recognized_answers_within_the_agency(cast, client):
    question = ask(cast.rep_a1)
    a = answer(question, cast.rep_a2)
    services.answer_accept(answer=a, by=cast.rep_a1)
    client.force_login(cast.manager_a)
    page = client.get(reverse("community:community_person", args=[cast.rep_a2.pk]))
    assert page.status_code == 200 and question.title in page.content.decode()
    client.force_login(cast.rep_b1)
    assert client.get(reverse("community:community_person", args=[cast.rep_a2.pk])).status_code == 404
    assert client.get(reverse("community:community_person", args=[cast.coach.pk])).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["community:community", "community:community_ask", "community:community_similar", "community:community_reports"],
)
def test_people_without_a_membership_get_404_and_anonymous_are_sent_to_sign_in(client, db, name):
    from kizuna.accounts.models import User

    assert client.get(reverse(name)).status_code == 302
    client.force_login(User.objects.create_user("nobody@example.com", "x", name="誰か"))
    assert client.get(reverse(name)).status_code == 404


def test_the_activity_iri_of_a_question_resolves_to_its_page(cast, client):
    question = ask(cast.rep_a1)
    client.force_login(cast.rep_a2)
    response = client.get(reverse("community:community_question_activity", args=[question.key]))
    assert response.status_code == 302 and response.url == question.get_absolute_url()


def test_the_unfilled_search_form_is_kept_but_shows_a_new_product_and_a_chosen_filter(cast, signed_in, product):
    from kizuna.catalog.models import Product

    client = signed_in(cast.rep_a1)
    first = client.get(reverse("community:community")).content.decode()
    assert product.name in first and 'name="product"' in first
    again = client.get(reverse("community:community")).content.decode()
    assert again.count('name="product"') == 1  # the kept form is the same form, shown once
    Product.objects.create(name="クラウド給与", slug="cloud-payroll")  # published content changed
    assert "クラウド給与" in client.get(reverse("community:community")).content.decode()
    filtered = client.get(reverse("community:community"), {"product": product.pk}).content.decode()
    assert f'<option value="{product.pk}" selected>' in filtered  # a filter in use is never the kept form
