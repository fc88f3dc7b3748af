"""Posts are Markdown, sanitized: scripts, event handlers and javascript: links never reach the page."""

from django.urls import reverse

from .conftest import answer, ask

EVIL = """
<script>alert('x')</script>
<img src="x" onerror="alert(1)">
[クリック](javascript:alert(1))
<a href="javascript:alert(2)" onclick="alert(3)">リンク</a>
<p onmouseover="alert(4)">段落</p>
**太字**は残ります。[安全なリンク](https://example.com/)
"""


def _assert_clean(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "onerror" not in lowered and "onclick" not in lowered and "onmouseover" not in lowered
    assert "javascript:" not in lowered
    assert "<strong>太字</strong>" in html
    assert 'href="https://example.com/"' in html


def test_question_and_answer_bodies_are_sanitized(cast):
    question = ask(cast.rep_a1, body=EVIL)
    _assert_clean(question.body_html)
    _assert_clean(answer(question, cast.rep_a2, body=EVIL).body_html)


def test_the_question_page_carries_no_script_from_a_post(cast, client):
    question = ask(cast.rep_a1, title="<script>alert('t')</script>", body=EVIL)
    client.force_login(cast.rep_b1)
    page = client.get(reverse("community:community_question", args=[question.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page  # the title is shown as text
