from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from kizuna.assessments.spacing import retention_is_low


@pytest.mark.parametrize(
    ("retention", "low"), [(0.0, True), (0.69, True), (0.6949, True), (0.6951, False), (0.7, False), (1.0, False)]
)
def test_a_topic_is_weak_when_its_shown_percent_is_under_70(retention, low):
    assert retention_is_low(retention) is low


def test_the_retention_list_marks_only_the_weak_topics():
    rows = [
        SimpleNamespace(topic=SimpleNamespace(name="weak"), cards=3, retention=0.69),
        SimpleNamespace(topic=SimpleNamespace(name="fine"), cards=3, retention=0.70),
    ]
    html = render_to_string("assessments/_retention_topics.html", {"retention": rows})
    assert html.count("is-low") == 1
    assert html.index("is-low") < html.index("fine")
    assert "69%" in html and "70%" in html
