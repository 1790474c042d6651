"""An indicator's published figures and targets as a Vega-Lite chart, drawn to SVG on the server by
vl-convert (docs/decisions/0006-charts-as-vega-lite-drawn-on-the-server.md)."""

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.numbers import format_figure, plain_decimal
from indicators.charts.colours import BLACK, BLUE, LIGHT_BLUE, MID_GREY, NOTHING
from indicators.charts.ticks import nice_ticks, y_range
from indicators.status import Polarity, comparable_target, part_polarity

WIDE = 640  # a page's content column (two-thirds and up) and an A4 report
NARROW = 340  # a 360 px phone's column, so that 13 px text stays 13 px there
FONT_SIZE = 13  # drawn size; the wide chart scales down to no less than 12 px before it gives way
CACHE_SECONDS = 60 * 60 * 24  # the key holds the whole specification, so a cached chart is never stale


@dataclass(frozen=True)
class Figure:
    """A published figure placed in time, with the target it is judged against (None if words)."""

    label: str  # "2010/11 Q2"
    start: dt.date
    end: dt.date
    value: Decimal
    target: Decimal | None = None


def tolerance_band(target: Decimal, *, polarity: str, tolerance: Decimal) -> tuple[Decimal, Decimal] | None:
    """Where a figure is "close to target" (indicators/status.py: rag): short of the target by at most
    tolerance × |target|, on the side its polarity makes worse; either side for "closer is better"."""
    band = abs(target) * tolerance
    if polarity == Polarity.HIGHER_IS_BETTER:
        return target - band, target
    if polarity == Polarity.LOWER_IS_BETTER:
        return target, target + band
    if polarity == Polarity.CLOSER_IS_BETTER:
        return target - band, target + band
    return None


def indicator_figures(series: list[dict], *, aggregation: str) -> list[Figure]:
    """The whole indicator's rows of a published series, each with the target it is compared with
    (a cumulative indicator's quarter is compared with its share of the year's target)."""
    figures = []
    for row in series:
        if row["breakdown"] or row["value"] is None:
            continue
        period = row["period"]
        target = row["target"].value if row["target"] is not None else None
        figures.append(
            Figure(
                label=period.label,
                start=period.start,
                end=period.end,
                value=row["value"],
                target=comparable_target(target, quarter=period.quarter, aggregation=aggregation),
            )
        )
    return figures


def chart_key(*, tolerance_percent: Decimal, polarity: str, has_targets: bool, submitted: bool = False) -> str:
    """How to read an indicator chart, in words: the figure's caption, since the chart has no legend.
    `submitted`: its last figure is one waiting for sign-off, not yet published (the sign-off review)."""
    if submitted:
        words = "The black line joins the published figures and, last, the figure waiting for sign-off, labelled."
    else:
        words = "The black line joins the published figures; the latest is labelled."
    if has_targets:
        words += " The dashed blue line is the target each figure is judged against"
        if polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.CLOSER_IS_BETTER):
            words += (
                f", and the shaded band its {format_figure(tolerance_percent)}% tolerance: a figure in the band "
                "is close to target"
            )
        words += "."
    return words + " The same figures are in the table below."


def indicator_chart(
    figures: list[Figure],
    *,
    title: str,
    description: str,
    chart_id: str,
    unit: str = "",
    unit_label: str = "",
    polarity: str = Polarity.NEITHER,
    tolerance: Decimal = Decimal("0.05"),
    width: int = WIDE,
) -> SafeString:
    """An indicator's published figures and targets as an SVG `width` pixels wide ("" for no figures).

    The SVG is an image named by `title` and described by `description` (each read once), with no
    interactive parts; ids start with `chart_id`, which must be unique in the page.
    """
    if not figures:
        return NOTHING
    spec = _indicator_spec(
        figures, unit=unit, unit_label=unit_label, polarity=polarity, tolerance=tolerance, width=width
    )
    return _wrap(_render(spec), title=title, description=description, chart_id=chart_id)


