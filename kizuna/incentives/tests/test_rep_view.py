"""A rep sees their own incentive lines for a month, and nobody else's."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from kizuna.certification.tests.helpers import finish_course, product_certification
from kizuna.incentives import services
from kizuna.incentives.selectors import incentive_statement, rep_incentive_month

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
    finish_course(cast.rep_a1, article_course, at=datetime(2026, 10, 10, 10, 0, tzinfo=TOKYO))
    finish_course(cast.rep_a2, article_course, at=datetime(2026, 10, 31, 23, 30, tzinfo=TOKYO))
    return cert


def test_a_reps_month_is_their_line_of_the_agency_statement(cast, october):
    statement = incentive_statement(partner=cast.partner_a, month=date(2026, 10, 1))
    for rep in (cast.rep_a1, cast.rep_a2):
        mine = rep_incentive_month(rep=rep, month=date(2026, 10, 1))
        (theirs,) = [r for r in statement.reps if r.rep_id == rep.pk]
        assert mine.lines == theirs.lines and mine.total == theirs.total
    assert rep_incentive_month(rep=cast.rep_a1, month=date(2026, 11, 1)).lines == []
    assert rep_incentive_month(rep=cast.rep_b1, month=date(2026, 10, 1)).lines == []


def test_a_manager_gets_no_rep_month(cast, october):
    assert rep_incentive_month(rep=cast.manager_a, month=date(2026, 10, 1)).lines == []


@override_settings(LANGUAGE_CODE="en")
def test_incentives_shows_a_rep_their_own_lines_only(cast, october, signed_in):
    page = signed_in(cast.rep_a1).get("/incentives/", {"month": "2026-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "¥13,000" in html  # 10,000 for the certification + 3,000 for the course on time
    assert "¥18,000" not in html and "¥31,000" not in html  # rep 2's total, the agency's total
    assert cast.rep_a2.name not in html
    assert "?month=2026-09" in html  # the month before


def test_a_rep_of_another_partner_sees_nothing_of_partner_a(cast, october, signed_in):
    html = signed_in(cast.rep_b1).get("/incentives/", {"month": "2026-10"}).content.decode()
    assert "13,000" not in html and "10,000" not in html and "15,000" not in html


def test_a_rep_moves_between_months_and_bad_months_fall_back_to_this_one(cast, october, signed_in):
    client = signed_in(cast.rep_a1)
    assert "¥0" in client.get("/incentives/", {"month": "2026-11"}).content.decode()
    for bad in ("9999-12", "0001-01", "2026-13", "x", "2026-10-01"):
        assert client.get("/incentives/", {"month": bad}).status_code == 200


def test_other_roles_keep_their_pages(cast, october, signed_in):
    assert signed_in(cast.manager_a).get("/incentives/").status_code == 302
    assert signed_in(cast.admin).get("/incentives/", {"month": "9999-12"}).status_code == 200
    assert signed_in(cast.author).get("/incentives/").status_code == 404
