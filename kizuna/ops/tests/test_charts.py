from kizuna.ops.charts import chart_style, label_margin, percent_axis, wide_glyphs


def test_only_wide_glyphs_within_the_shown_label_count():
    assert wide_glyphs("Partner B") == 0
    assert wide_glyphs("パートナーA株式会社") == 9
    assert wide_glyphs("あ" * 40) == 16  # pygal truncates the label there


def test_the_left_margin_grows_with_the_widest_japanese_label():
    assert label_margin([]) == 10
    assert label_margin(["Partner B"]) == 10
    assert label_margin(["Partner B", "営業部"]) == 10 + 3 * 16 * 0.45
    assert label_margin(["営業部"], label_size=13) == 10 + 3 * 13 * 0.45


def test_a_chart_without_data_gets_no_fixed_percent_axis():
    assert percent_axis(0) == {}
    assert percent_axis(2) == {"range": (0, 100), "y_labels": [0, 25, 50, 75, 100]}


def test_the_house_style_carries_a_font_that_holds_japanese():
    style = chart_style(colors=("#1f7a4d",), label_size=13, title_size=16)
    assert "Noto Sans JP" in style.font_family
    assert (style.label_font_size, style.title_font_size, style.no_data_font_size) == (13, 16, 16)