def chart_for_page(
    figures: list[Figure], *, indicator, chart_id: str, title: str, submitted: bool = False
) -> dict[str, SafeString | str]:
    """An indicator's chart as a page shows it (components/chart_figure.html): drawn twice, at WIDE and at
    NARROW (CSS shows one, so that a phone's text stays 13 px), described in words, with its key for the
    caption. `submitted`: the last figure waits for sign-off (the sign-off review); the rest are published."""
    unit = indicator.unit
    first, last = figures[0], figures[-1]
    lowest = min(figures, key=lambda f: f.value)
    highest = max(figures, key=lambda f: f.value)
    waiting = ", waiting for sign-off" if submitted else ""
    description = (
        f"{'Figures' if submitted else 'Published figures'} from {first.label} ({format_figure(first.value, unit)}) "
        f"to {last.label} ({format_figure(last.value, unit)}{waiting}); the lowest "
        f"{format_figure(lowest.value, unit)} in {lowest.label}, the highest {format_figure(highest.value, unit)} "
        f"in {highest.label}."
    )
    if last.target is not None:
        description += f" The target for {last.label} is {format_figure(last.target, unit)}."
    options = {
        "title": title,
        "description": description,
        "unit": unit,
        "unit_label": indicator.unit_label,
        "polarity": indicator.polarity,
        "tolerance": indicator.tolerance_percent / 100,
    }
    return {
        "wide": indicator_chart(figures, chart_id=chart_id, width=WIDE, **options),
        "narrow": indicator_chart(figures, chart_id=f"{chart_id}-narrow", width=NARROW, **options),
        "key": chart_key(
            tolerance_percent=indicator.tolerance_percent,
            polarity=indicator.polarity,
            has_targets=any(f.target is not None for f in figures),
            submitted=submitted,
        ),
    }


