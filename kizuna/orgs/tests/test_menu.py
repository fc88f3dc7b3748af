import pytest
from django.urls import reverse

from kizuna.orgs.menu import SECTIONS, TOP_BAR


@pytest.mark.parametrize("person", ["admin", "author", "coach", "manager_a", "rep_a1"])
def test_every_link_of_the_menu_opens_for_its_role(cast, client, person):
    user = getattr(cast, person)
    client.force_login(user)
    page = client.get(reverse("orgs:menu"))
    assert page.status_code == 200
    links = [link for section in page.context["sections"] for link in section["links"]]
    assert links, "every role has something to open"
    for link in links:
        response = client.get(link["url"], follow=True)
        assert response.status_code == 200, f"{person} cannot open {link['url_name']} ({link['url']})"


def test_the_menu_shows_a_role_only_its_own_links(cast, client):
    client.force_login(cast.rep_a1)
    names = {link["url_name"] for s in client.get(reverse("orgs:menu")).context["sections"] for link in s["links"]}
    assert {
        "community:community",
        "coaching:roleplay_home",
        "feedback:field_voice",
        "notifications:notifications",
    } <= names
    assert not names & {
        "orgs:partners",
        "catalog:studio",
        "kpis:kpi_board",
        "agreements:agreements",
        "certification:webhooks",
    }


def test_every_menu_entry_names_a_route():
    for section in SECTIONS:
        for entry in section.entries:
            assert reverse(entry.url_name)


def test_every_top_bar_entry_names_a_route():
    for entry in TOP_BAR:
        assert reverse(entry.url_name)


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("rep_a1", ["learning:home", "community:community", "coaching:roleplay_home"]),
        (
            "manager_a",
            [
                "analytics:partner_dashboard",
                "orgs:people",
                "agreements:compliance",
                "kpis:kpi_board",
                "coaching:roleplay_home",
            ],
        ),
        (
            "admin",
            [
                "analytics:principal_dashboard",
                "catalog:studio",
                "kpis:kpi_board",
                "coaching:roleplay_home",
                "community:community",
            ],
        ),
        (
            "author",
            ["analytics:principal_dashboard", "catalog:studio", "coaching:roleplay_home", "community:community"],
        ),
        ("coach", ["coaching:coach_home", "kpis:kpi_board", "coaching:roleplay_home", "community:community"]),
    ],
)
def test_the_top_bar_shows_each_role_its_own_links_in_order(cast, client, person, expected):
    client.force_login(getattr(cast, person))
    page = client.get(reverse("orgs:menu")).content.decode()
    nav = page[page.index('<nav class="topnav"') : page.index("</nav>")]
    hrefs = [reverse(name) for name in [*expected, "orgs:menu", "accounts:profile"]]
    assert [h for h in hrefs if f'href="{h}"' in nav] == hrefs
    positions = [nav.index(f'href="{h}"') for h in hrefs]
    assert positions == sorted(positions)
    assert nav.count("<a ") == len(hrefs)
