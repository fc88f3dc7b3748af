"""The privacy notice: open to everyone, in Japanese and English, linked from sign-in, the footer and the menu."""

from datetime import date

from django.test import Client
from django.urls import reverse


def test_anyone_can_read_it_in_japanese(db):
    html = Client().get(reverse("privacy:privacy_notice"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "個人情報の取り扱い" in html and "保存期間" in html and "90 日" in html
    assert "所属会社の管理者" in html  # the visibility table


def test_anyone_can_read_it_in_english(db):
    html = Client().get(reverse("privacy:privacy_notice"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How Kizuna uses your data" in html and "For how long" in html and "90 days" in html


def test_it_gives_the_retention_of_the_reps_own_agreement(cast, signed_in):
    from kizuna.agreements.services import agreement_version_create

    agreement_version_create(
        partner=cast.partner_a,
        created_by=cast.admin,
        effective_from=date(2020, 1, 1),
        courses=[],
        min_minutes_per_month=0,
        counts_as_work=False,
        work_cap_minutes_per_month=None,
        evaluation_text="",
        share_rankings=False,
        share_reviews=False,
        share_community=False,
        manager_may_export=True,
        retention_days=30,
    )
    html = signed_in(cast.rep_a1).get(reverse("privacy:privacy_notice")).content.decode()
    assert "30 日" in html


def test_the_sign_in_page_and_the_menu_link_to_it(cast, signed_in):
    assert reverse("privacy:privacy_notice") in Client().get(reverse("account_login")).content.decode()
    menu = signed_in(cast.rep_a1).get(reverse("orgs:menu")).content.decode()
    assert reverse("privacy:privacy_notice") in menu and reverse("privacy:my_data") in menu
