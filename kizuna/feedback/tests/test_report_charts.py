"""The field-voice report draws the month-by-month trend beside its tables, from the counts it already has."""

from django.urls import reverse

from .conftest import record_voice


def test_the_report_stacks_each_months_entries_by_kind_above_the_month_table(cast, client):
    record_voice(cast.rep_a1, "価格が高い")
    record_voice(cast.rep_b1, "価格が高い")
    client.force_login(cast.admin)
    page = client.get(reverse("feedback:field_voice_report")).content.decode()
    assert 'role="img" aria-label="月ごとの件数"' in page
    chart = page[
        page.index('aria-label="月ごとの件数"') : page.index("</svg>", page.index('aria-label="月ごとの件数"'))
    ]
    assert chart.count("<g><title>") == 6  # the six months of the default period
    assert "質問 2, 反論・懸念 0, 競合 0</title>" in chart


def test_each_frequent_entry_gets_a_sparkline_of_its_months(cast, client):
    record_voice(cast.rep_a1, "価格が高い")
    client.force_login(cast.admin)
    page = client.get(reverse("feedback:field_voice_report")).content.decode()
    assert 'aria-label="月ごとの件数: 価格が高い"' in page
    assert "<polyline" in page


def test_an_empty_period_draws_no_chart(cast, client):
    client.force_login(cast.admin)
    page = client.get(reverse("feedback:field_voice_report")).content.decode()
    assert "この期間の現場の声はありません。" in page
    assert 'aria-label="月ごとの件数' not in page