def _indicator_spec(figures, *, unit, unit_label, polarity, tolerance, width) -> dict:
    first_year = _financial_year(figures[0].start)
    last_year = _financial_year(figures[-1].end)
    years = list(range(first_year, last_year + 1))

    def x(day: dt.date) -> float:
        """Quarters since the first financial year began, so quarter q of year k spans 4k+q-1 to 4k+q."""
        months = (day.year - first_year) * 12 + day.month - 4 + (day.day - 1) / 31
        return round(months / 3, 3)

    points = [{"x": x(f.start + (f.end - f.start) / 2), "v": float(f.value), "period": f.label} for f in figures]
    targets, bands, numbers = [], [], [f.value for f in figures]
    for f in figures:
        if f.target is None:
            continue
        span = {"x0": x(f.start), "x1": x(f.end + dt.timedelta(days=1))}
        _extend(targets, {**span, "t": float(f.target)})
        numbers.append(f.target)
        band = tolerance_band(f.target, polarity=part_polarity(None, polarity), tolerance=tolerance)
        if band:
            _extend(bands, {**span, "lo": float(band[0]), "hi": float(band[1])})
            numbers.extend(band)
    ticks = nice_ticks(*y_range(numbers), most=6 if width >= WIDE else 5)
    y_scale = {"domain": [float(ticks[0]), float(ticks[-1])], "nice": False, "zero": False}
    x_scale = {"domain": [0, 4 * len(years)], "nice": False, "zero": False}
    plot_width = width - 70  # roughly: the y axis's labels and title take the rest
    quarter_width = plot_width / (4 * len(years))
    year_width = 4 * quarter_width
    # Year labels: in full while they fit, then shortened ("08/09"); Vega drops any that would still
    # overlap (labelOverlap), so two labels never collide.
    short = year_width < 62
    year_labels = {
        str(4 * i + 2): (f"{y % 100:02d}/{(y + 1) % 100:02d}" if short else f"{y}/{(y + 1) % 100:02d}")
        for i, y in enumerate(years)
    }
    quarter_labels = quarter_width >= 26
    # Ticks between the years enclose each year's label, when the labels fit between them.
    year_ticks = (38 if quarter_labels else 22) if year_width >= 40 else 6
    # Per cent and pounds go on each tick ("30%", "£1,200"); longer units in the axis's title.
    y_labels = {_key(t): format_figure(t, unit if unit in ("percentage", "currency") else "") for t in ticks}
    axis_title = unit_label[:1].upper() + unit_label[1:] if unit_label else _AXIS_TITLES.get(unit, "")
    no_axis = {"axis": None}
    layers = [
        {
            # The x axis's year boundaries: grid lines between years, ticks long enough to enclose
            # the quarter and year labels, no labels of its own.
            "data": {"values": [{"x": 4 * i, "y": float(ticks[0])} for i in range(len(years) + 1)]},
            "mark": {"type": "rule", "opacity": 0},
            "encoding": {
                "x": {
                    "field": "x",
                    "type": "quantitative",
                    "scale": x_scale,
                    "axis": {
                        "values": [4 * i for i in range(len(years) + 1)],
                        "orient": "bottom",
                        "labels": False,
                        "grid": True,
                        "gridColor": MID_GREY,
                        "gridDash": [2, 3],
                        "tickSize": year_ticks,
                        "title": None,
                    },
                },
                "y": {
                    "field": "y",
                    "type": "quantitative",
                    "scale": y_scale,
                    "axis": {
                        "values": [float(t) for t in ticks],
                        "labelExpr": f"{json.dumps(y_labels)}[datum.value]",
                        "title": axis_title or None,
                        "grid": True,
                        "gridColor": MID_GREY,
                        "labelOverlap": False,
                    },
                },
            },
        },
        {
            # The financial years, under their quarters.
            "data": {"values": [{"x": 2}]},
            "mark": {"type": "rule", "opacity": 0},
            "encoding": {
                "x": {
                    "field": "x",
                    "type": "quantitative",
                    "scale": x_scale,
                    "axis": {
                        "values": [4 * i + 2 for i in range(len(years))],
                        "orient": "bottom",
                        "labelExpr": f"{json.dumps(year_labels)}[datum.value]",
                        "labelOverlap": "greedy",
                        "labelSeparation": 6,
                        "labelPadding": 22 if quarter_labels else 6,
                        "labelFontWeight": "bold",
                        "ticks": False,
                        "domain": False,
                        "grid": False,
                        "title": None,
                    },
                },
            },
        },
    ]
    if quarter_labels:
        layers.append(
            {
                "data": {"values": [{"x": 0.5}]},
                "mark": {"type": "rule", "opacity": 0},
                "encoding": {
                    "x": {
                        "field": "x",
                        "type": "quantitative",
                        "scale": x_scale,
                        "axis": {
                            "values": [4 * i + q + 0.5 for i in range(len(years)) for q in range(4)],
                            "orient": "bottom",
                            "labelExpr": "'Q' + (floor(datum.value) % 4 + 1)",
                            "labelOverlap": "greedy",
                            "ticks": False,
                            "domain": False,
                            "grid": False,
                            "title": None,
                        },
                    },
                },
            }
        )
    if bands:
        layers.append(
            {
                "data": {"values": bands},
                "mark": {"type": "rect", "color": LIGHT_BLUE},
                "encoding": {
                    "x": {"field": "x0", "type": "quantitative", "scale": x_scale, **no_axis},
                    "x2": {"field": "x1"},
                    "y": {"field": "lo", "type": "quantitative", "scale": y_scale, **no_axis},
                    "y2": {"field": "hi"},
                },
            }
        )
    if targets:
        layers.append(
            {
                "data": {"values": targets},
                "mark": {"type": "rule", "color": BLUE, "strokeWidth": 2, "strokeDash": [6, 4]},
                "encoding": {
                    "x": {"field": "x0", "type": "quantitative", "scale": x_scale, **no_axis},
                    "x2": {"field": "x1"},
                    "y": {"field": "t", "type": "quantitative", "scale": y_scale, **no_axis},
                },
            }
        )
    latest = figures[-1]
    layers += [
        {
            "data": {"values": points},
            "mark": {
                "type": "line",
                "color": BLACK,
                "strokeWidth": 3 if len(points) <= 24 else 2,
                "point": {"filled": True, "size": 36 if len(points) <= 24 else 0, "color": BLACK},
            },
            "encoding": {
                "x": {"field": "x", "type": "quantitative", "scale": x_scale, **no_axis},
                "y": {"field": "v", "type": "quantitative", "scale": y_scale, **no_axis},
            },
        },
        *(
            {
                # The latest figure, labelled beside its point: first a white halo, so that no line
                # crosses the words, then the words.
                "data": {"values": [{**points[-1], "text": format_figure(latest.value, unit)}]},
                "mark": {
                    "type": "text",
                    "fontWeight": "bold",
                    "fontSize": FONT_SIZE + 1,
                    **style,
                    **_label_place(
                        points[-1]["x"] / (4 * len(years)),
                        float((latest.value - ticks[0]) / (ticks[-1] - ticks[0])),
                    ),
                },
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": x_scale, **no_axis},
                    "y": {"field": "v", "type": "quantitative", "scale": y_scale, **no_axis},
                    "text": {"field": "text"},
                },
            }
            for style in ({"color": "white", "stroke": "white", "strokeWidth": 4}, {"color": BLACK})
        ),
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": 240 if width >= WIDE else 200,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "padding": {"left": 4, "right": 12, "top": 10, "bottom": 4},
        "background": "white",
        "config": {
            "aria": False,  # the SVG is one image, named and described as a whole (_wrap)
            "font": "Arial, Liberation Sans, sans-serif",
            "view": {"stroke": None},
            "axis": {
                "labelFontSize": FONT_SIZE,
                "titleFontSize": FONT_SIZE,
                "titleFontWeight": "normal",
                "labelColor": BLACK,
                "titleColor": BLACK,
                "domainColor": BLACK,
                "tickColor": BLACK,
            },
        },
        "layer": layers,
        "resolve": {"axis": {"x": "independent", "y": "independent"}},
    }


