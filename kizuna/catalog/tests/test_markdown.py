from kizuna.catalog.markdown import render_markdown


def test_it_renders_headings_lists_and_emphasis():
    html = render_markdown("## 想い\n\n- お客様第一\n- **誠実**")
    assert "<h2>想い</h2>" in html
    assert "<li>お客様第一</li>" in html
    assert "<strong>誠実</strong>" in html


def test_it_removes_script_tags_and_their_content():
    html = render_markdown("前\n\n<script>alert('x')</script>\n\n後")
    assert "<script" not in html
    assert "alert" not in html
    assert "前" in html and "後" in html


def test_it_removes_javascript_links_but_keeps_the_text():
    html = render_markdown("[押してください](javascript:alert(1))")
    assert "javascript:" not in html
    assert "押してください" in html


def test_it_removes_event_handler_attributes_from_raw_html():
    html = render_markdown('<img src="https://example.com/a.png" onerror="alert(1)">')
    assert "onerror" not in html
    assert "alert" not in html


def test_it_keeps_https_links_and_marks_them_noopener():
    html = render_markdown("[資料](https://example.com/doc)")
    assert 'href="https://example.com/doc"' in html
    assert "noopener" in html


def test_it_renders_nothing_for_empty_text():
    assert render_markdown("") == ""
