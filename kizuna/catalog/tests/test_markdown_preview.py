from django.urls import reverse


def test_the_preview_renders_markdown_as_it_will_be_published(cast, signed_in):
    response = signed_in(cast.author).post(
        reverse("catalog:studio_markdown_preview"), {"body": "## 見出し\n\n**太字**"}
    )
    assert response.status_code == 200
    assert "<h2>見出し</h2>" in response.content.decode()
    assert "<strong>太字</strong>" in response.content.decode()


def test_the_preview_removes_scripts_and_javascript_links(cast, signed_in):
    body = "<script>alert('x')</script>\n\n[押す](javascript:alert(1))\n\n<a href=\"javascript:alert(2)\">リンク</a>"
    html = signed_in(cast.author).post(reverse("catalog:studio_markdown_preview"), {"body": body}).content.decode()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "押す" in html


def test_the_preview_refuses_get(cast, signed_in):
    assert signed_in(cast.author).get(reverse("catalog:studio_markdown_preview")).status_code == 405


def test_the_preview_answers_404_to_reps(cast, signed_in):
    assert signed_in(cast.rep_a1).post(reverse("catalog:studio_markdown_preview"), {"body": "x"}).status_code == 404
