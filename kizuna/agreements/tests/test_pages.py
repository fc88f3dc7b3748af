"""The agreement, compliance and learning-time pages: who sees what, acceptance through the page, exports."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import publish_course
from kizuna.agreements.services import CourseTerm

from .helpers import in_days, write_version


@pytest.fixture
def version(cast):
    course = publish_course(
        cast,
        slug="basics",
        title="営業の基本",
        lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}],
        required=False,
        partner=cast.partner_b,
    )
    return write_version(cast, courses=[CourseTerm(course=course, required=True, due_on=in_days(10))])


def test_the_admin_sees_every_partner_and_the_acceptance_status(cast, version, signed_in):
    client = signed_in(cast.admin)
    page = client.get(reverse("agreements:agreements")).content.decode()
    assert cast.partner_a.name in page and cast.partner_b.name in page
    assert "第1版は承認待ちです" in page
    detail = client.get(reverse("agreements:agreement_version", kwargs={"agreement_version_id": version.pk}))
    assert detail.status_code == 200 and "営業の基本" in detail.content.decode()


def test_the_admin_writes_a_version_through_the_form(cast, version, signed_in):
    client = signed_in(cast.admin)
    url = reverse("agreements:agreement_version_new", kwargs={"partner_id": cast.partner_a.pk})
    course_id = version.courses.get().course_id
    form = {
        "agreement-effective_from": in_days(1).isoformat(),
        "agreement-min_minutes_per_month": "90",
        "agreement-counts_as_work": "on",
        "agreement-work_cap_minutes_per_month": "300",
        "agreement-evaluation_text": "評価に反映します。",
        "agreement-share_community": "on",
        "agreement-manager_may_export": "on",
        "agreement-retention_days": "60",
        f"agreement-course_{course_id}": "required",
        f"agreement-due_{course_id}": "",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200 and version.partner.agreement_versions.count() == 1
    form[f"agreement-due_{course_id}"] = in_days(20).isoformat()
    response = client.post(url, form)
    assert response.status_code == 302
    newest = version.partner.agreement_versions.order_by("-number").first()
    assert newest.number == 2 and newest.min_minutes_per_month == 90 and newest.applied_at is None


def test_the_manager_accepts_through_the_page(cast, version, signed_in):
    client = signed_in(cast.manager_a)
    mine = client.get(reverse("agreements:my_agreement")).content.decode()
    assert reverse("agreements:agreement_version", kwargs={"agreement_version_id": version.pk}) in mine
    response = client.post(reverse("agreements:agreement_version_accept", kwargs={"agreement_version_id": version.pk}))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.accepted_by == cast.manager_a


def test_partner_b_and_reps_get_404(cast, version, signed_in):
    for person in (cast.manager_b, cast.rep_a1, cast.rep_b1):
        client = signed_in(person)
        assert (
            client.get(reverse("agreements:agreement_version", kwargs={"agreement_version_id": version.pk})).status_code
            == 404
        )
        assert (
            client.post(
                reverse("agreements:agreement_version_accept", kwargs={"agreement_version_id": version.pk})
            ).status_code
            == 404
        )
        assert (
            client.get(reverse("agreements:compliance_for", kwargs={"partner_id": cast.partner_a.pk})).status_code
            == 404
        )
        assert client.get(reverse("agreements:learning_time_rep", kwargs={"rep_id": cast.rep_a1.pk})).status_code == 404
        assert client.get(reverse("agreements:agreements")).status_code == 404
    version.refresh_from_db()
    assert version.accepted_at is None


def test_the_manager_sees_only_their_own_reps_on_compliance_and_learning_time(cast, version, signed_in):
    client = signed_in(cast.manager_a)
    for name in ("agreements:compliance", "agreements:learning_time"):
        page = client.get(reverse(name)).content.decode()
        assert cast.rep_a1.name in page and cast.rep_b1.name not in page
    assert client.get(reverse("agreements:compliance_for", kwargs={"partner_id": cast.partner_b.pk})).status_code == 404


def test_compliance_shows_overdue_required_work_as_a_gap(cast, signed_in):
    course = publish_course(
        cast,
        slug="late",
        title="期限切れの研修",
        lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}],
        due_in_days=-2,
    )
    write_version(cast, min_minutes_per_month=0, courses=[])
    client = signed_in(cast.manager_a)
    response = client.get(reverse("agreements:compliance") + "?gaps=1")
    page = response.content.decode()
    assert cast.rep_a1.name in page and course.title in page
    rows = {row.rep_id: row for row in response.context["compliance"].rows}
    assert rows[cast.rep_a1.pk].overdue == 1 and rows[cast.rep_a1.pk].has_gap


def test_exports_open_in_a_spreadsheet_library(cast, version, signed_in):
    client = signed_in(cast.manager_a)
    for name in ("agreements:compliance_export", "agreements:learning_time_export"):
        xlsx = client.get(reverse(name) + "?format=xlsx")
        assert xlsx.status_code == 200
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows[0]) >= 5
        csv = client.get(reverse(name) + "?format=csv")
        assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("agreements:compliance_export") + "?format=xlsx").content)
    ).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted([cast.rep_a1.name, cast.rep_a2.name])


def test_a_manager_may_not_export_when_the_agreement_says_so_but_the_admin_may(cast, signed_in):
    write_version(cast, manager_may_export=False)
    manager = signed_in(cast.manager_a)
    assert manager.get(reverse("agreements:compliance_export")).status_code == 404
    assert manager.get(reverse("agreements:learning_time_export")).status_code == 404
    assert "format=xlsx" not in manager.get(reverse("agreements:compliance")).content.decode()
    admin = signed_in(cast.admin)
    url = reverse("agreements:compliance_for_export", kwargs={"partner_id": cast.partner_a.pk})
    assert admin.get(url).status_code == 200


def test_the_principal_sees_every_partner_on_the_compliance_overview(cast, version, signed_in):
    page = signed_in(cast.admin).get(reverse("agreements:compliance")).content.decode()
    assert cast.partner_a.name in page and cast.partner_b.name in page
    assert (
        signed_in(cast.coach)
        .get(reverse("agreements:learning_time_for", kwargs={"partner_id": cast.partner_a.pk}))
        .status_code
        == 200
    )


def test_the_report_pages_take_a_fixed_number_of_queries(cast, version, signed_in, django_assert_max_num_queries):
    from conftest import make_person

    client = signed_in(cast.manager_a)
    pages = (
        reverse("agreements:compliance"),
        reverse("agreements:learning_time"),
        reverse("agreements:learning_time_rep", kwargs={"rep_id": cast.rep_a1.pk}),
    )
    counts = []
    for url in pages:
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    for n in range(5):
        make_person(f"extra{n}@partner-a.example", f"追加 {n}", cast.partner_a, "rep", cast.team_a1)
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)
    assert max(counts) <= 15


def test_the_agreement_shows_the_partners_incentive_rules_only(cast, version, signed_in):
    services = pytest.importorskip("kizuna.incentives.services")
    services.incentive_rule_create(
        partner=cast.partner_a,
        kind="course_on_time",
        amount_yen=3000,
        effective_from=in_days(-1),
        created_by=cast.admin,
        note="期限内修了ボーナス",
    )
    services.incentive_rule_create(
        partner=cast.partner_b,
        kind="course_on_time",
        amount_yen=9999,
        effective_from=in_days(-1),
        created_by=cast.admin,
    )
    page = signed_in(cast.manager_a).get(
        reverse("agreements:agreement_version", kwargs={"agreement_version_id": version.pk})
    )
    text = page.content.decode()
    assert "期限内修了ボーナス" in text and "3,000" in text and "9,999" not in text


def test_compliance_lists_reps_with_gaps_first_a_page_at_a_time(cast, signed_in, monkeypatch):
    from kizuna.agreements import views

    course = publish_course(
        cast,
        slug="late-b",
        title="期限切れの研修",
        lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}],
        due_in_days=-2,
        rep=cast.rep_a2,  # only 営業 二郎, who sorts after 営業 一子 by name
    )
    assert course.pk
    write_version(cast, min_minutes_per_month=0)
    monkeypatch.setattr(views, "REPS_PER_PAGE", 1)
    client = signed_in(cast.manager_a)
    first = client.get(reverse("agreements:compliance")).content.decode()
    assert cast.rep_a2.name in first and cast.rep_a1.name not in first
    second = client.get(reverse("agreements:compliance") + "?page=2").content.decode()
    assert cast.rep_a1.name in second
