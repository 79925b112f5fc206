"""The server-side SVG chart tags."""
import re

from apps.core.templatetags.charts import bar_chart, line_chart, nice_ceiling

CHART = {"title": "Xét nghiệm <theo> tháng", "labels": ["01/26", "02/26"],
         "series": [{"name": "Lượt", "values": [10, 20]}, {"name": "Dương tính", "values": [5, None]}]}


def test_nice_ceiling_rounds_up_to_a_round_number():
    assert [nice_ceiling(v) for v in (0, 0.3, 3, 7, 12, 26, 740)] == [1, 0.5, 5, 10, 20, 50, 1000]


def test_bar_heights_are_proportional_to_the_values():
    svg = bar_chart(CHART, "t")
    heights = [float(h) for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)]
    assert len(heights) == 3  # the missing value draws no bar
    assert heights[1] == 2 * heights[0] and heights[2] * 2 == heights[0]


def test_chart_text_is_escaped_and_repeated_in_a_hidden_table():
    svg = line_chart(CHART, "t")
    assert "&lt;theo&gt;" in svg and "<theo>" not in svg
    assert '<div class="visually-hidden"><table>' in svg and "<td>20</td>" in svg and "<td>–</td>" in svg


def test_a_line_chart_draws_one_polyline_per_series_with_two_points():
    svg = line_chart(CHART, "t")
    assert svg.count("<polyline") == 1  # the second series has a single point
    assert svg.count("<circle") == 3
