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


def test_figures_are_written_the_vietnamese_way_with_a_dot_between_thousands_and_a_decimal_comma():
    chart = {"title": "Dân số", "labels": ["A", "B", "C"],
             "series": [{"name": "Người", "values": [12345, 1234567, 2.5]}]}
    svg = bar_chart(chart, "t")
    assert "<td>12.345</td><td>1.234.567</td><td>2,5</td>" in svg  # the hidden table
    assert "A — 12.345</title>" in svg and "B — 1.234.567</title>" in svg and "C — 2,5</title>" in svg
    # The gridlines of a 2,000,000 scale, in steps of 500,000.
    axis = re.findall(r'text-anchor="end" fill="#6c757d">([^<]+)</text>', svg)
    assert axis == ["0", "500.000", "1.000.000", "1.500.000", "2.000.000"]
    assert "12,345" not in svg and "12345" not in svg
