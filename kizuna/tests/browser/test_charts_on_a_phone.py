"""The small charts beside the report tables on a 375×667 phone: drawn, inside the screen's width, no sideways
scroll, and nothing against the page's CSP (they carry no style)."""

import pytest
from django.utils import timezone

from kizuna.agreements.models import LearningTimeDay
from kizuna.feedback.tests.conftest import record_voice
from kizuna.kpis.tests import builders
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# No sideways scroll of the page, and every chart inside the screen (a strip or sparkline in a table that
# scrolls inside its own frame counts where the frame is).
FITS = """() => {
  const over = [document.documentElement.scrollWidth > window.innerWidth ? 'page ' + document.documentElement.scrollWidth : ''];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const frame = svg.closest('.table-wrap') || svg;
    const box = svg.getBoundingClientRect();
    if (!(box.width > 0) || frame.getBoundingClientRect().right > window.innerWidth) over.push(svg.getAttribute('aria-label') + ' ' + box.right);
  }
  return over.filter(Boolean);
}"""


def test_report_charts_fit_a_phone_beside_their_numbers(cast, live_server, phone, article_course):
    builders.finishers(cast, article_course)
    LearningTimeDay.objects.create(
        rep=cast.rep_a1, partner=cast.partner_a, day=timezone.localdate().replace(day=1), seconds=2400
    )
    record_voice(cast.rep_a1, "価格が高い")
    page, base = phone, live_server.url
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/kpis/effect/?course={article_course.pk}&partner={cast.partner_a.pk}")
    intervals = page.get_by_role("img", name="差(ポイント)と95%信頼区間")
    assert intervals.is_visible()
    box = intervals.bounding_box()
    assert box is not None and 300 <= box["width"] <= 375
    assert page.evaluate(FITS) == []
    page.goto(f"{base}/field-voice/report/")
    assert page.get_by_role("img", name="月ごとの件数", exact=True).is_visible()
    assert page.evaluate(FITS) == []

    page.context.clear_cookies()  # sign out
    sign_in(page, base, cast.manager_a.email)
    page.goto(f"{base}/learning-time/")
    assert page.get_by_role("img", name=f"日別の学習時間(分): {cast.rep_a1.name}").is_visible()
    assert page.evaluate(FITS) == []
    page.goto(f"{base}/compliance/")
    assert page.locator("svg.chart").count() >= 2  # each rep's minutes against what is expected
    assert page.evaluate(FITS) == []
    page.goto(f"{base}/learning-time/reps/{cast.rep_a1.pk}/")
    assert page.get_by_role("img", name="日別の学習時間(分)").is_visible()
    assert page.evaluate(FITS) == []
    assert violations == []
