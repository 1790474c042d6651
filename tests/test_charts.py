"""The charts' rules without a browser: nice ticks, the tolerance band, what the SVG says and hides, the
small charts' geometry. Overlap and text size are checked in Chromium (tests/browser/test_journeys.py)."""

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest

from indicators import charts
from indicators.charts.ticks import y_range
from indicators.status import Rollup

D = Decimal


def _is_nice(step: Decimal) -> bool:
    """1, 2, 2.5 or 5 times a power of ten."""
    mantissa = step.scaleb(-step.adjusted()).normalize()
    return mantissa in (D(1), D(2), D("2.5"), D(5))


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        ("29.93", "39.17", ["27.5", "30", "32.5", "35", "37.5", "40"]),  # never 29.93 / 34.55 / 39.17
        ("0", "100", ["0", "20", "40", "60", "80", "100"]),
        ("0", "7", ["0", "2", "4", "6", "8"]),
        ("0.21", "0.43", ["0.2", "0.25", "0.3", "0.35", "0.4", "0.45"]),
        ("5810", "6660", ["5800", "6000", "6200", "6400", "6600", "6800"]),
        ("-3", "4", ["-4", "-2", "0", "2", "4"]),
        ("42.5", "42.5", ["38", "40", "42", "44", "46", "48"]),  # one figure: a span around it
    ],
)
def test_ticks_step_by_one_two_two_and_a_half_or_five(low, high, ticks):
    assert charts.nice_ticks(D(low), D(high)) == [D(t) for t in ticks]


@pytest.mark.parametrize(
    ("low", "high"), [("0.013", "0.0171"), ("1", "1000000"), ("35.2", "38.4"), ("-1250", "-3"), ("0", "1")]
)
@pytest.mark.parametrize("most", [5, 6])
def test_ticks_cover_the_range_evenly_with_a_nice_step_and_no_more_than_asked(low, high, most):
    ticks = charts.nice_ticks(D(low), D(high), most=most)
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and _is_nice(steps.pop())
    assert ticks[0] <= D(low) and ticks[-1] >= D(high)
    assert 2 <= len(ticks) <= most


def test_the_axis_keeps_zero_in_view_only_when_the_figures_sit_near_it():
    low, _high = y_range([D(3), D(40)])
    assert low == 0  # 3 is nearer zero than the figures spread
    low, _high = y_range([D("30.7"), D("38.4")])
    assert low > 30  # a rate between 30 and 39 is not drawn from zero


@pytest.mark.parametrize(
    ("polarity", "band"),
    [("lower", ("100", "105")), ("higher", ("95", "100")), ("closer", ("95", "105")), ("neither", None)],
)
def test_the_tolerance_band_lies_on_the_side_that_is_worse(polarity, band):
    drawn = charts.tolerance_band(D(100), polarity=polarity, tolerance=D("0.05"))
    assert drawn == (tuple(D(b) for b in band) if band else None)


def _figures(values, *, target="31.10", first_year=2009):
    quarters = []
    for index, value in enumerate(values):
        year, quarter = first_year + index // 4, index % 4 + 1
        month = 4 + 3 * (quarter - 1)
        start = dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        end = (start + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
        label = f"{year}/{(year + 1) % 100:02d} Q{quarter}"
        quarters.append(charts.Figure(label, start, end, D(value), D(target) if target else None))
    return quarters


@pytest.mark.django_db  # the rendered SVG is cached in Django's cache
def test_the_chart_is_one_image_named_and_described_once_in_the_portals_number_format():
    svg = charts.indicator_chart(
        _figures(["35.2", "36.3", "36", "35.3", "38.4", "34"], target="33.37"),
        title="NI 16: published figures and targets",
        description="Published figures from 2009/10 Q1 (35.2) to 2010/11 Q2 (34).",
        chart_id="chart-ni-16",
        unit="percentage",
        polarity="lower",
        tolerance=D("0.05"),
    )
    opening = svg[: svg.index(">") + 1]
    assert 'role="img"' in opening
    assert 'aria-labelledby="chart-ni-16-title"' in opening  # the title only: the description is not read twice
    assert 'aria-describedby="chart-ni-16-desc"' in opening
    assert svg.count("<title") == 1 and svg.count("<desc") == 1
    assert "aria-roledescription" not in svg and "graphics-symbol" not in svg  # Vega's own ARIA is off
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "34%" in labels  # the latest figure, labelled, as format_figure writes it
    assert {"2009/10", "2010/11", "Q1", "Q4"} <= set(labels)  # quarters grouped under their years
    y_labels = re.findall(r'<text text-anchor="end" transform="translate\([-\d.]+,[\d.]+\)"[^>]*>([^<]*)</text>', svg)
    assert y_labels == ["32%", "34%", "36%", "38%", "40%"]
    assert 'font-size="13px"' in svg and not re.search(r'font-size="([0-9]|1[01])(\.\d+)?px"', svg)


@pytest.mark.django_db
def test_words_in_a_chart_are_escaped():
    svg = charts.indicator_chart(
        _figures(["1", "2"]),
        title="<script>alert(1)</script>",
        description='"><img src=x onerror=alert(1)>',
        chart_id='x" onload="alert(1)',
    )
    assert "<script>" not in svg and "<img" not in svg and 'onload="' not in svg


@pytest.mark.django_db
def test_a_narrow_chart_fits_a_phone_and_shortens_crowded_years():
    figures = _figures([str(30 + i % 5) for i in range(40)], first_year=2001)  # ten years
    narrow = charts.indicator_chart(figures, title="t", description="d", chart_id="n", width=charts.NARROW)
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', narrow).group(1))
    assert width <= charts.NARROW + 1
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", narrow)
    assert "01/02" in labels and "Q1" not in labels  # no room for quarters, nor for "2001/02"


def test_a_sparkline_keeps_its_line_and_point_inside_its_box():
    svg = charts.sparkline([D(1), None, D(5), D(3), D(9)], label="Trend: rising")
    width, height = (int(n) for n in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    points = [tuple(map(float, p.split(","))) for p in re.search(r'points="([^"]+)"', svg).group(1).split()]
    circle = re.search(r'cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg).groups()
    cx, cy, r = map(float, circle)
    assert all(2 <= x <= width - 2 and 2 <= y <= height - 2 for x, y in points)
    assert cx + r <= width and cy - r >= 0  # the latest point is not cut off
    assert 'aria-label="Trend: rising"' in svg


def test_a_status_bar_shows_each_status_as_its_share():
    svg = charts.status_bar(Rollup(green=30, amber=5, red=1, no_data=4))
    widths = {colour: width for width, colour in re.findall(r'width="([\d.]+)" height="12" fill="(#\w+)"', svg)}
    assert widths == {"#d4351c": "3.00", "#ffdd00": "15.00", "#00703c": "90.00", "#b1b4b6": "12.00"}  # of 120
    assert 'aria-hidden="true"' in svg  # decorative: the counts are written beside it
    assert charts.status_bar(Rollup()) == ""
