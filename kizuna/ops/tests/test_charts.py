import xml.etree.ElementTree as ET

import pytest

from kizuna.ops import charts
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


# --- small inline charts ---

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own chart, not outside input


def _all(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(SVG + tag))


def test_a_small_chart_is_an_image_with_its_title_as_label_and_escapes_its_text():
    root = _svg(charts.bar_chart(title="Agreement <&>", bars=[charts.Bar("<b>Bob</b>", 50)]))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Agreement <&>"
    assert root.find(SVG + "title").text == "Agreement <&>"
    assert not list(root.iter("b")) and not list(root.iter(SVG + "b"))
    assert root.get("style") is None and not _all(root, "style")


def test_bar_lengths_are_proportional_to_their_values():
    root = _svg(charts.bar_chart(title="t", bars=[charts.Bar("a", 25), charts.Bar("b", 50), charts.Bar("c", 100)]))
    widths = [float(r.get("width")) for r in _all(root, "rect")]
    assert widths[1] == 2 * widths[0] and widths[2] == 4 * widths[0]
    assert len({float(r.get("x")) for r in _all(root, "rect")}) == 1  # all start at zero


def test_a_negative_bar_grows_left_of_the_zero_line_in_the_other_colour():
    root = _svg(charts.bar_chart(title="t", bars=[charts.Bar("up", 0.5), charts.Bar("down", -0.5)], domain=(-1, 1)))
    up, down = _all(root, "rect")
    zero = float(up.get("x"))
    assert float(down.get("x")) + float(down.get("width")) == pytest.approx(zero)
    assert float(up.get("width")) == float(down.get("width"))
    assert (up.get("fill"), down.get("fill")) == (charts.GREEN, charts.ORANGE)


def test_a_bar_without_a_value_draws_a_dash_and_no_rectangle():
    root = _svg(charts.bar_chart(title="t", bars=[charts.Bar("none", None)]))
    assert not _all(root, "rect")
    assert "–" in [t.text for t in _all(root, "text")]


def test_the_interval_plot_puts_zero_and_the_interval_ends_at_the_right_x():
    root = _svg(charts.interval_plot(title="t", intervals=[charts.Interval("a", 2, -2, 6)], domain=(-10, 10)))
    lines = _all(root, "line")
    zero = float(lines[0].get("x1"))
    x0, length = 12, charts.WIDTH - 24
    assert zero == x0 + length / 2
    interval = lines[1]
    assert float(interval.get("x1")) == x0 + length * 8 / 20  # -2
    assert float(interval.get("x2")) == x0 + length * 16 / 20  # 6
    assert float(interval.get("x1")) < zero < float(interval.get("x2"))
    assert float(_all(root, "circle")[0].get("cx")) == x0 + length * 12 / 20
    assert interval.get("stroke") == charts.GREY  # holds zero: no direction


def test_intervals_wholly_above_or_below_zero_take_their_colours():
    root = _svg(
        charts.interval_plot(title="t", intervals=[charts.Interval("up", 3, 1, 5), charts.Interval("down", -3, -5, -1)])
    )
    assert [c.get("fill") for c in _all(root, "circle")] == [charts.GREEN, charts.RED]


def test_the_interval_axis_holds_zero_and_every_end_symmetrically():
    assert charts.interval_domain([charts.Interval("a", 3, 1, 7.3)]) == (-10, 10)
    assert charts.interval_domain([charts.Interval("a", -0.2, -0.45, 0.1)]) == (-0.5, 0.5)
    assert charts.interval_domain([charts.Interval("a", None, None, None)]) == (-1, 1)


def test_stacked_columns_add_up_to_their_total_on_one_scale():
    series = [charts.Series("q", [2, 1], charts.BLUE), charts.Series("o", [2, 0], charts.ORANGE)]
    root = _svg(charts.column_chart(title="t", labels=["1", "2"], series=series))
    first_q, first_o, second_q = _all(root, "rect")[:3]
    assert float(first_q.get("height")) == float(first_o.get("height")) == 2 * float(second_q.get("height"))
    assert float(first_o.get("y")) + float(first_o.get("height")) == float(first_q.get("y"))  # stacked on top
    assert [r.get("fill") for r in _all(root, "rect")[3:]] == [charts.BLUE, charts.ORANGE]  # the legend


def test_the_heat_strip_shades_each_day_by_its_share_of_the_top_value():
    root = _svg(charts.heat_strip(title="t", values=[0, 30, 60], labels=["1", "2", "3"], high=60))
    cells = _all(root, "rect")
    assert [float(c.get("fill-opacity")) for c in cells] == [0, 0.6, 1.0]
    assert [c.find(SVG + "title").text for c in cells] == ["1: 0", "2: 30", "3: 60"]
    assert root.get("viewBox") == "0 0 20 16"


def test_the_sparkline_runs_from_the_oldest_to_the_newest_value_highest_at_the_top():
    root = _svg(charts.sparkline(title="t", values=[0, 4, 2]))
    points = [tuple(map(float, p.split(","))) for p in _all(root, "polyline")[0].get("points").split()]
    assert [x for x, _y in points] == sorted(x for x, _y in points)
    assert points[1][1] == 2 and points[0][1] == 16 and points[2][1] == 9


def test_long_labels_are_cut_to_the_room_they_have():
    assert charts.fit_text("short", 100) == "short"
    cut = charts.fit_text("株式会社パートナーエージェンシー東京", 60)
    assert cut.endswith("…") and charts.text_width(cut) <= 60


def test_the_sparkline_breaks_where_a_month_has_no_figure_and_marks_the_last_known_one():
    root = _svg(charts.sparkline(title="t", values=[1, 2, None, 3, None]))
    runs = [p.get("points").split() for p in _all(root, "polyline")]
    assert [len(run) for run in runs] == [2, 1]
    assert _all(root, "circle")[0].get("cx") == runs[-1][0].split(",")[0]
    assert not _all(_svg(charts.sparkline(title="t", values=[None, None])), "polyline")


def test_the_bullet_bar_and_its_target_tick_share_one_scale():
    root = _svg(charts.bullet(title="t", value=30, target=60, high=120, width=96))
    track, bar = _all(root, "rect")
    tick = _all(root, "line")[0]
    assert (float(track.get("width")), float(bar.get("width")), float(tick.get("x1"))) == (96, 24, 48)
    over = _svg(charts.bullet(title="t", value=200, target=None, high=120, width=96))
    assert float(_all(over, "rect")[1].get("width")) == 96 and not _all(over, "line")
