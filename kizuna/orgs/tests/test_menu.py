import pytest
from django.urls import reverse

from kizuna.orgs.menu import SECTIONS


@pytest.mark.parametrize("person", ["admin", "author", "coach", "manager_a", "rep_a1"])
def test_every_link_of_the_menu_opens_for_its_role(cast, client, person):
    user = getattr(cast, person)
    client.force_login(user)
    page = client.get(reverse("menu"))
    assert page.status_code == 200
    links = [link for section in page.context["sections"] for link in section["links"]]
    assert links, "every role has something to open"
    for link in links:
        response = client.get(link["url"], follow=True)
        assert response.status_code == 200, f"{person} cannot open {link['url_name']} ({link['url']})"


def test_the_menu_shows_a_role_only_its_own_links(cast, client):
    client.force_login(cast.rep_a1)
    names = {link["url_name"] for s in client.get(reverse("menu")).context["sections"] for link in s["links"]}
    assert {"community", "roleplay_home", "field_voice", "notifications"} <= names
    assert not names & {"partners", "studio", "kpi_board", "agreements", "webhooks"}


def test_every_menu_entry_names_a_route():
    for section in SECTIONS:
        for entry in section.entries:
            assert reverse(entry.url_name)
