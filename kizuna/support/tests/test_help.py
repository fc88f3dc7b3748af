"""Help inside the product: a page per screen and role (ja/en), the "?" of every page, the Japanese search,
tips for principals and managers, and a frequent support question turned into a help page."""

from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from kizuna.support import help, services
from kizuna.support.help_content import ENTRIES, TIP
from kizuna.support.models import HelpPage

from .helpers import ask

pytestmark = pytest.mark.django_db
ROLES = ("admin", "author", "coach", "manager", "rep")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tips(role: str) -> list[Any]:
    return [h for h in help.help_pages(role) if h.kind == TIP]


def test_every_built_in_page_has_both_languages_and_real_screens():
    for entry in ENTRIES:
        assert entry.title_ja and entry.body_ja and entry.title_en and entry.body_en, entry.slug
        assert entry.kind == TIP or entry.screens, entry.slug
        if entry.screens:
            reverse(entry.screens[0])  # the "Open this screen" link takes no argument
        for screen in entry.screens[1:]:
            try:
                reverse(screen)
            except NoReverseMatch as error:
                assert "arguments" in str(error) or "with no arguments" in str(error) or "keyword" in str(error), screen


def test_every_role_has_help_for_its_start_page():
    from kizuna.orgs.menu import START_PAGES

    for role, url_name in START_PAGES.items():
        assert help.help_for_screen(role, url_name) is not None, role


def test_the_question_mark_opens_the_help_of_the_screen_one_is_on(cast):
    client = _client(cast.rep_a1)
    home = client.get(reverse("learning:home")).content.decode()
    assert f"{reverse('support:help')}?screen=learning%3Ahome" in home
    response = client.get(reverse("support:help"), {"screen": "learning:home"})
    assert response.status_code == 302 and response["Location"] == reverse("support:help_page", args=["rep-home"])
    page = client.get(response["Location"]).content.decode()
    assert "次にやること" in page


def test_every_screen_of_every_roles_menu_has_a_help_page_of_its_own():
    from kizuna.orgs.menu import SECTIONS

    missing = [
        (entry.url_name, role)
        for section in SECTIONS
        for entry in section.entries
        for role in entry.roles
        if help.help_for_screen(str(role), entry.url_name) is None
    ]
    assert missing == []


def test_the_question_mark_of_a_content_screen_opens_its_own_help(cast):
    client = _client(cast.author)
    for screen, slug, words in (
        ("plain:glossary", "author-glossary", "社内用語"),
        ("freshness:studio", "author-freshness", "見直し期限"),
        ("stories:stories", "success-stories", "同意"),
    ):
        response = client.get(reverse("support:help"), {"screen": screen})
        assert response.status_code == 302 and response["Location"] == reverse("support:help_page", args=[slug])
        assert words in client.get(response["Location"]).content.decode()


def test_a_screen_without_its_own_page_opens_the_help_index(cast):
    response = _client(cast.rep_a1).get(reverse("support:help"), {"screen": "notifications:push_settings"})
    assert response.status_code == 200 and response.context["screens"]


def test_help_is_in_english_for_english_readers(cast):
    client = _client(cast.manager_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("support:help_page", args=["manager-agreement"]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Reviewing and accepting the agreement" in page.content.decode()


def test_a_rep_cannot_read_the_admins_pages_or_tips(cast):
    client = _client(cast.rep_a1)
    assert client.get(reverse("support:help_page", args=["admin-partners"])).status_code == 404
    assert client.get(reverse("support:help_page", args=["tip-first-week"])).status_code == 404
    assert not _tips("rep")


def test_principals_and_managers_get_tips(cast):
    assert {t.slug for t in _tips("manager")} >= {"tip-first-week", "tip-overdue"}
    assert {t.slug for t in _tips("admin")} >= {"tip-first-week", "tip-agreement"}
    html = _client(cast.manager_a).get(reverse("support:help")).content.decode()
    assert 'id="tips"' in html


def test_the_search_finds_japanese_by_its_words_not_its_letters():
    with translation.override("ja"):
        # 見積り and 見積もり are one word to the community's tokenizer; 復習 is in the review page's title.
        assert help.help_search("rep", "復習")[0].slug == "rep-review"
        slugs = [h.slug for h in help.help_search("manager", "合意事項を承認")]
        assert slugs[0] == "manager-agreement"
        assert help.help_search("rep", "ロープレ 動画")[0].slug == "rep-roleplay"
        assert help.help_search("rep", "") == []


def test_the_search_page_lists_results(cast):
    response = _client(cast.manager_a).get(reverse("support:help"), {"q": "期限超過"})
    slugs = [h.slug for h in response.context["results"]]
    assert "tip-overdue" in slugs and "admin-partners" not in slugs


def test_a_frequent_question_becomes_a_help_page_that_the_search_finds(cast):
    ticket = ask(cast.rep_a1, subject="パスワードを忘れました")
    services.ticket_reply(
        ticket=ticket, author=cast.admin, body="ログイン画面の「パスワードをお忘れですか」から再設定できます。"
    )
    client = _client(cast.admin)
    form = client.get(reverse("support:help_from_ticket", args=[ticket.pk]))
    assert form.context["form"]["title_ja"].value() == "パスワードを忘れました"
    assert "再設定" in form.context["form"]["body_ja"].value()
    response = client.post(
        reverse("support:help_from_ticket", args=[ticket.pk]),
        {
            "title_ja": "パスワードを忘れたとき",
            "body_ja": "ログイン画面から再設定できます。",
            "roles": ["manager", "rep"],
        },
    )
    page = HelpPage.objects.get()
    assert response["Location"] == reverse("support:help_page", args=[page.slug])
    assert page.from_ticket_id == ticket.pk
    with translation.override("ja"):
        assert help.help_search("rep", "パスワード 忘れる")[0].slug == page.slug
    assert _client(cast.rep_b1).get(reverse("support:help_page", args=[page.slug])).status_code == 200
    assert _client(cast.coach).get(reverse("support:help_page", args=[page.slug])).status_code == 404


def test_a_help_page_needs_a_title_text_and_readers(cast):
    with pytest.raises(services.SupportError) as error:
        services.help_page_create(created_by=cast.admin, title_ja="題", body_ja="本文", roles=[])
    assert error.value.field == "roles"
    with pytest.raises(services.SupportError):
        services.help_page_create(created_by=cast.manager_a, title_ja="題", body_ja="本文", roles=["rep"])
    assert not HelpPage.objects.exists()


def test_help_markdown_is_sanitized(cast):
    page = services.help_page_create(
        created_by=cast.admin, title_ja="題", body_ja="<script>alert(1)</script>**太字**", roles=["rep"]
    )
    html = _client(cast.rep_a1).get(reverse("support:help_page", args=[page.slug])).content.decode()
    assert "<script>alert" not in html and "<strong>太字</strong>" in html