def _extend(spans: list[dict], span: dict) -> None:
    """Add a target's span, joined to the one before when it carries on at the same level (a year's
    quarters share their year's target): one line and one band, with no seams between quarters."""
    previous = spans[-1] if spans else None
    if previous and previous["x1"] == span["x0"] and all(previous[k] == span[k] for k in span if k[0] != "x"):
        previous["x1"] = span["x1"]
    else:
        spans.append(span)


def _label_place(across: float, up: float) -> dict:
    """Where the latest figure's label goes, given where its point sits (0-1 across and up the plot):
    to its right while there is room, else above it (below it near the top), never off the chart."""
    if across < 0.85:
        return {"align": "left", "baseline": "middle", "dx": 8}
    return {"align": "right", "baseline": "bottom" if up < 0.8 else "top", "dx": -4, "dy": -8 if up < 0.8 else 8}


# The y axis's title when the indicator has no words for its unit (per cent and pounds are on the ticks).
_AXIS_TITLES = {"days": "Days", "tonnes": "Tonnes", "percentage_points": "Percentage points"}


def _key(number: Decimal) -> str:
    """How JavaScript writes a number as an object key (2.5, 30, 0.25), for the labels' lookup."""
    return format(plain_decimal(number), "f")


def _financial_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _render(spec: dict) -> str:
    """The SVG Vega-Lite draws for `spec`, remembered: rendering takes tens of milliseconds."""
    text = json.dumps(spec, sort_keys=True)
    key = "chart:" + hashlib.sha256(text.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        import vl_convert  # a large native module: loaded by the first chart, not by every process

        svg = vl_convert.vegalite_to_svg(text)
        cache.set(key, svg, timeout=CACHE_SECONDS)
    return svg


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_VEGA_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_SIZE = re.compile(r'\b(width|height)="([\d.]+)"')


def _wrap(svg: str, *, title: str, description: str, chart_id: str) -> SafeString:
    """Vega's SVG as one image: `title` its name, `description` its description, each read once."""
    opening = _SVG_OPEN.search(svg)
    size = dict(_SIZE.findall(opening.group(0)))
    width, height = size["width"], size["height"]
    chart_id = escape(chart_id)
    head = (
        f'<svg class="luton-chart__svg" id="{chart_id}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    # Inside one image every part is presentational: drop the roles and labels Vega still puts on its
    # mark containers, so that no reader (nor a tagged PDF) meets them.
    body = _VEGA_ARIA.sub("", svg[opening.end() :])
    # Our text is escaped above; the body is vl-convert's SVG of our specification, which escapes its own text.
    return mark_safe(head + body)  # noqa: S308  # nosec B308 B703
