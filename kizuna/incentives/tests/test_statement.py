"""The monthly incentive statement adds up each rep's rewards, with the events behind them, on a known month."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from kizuna.certification.tests.helpers import finish_course, product_certification
from kizuna.incentives import services
from kizuna.incentives.selectors import incentive_statement, rules_for_partner

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def october(cast, article_course):
    cert = product_certification(cast, article_course)
    rule = dict(partner=cast.partner_a, created_by=cast.admin)
    services.incentive_rule_create(
        kind="certification_earned", amount_yen=10_000, effective_from=date(2026, 1, 1), **rule
    )
    services.incentive_rule_create(
        kind="certification_earned", amount_yen=15_000, effective_from=date(2026, 10, 15), certification=cert, **rule
    )
    services.incentive_rule_create(kind="course_on_time", amount_yen=3_000, effective_from=date(2026, 1, 1), **rule)
    # Partner B pays nothing: its statement stays empty whatever partner A's reps do.
    finish_course(cast.rep_a1, article_course, at=datetime(2026, 10, 10, 10, 0, tzinfo=TOKYO))
    finish_course(cast.rep_a2, article_course, at=datetime(2026, 10, 31, 23, 30, tzinfo=TOKYO))
    return cert


def test_each_rep_gets_the_rule_in_effect_on_the_day_and_the_most_specific_one(cast, october):
    statement = incentive_statement(partner=cast.partner_a, month=date(2026, 10, 1))
    totals = {rep.rep_email: rep.total for rep in statement.reps}
    assert totals == {"rep1@partner-a.example": 13_000, "rep2@partner-a.example": 18_000}
    assert statement.total == 31_000
    lines = [(line.rep_email, line.kind, line.amount) for line in statement.lines]
    assert ("rep2@partner-a.example", "certification_earned", 15_000) in lines
    assert ("rep1@partner-a.example", "certification_earned", 10_000) in lines


def test_the_next_month_and_the_other_partner_are_empty(cast, october):
    assert incentive_statement(partner=cast.partner_a, month=date(2026, 11, 1)).total == 0
    assert incentive_statement(partner=cast.partner_b, month=date(2026, 10, 1)).reps == []


def test_csv_and_xlsx_carry_the_same_figures(cast, october, signed_in):
    client = signed_in(cast.manager_a)
    url = f"/incentives/partners/{cast.partner_a.pk}/statement"
    response = client.get(url + ".csv", {"month": "2026-10"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4 + 1
    assert rows[-1][-1] == "31000"
    response = client.get(url + ".xlsx", {"month": "2026-10"})
    book = load_workbook(io.BytesIO(response.content))
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert summary[-1][-1] == 31000
    assert len(list(book.worksheets[1].iter_rows(values_only=True))) == 1 + 4


def test_it_refuses_partner_b_and_reps(cast, october, signed_in):
    for person in (cast.manager_b, cast.rep_b1, cast.rep_a1, cast.author):
        client = signed_in(person)
        for suffix in ("/", "/statement.csv", "/statement.xlsx", "/rules/"):
            assert client.get(f"/incentives/partners/{cast.partner_a.pk}{suffix}").status_code == 404
    assert signed_in(cast.manager_a).get(f"/incentives/partners/{cast.partner_a.pk}/rules/").status_code == 404


def test_pages_show_the_statement_to_the_principal_and_the_manager(cast, october, signed_in):
    page = signed_in(cast.admin).get("/incentives/", {"month": "2026-10"})
    assert "31,000" in page.content.decode()
    page = signed_in(cast.manager_a).get(f"/incentives/partners/{cast.partner_a.pk}/", {"month": "2026-10"})
    assert "13,000" in page.content.decode() and "18,000" in page.content.decode()
    assert signed_in(cast.manager_a).get("/incentives/").status_code == 302


def test_the_admin_adds_and_ends_a_rule_and_the_agreement_reads_them(cast, signed_in):
    client = signed_in(cast.admin)
    response = client.post(
        f"/incentives/partners/{cast.partner_a.pk}/rules/",
        {"kind": "course_on_time", "amount_yen": "2000", "effective_from": "2026-11-01"},
    )
    assert response.status_code == 302
    (rule,) = rules_for_partner(cast.partner_a)
    assert rule.amount_yen == 2000
    response = client.post(
        f"/incentives/partners/{cast.partner_a.pk}/rules/",
        {"kind": "course_on_time", "amount_yen": "0", "effective_from": "2026-11-01"},
    )
    assert response.status_code == 200 and len(rules_for_partner(cast.partner_a)) == 1
    client.post(f"/incentives/rules/{rule.pk}/end/")
    rule.refresh_from_db()
    assert rule.effective_to is not None
    assert rules_for_partner(cast.partner_b) == []
