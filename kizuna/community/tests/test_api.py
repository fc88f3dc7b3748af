"""The community's JSON API: the same visibility and names as the pages, search included."""

from django.urls import reverse

from kizuna.community import services
from kizuna.orgs.models import NameDisplay
from kizuna.orgs.sharing import pseudonym, sharing_policy_set

from .conftest import answer, ask

LIST = "/api/v1/community/questions"


def test_the_list_searches_and_names_people_per_the_setting(cast, client):
    sharing_policy_set(community_names=NameDisplay.PSEUDONYM, ranking_names="agency", review_names="pseudonym")
    ask(cast.rep_a1, title="引越しの繁忙期の訪問")
    ask(cast.rep_a2, title="値引きの相談")
    client.force_login(cast.rep_b1)
    data = client.get(LIST, {"q": "引っ越し"}).json()
    assert data["count"] == 1
    assert data["items"][0]["title"] == "引越しの繁忙期の訪問"
    assert data["items"][0]["author"] == pseudonym(cast.rep_a1)
    assert client.get(LIST, {"limit": 1}).json()["count"] == 2


def test_one_question_with_its_answers_and_hidden_ones_are_404(cast, client):
    question = ask(cast.rep_a1)
    a = answer(question, cast.coach)
    client.force_login(cast.rep_a2)
    data = client.get(f"{LIST}/{question.pk}").json()
    assert data["answers"][0]["id"] == a.pk and data["answers"][0]["by_coach"] is True
    services.post_hide(post=question, moderator=cast.manager_a, reason="重複")
    assert client.get(f"{LIST}/{question.pk}").status_code == 404
    assert client.get(LIST).json()["count"] == 0
    client.force_login(cast.manager_a)
    assert client.get(f"{LIST}/{question.pk}").json()["hidden"] is True
    client.force_login(cast.manager_b)
    assert client.get(f"{LIST}/{question.pk}").status_code == 404


def test_the_api_route_is_named(cast):
    assert reverse("api:community_question", kwargs={"community_question_id": 1}) == f"{LIST}/1"
