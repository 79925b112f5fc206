"""Charts drawn on the server as inline SVG: no CDN, no script, nothing the CSP has to allow.

Colours are SVG presentation attributes (fill/stroke), not ``style``, so a
``style-src 'self'`` policy does not block them. Each chart carries a
<title>, and a visually hidden table with the same figures for screen readers.

A chart is a dict: ``{"title": str, "labels": [x labels], "series": [{"name": str, "values": [numbers|None]}]}``.
"""
import math

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

PALETTE = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997"]
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 20, 12, 28


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ that is ≥ *value* (so gridlines fall on round numbers)."""
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _f(value: float) -> str:
    """A coordinate with one decimal (format_html escapes its arguments, so numbers arrive pre-formatted)."""
    return f"{value:.1f}"


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def _frame(chart, slug):
    values = [v for s in chart["series"] for v in s["values"] if v is not None]
    # Four gridline steps of a round size, at least 1 so that small counts read as whole numbers.
    top = 4 * max(nice_ceiling(max(values, default=0) / 4), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = []
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dee2e6" stroke-width="1"/>'
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#6c757d">{}</text>',
            LEFT, _f(y), WIDTH - RIGHT, _f(y), LEFT - 6, _f(y + 4), _number(value)))
    return top, plot_w, plot_h, parts


def _x_labels(labels, centre_of):
    every = max(1, math.ceil(len(labels) / 12))
    return [format_html('<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#6c757d">{}</text>',
                        _f(centre_of(index)), HEIGHT - BOTTOM + 16, label)
            for index, label in enumerate(labels) if index % every == 0]


def _data_table(chart) -> str:
    head = "".join(format_html("<th scope=\"col\">{}</th>", label) for label in chart["labels"])
    rows = "".join(
        format_html("<tr><th scope=\"row\">{}</th>{}</tr>", series["name"],
                    mark_safe("".join(format_html("<td>{}</td>", _number(v)) for v in series["values"])))
        for series in chart["series"])
    # The wrapper, not the table, is hidden: a hidden table keeps its full width and the page scrolls sideways.
    return format_html('<div class="visually-hidden"><table><caption>{}</caption><thead><tr><td></td>{}</tr>'
                       '</thead><tbody>{}</tbody></table></div>', chart["title"], mark_safe(head), mark_safe(rows))


def _legend(chart) -> str:
    """The series names under the chart, each after a swatch of its colour (HTML wraps long names, SVG would not)."""
    items = "".join(
        format_html('<li class="list-inline-item"><svg width="10" height="10" aria-hidden="true">'
                    '<rect width="10" height="10" fill="{}"/></svg> {}</li>', PALETTE[index % len(PALETTE)], series["name"])
        for index, series in enumerate(chart["series"]))
    return format_html('<figcaption><ul class="list-inline small mb-0">{}</ul></figcaption>', mark_safe(items))


def _svg(chart, slug, body) -> str:
    return format_html(
        '<figure class="chart mb-0"><svg viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-labelledby="{}-t" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>{}</svg>{}{}</figure>',
        WIDTH, HEIGHT, WIDTH, HEIGHT, slug, slug, chart["title"], mark_safe("".join(body)), _legend(chart),
        _data_table(chart))


@register.simple_tag
def line_chart(chart, slug="chart"):
    """One polyline per series over the x labels (e.g. people by status at each month's end)."""
    top, plot_w, plot_h, parts = _frame(chart, slug)
    count = max(len(chart["labels"]), 1)

    def x_of(index):
        return LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y_of(value):
        return TOP + plot_h - plot_h * value / top

    for index, series in enumerate(chart["series"]):
        colour = PALETTE[index % len(PALETTE)]
        points = [(x_of(i), y_of(v), v, chart["labels"][i]) for i, v in enumerate(series["values"]) if v is not None]
        if len(points) > 1:
            parts.append(format_html('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>', colour,
                                     " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _l in points)))
        for x, y, value, label in points:
            parts.append(format_html('<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {} — {}</title></circle>',
                                     _f(x), _f(y), colour, series["name"], label, _number(value)))
    parts += _x_labels(chart["labels"], x_of)
    return _svg(chart, slug, parts)


@register.simple_tag
def bar_chart(chart, slug="chart"):
    """Grouped bars: one group per x label, one bar per series (e.g. tests and positives per month)."""
    top, plot_w, plot_h, parts = _frame(chart, slug)
    count = max(len(chart["labels"]), 1)
    group_w = plot_w / count
    series_count = max(len(chart["series"]), 1)
    bar_w = group_w * 0.8 / series_count

    def centre_of(index):
        return LEFT + group_w * index + group_w / 2

    for s_index, series in enumerate(chart["series"]):
        colour = PALETTE[s_index % len(PALETTE)]
        for index, value in enumerate(series["values"]):
            if value is None:
                continue
            height = plot_h * value / top
            x = LEFT + group_w * index + group_w * 0.1 + bar_w * s_index
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} — {}</title></rect>',
                _f(x), _f(TOP + plot_h - height), _f(bar_w), _f(height), colour, series["name"], chart["labels"][index],
                _number(value)))
    parts += _x_labels(chart["labels"], centre_of)
    return _svg(chart, slug, parts)
