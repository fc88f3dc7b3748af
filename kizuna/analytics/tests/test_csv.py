"""The dashboard as a spreadsheet: Excel-ready UTF-8, one line per rep × course, header in the user's language."""

import csv
import io

from django.urls import reverse

from .builders import assign, learn

URL = reverse("analytics:partner_dashboard_csv")


def _lines(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_it_downloads_one_line_per_rep_and_course_with_a_bom(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    assign(cast, courses["values"], rep=cast.rep_a2, required=False, due_in_days=None)
    learn(cast.rep_a1, courses["basics"], lessons=2, seconds=120)
    client.force_login(cast.manager_a)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and "partner-a" in response["Content-Disposition"]
    header, *rows = _lines(response)
    assert header == [
        "営業担当者", "メールアドレス", "チーム", "コース", "必須/任意", "期限", "状態", "進捗(%)", "修了日時",
        "最終学習日時", "学習時間(分)",
    ]  # fmt: skip
    assert len(rows) == 3
    first = rows[0]
    assert first[:5] == ["営業 一子", "rep1@partner-a.example", "東京第1チーム", "製品の基本", "必須"]
    assert first[6:8] == ["修了", "100"] and first[8] and first[10] == "4"
    assert [rows[1][i] for i in (0, 3, 4, 5, 6, 7)] == ["営業 二郎", "行動指針", "任意", "", "未着手", "0"]


def test_the_header_follows_the_users_language(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    cast.manager_a.language = "en"
    cast.manager_a.save()
    client.force_login(cast.manager_a)

    header, first, *_ = _lines(client.get(URL))

    assert header[:5] == ["Rep", "E-mail", "Team", "Course", "Required/optional"]
    assert first[4] == "Required" and first[6] == "Not started"


def test_it_respects_the_team_filter(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    client.force_login(cast.manager_a)

    _header, *rows = _lines(client.get(URL, {"team": cast.team_a2.pk}))

    assert [row[0] for row in rows] == ["営業 二郎"]


def test_partner_b_cannot_filter_on_partner_as_team(client, cast):
    client.force_login(cast.manager_b)

    assert client.get(URL, {"team": cast.team_a1.pk}).status_code == 404


def test_principal_staff_download_any_partners_csv(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_b)
    client.force_login(cast.coach)

    _header, *rows = _lines(client.get(reverse("analytics:partner_dashboard_for_csv", args=[cast.partner_b.pk])))

    assert [row[0] for row in rows] == ["営業 B一"]


def test_a_name_that_looks_like_a_formula_stays_text(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    cast.rep_a1.name = '=HYPERLINK("http://evil.example")'
    cast.rep_a1.save()
    client.force_login(cast.manager_a)

    _header, *rows = _lines(client.get(URL))

    assert rows[0][0] == '\'=HYPERLINK("http://evil.example")'
