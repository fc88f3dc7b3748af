"""The field voice report: most frequent texts per product and period, the trend, the answered share, CSV."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.feedback import selectors, services
from kizuna.feedback.selectors import ReportFilter

from .conftest import record_voice

TOKYO = ZoneInfo("Asia/Tokyo")


def _setup(cast):
    product = catalog.product_create(name="クラウド会計", slug="cloud-accounting")
    price = catalog.topic_tag_create(name_ja="価格", name_en="Price")
    sept, oct_ = datetime(2026, 9, 10, 10, tzinfo=TOKYO), datetime(2026, 10, 5, 10, tzinfo=TOKYO)
    first = record_voice(cast.rep_a1, "他社より高い。", kind="objection", product=product, tags=[price], timestamp=sept)
    record_voice(cast.rep_a2, "他社より高い!", kind="objection", product=product, tags=[price], timestamp=oct_)
    record_voice(cast.rep_b1, "他社より 高い", kind="objection", product=product, timestamp=oct_)
    record_voice(cast.rep_b1, "サポートは何時まで?", kind="question", timestamp=oct_ + timedelta(days=1))
    services.field_voice_answer(voice=first, by=cast.coach, answer="導入支援込みの価格です。")
    return product


def test_the_same_objection_written_three_ways_counts_three_times_with_its_trend(cast):
    product = _setup(cast)
    flt = ReportFilter(since=datetime(2026, 9, 1).date(), until=datetime(2026, 10, 31).date())
    report = selectors.voice_report(cast.admin, flt)
    assert report.total == 4 and report.answered == 1
    top = report.top[0]
    assert (top.kind, top.product, top.count, top.answered) == ("objection", product.name, 3, 1)
    assert top.by_month == (1, 2)
    assert [(m.month.month, m.objections, m.questions) for m in report.months] == [(9, 1, 0), (10, 2, 1)]
    assert [(t.name, t.count, t.answered) for t in report.topics] == [("価格", 2, 1)]


def test_the_period_and_product_filters_narrow_the_counts(cast):
    product = _setup(cast)
    october = ReportFilter(since=datetime(2026, 10, 1).date(), until=datetime(2026, 10, 31).date())
    assert selectors.voice_report(cast.admin, october).total == 3
    only_product = ReportFilter(since=october.since, until=october.until, product_id=product.pk)
    assert selectors.voice_report(cast.admin, only_product).total == 2


def test_a_manager_counts_only_their_agency(cast):
    _setup(cast)
    flt = ReportFilter(since=datetime(2026, 9, 1).date(), until=datetime(2026, 10, 31).date())
    assert selectors.voice_report(cast.manager_a, flt).total == 2
    assert selectors.voice_report(cast.manager_b, flt).total == 2
    assert selectors.voice_report(cast.rep_a1, flt).total == 0


def test_the_csv_export_parses_and_matches_the_report(cast, client):
    _setup(cast)
    client.force_login(cast.author)
    response = client.get(reverse("feedback:field_voice_report_csv"), {"since": "2026-09-01", "until": "2026-10-31"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["kind"] == "objection" and rows[0]["count"] == "3" and rows[0]["answered"] == "1"
    assert rows[0]["2026-09"] == "1" and rows[0]["2026-10"] == "2" and rows[0]["product"] == "クラウド会計"
    assert len(rows) == 2


def test_the_report_page_shows_the_counts_and_refuses_a_reversed_period(cast, client):
    _setup(cast)
    client.force_login(cast.coach)
    page = client.get(reverse("feedback:field_voice_report"), {"since": "2026-09-01", "until": "2026-10-31"})
    assert page.status_code == 200 and "他社より高い" in page.content.decode()
    bad = client.get(reverse("feedback:field_voice_report"), {"since": "2026-10-31", "until": "2026-09-01"})
    assert "開始日が終了日より後です" in bad.content.decode()
