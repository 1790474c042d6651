"""Status counts by priority (or department) as a Vega-Lite stacked bar chart, drawn to SVG on the server:
a report pack's summary. Always shown beside a table of the same counts, which is its accessible form."""

from django.utils.safestring import SafeString

from indicators.charts.colours import DARK_GREY, GREEN, MID_GREY, NOTHING, RED, YELLOW
from indicators.charts.indicator import FONT_SIZE, WIDE, _render, _wrap
from indicators.status import RAG_LABELS, Rag, Rollup

# The statuses in the order the bars stack them (worst first, as the small status bars), with colours.
STACK = (
    ("red", Rag.RED, RED),
    ("amber", Rag.AMBER, YELLOW),
    ("green", Rag.GREEN, GREEN),
    ("not_judged", Rag.NO_NUMERIC_TARGET, DARK_GREY),
    ("no_data", Rag.NO_DATA, MID_GREY),
)
NOT_JUDGED_LABEL = "No numeric target or not judged"
# How to read the chart, for its caption: the colours are the status tags'.
ROLLUP_KEY = (
    "Each bar counts a heading's indicators by status, worst first: red, off track; yellow, close to target; "
    "green, on track; dark grey, no numeric target; light grey, no data."
)


def rollup_chart(
    rows: list[tuple[str, Rollup]], *, title: str, description: str, chart_id: str, width: int = WIDE
) -> SafeString:
    """One bar per row (a priority's or department's name and its roll-up), each split into how many of
    its indicators are off track, close to target, on track, without a numeric target and without data.
    "" when no row has an indicator."""
    if not any(r.total for _, r in rows):
        return NOTHING
    labels = [_label(rag) for _, rag, _ in STACK]
    values = [
        {"group": name, "order": index, "status": _label(rag), "rank": rank, "count": getattr(rollup, field)}
        for index, (name, rollup) in enumerate(rows)
        for rank, (field, rag, _) in enumerate(STACK)
        if getattr(rollup, field)
    ]
    ticks = count_ticks(max(r.total for _, r in rows))
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": {"step": 26},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "padding": {"left": 4, "right": 12, "top": 6, "bottom": 4},
        "background": "white",
        "data": {"values": values},
        "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "y": {
                "field": "group",
                "type": "nominal",
                "sort": {"field": "order"},
                "title": None,
                "axis": {"labelLimit": 300 if width >= WIDE else 150, "ticks": False},
            },
            "x": {
                "field": "count",
                "type": "quantitative",
                "stack": "zero",
                "scale": {"domain": [0, ticks[-1]], "nice": False},
                "axis": {"values": ticks, "format": "d", "title": "Indicators"},
            },
            "color": {
                "field": "status",
                "type": "nominal",
                "scale": {"domain": labels, "range": [colour for _, _, colour in STACK]},
                "legend": None,  # the key is in words in the figure's caption (ROLLUP_KEY)
            },
            "order": {"field": "rank"},
        },
        "config": {
            "aria": False,  # one image, named and described as a whole
            "font": "Arial, Liberation Sans, sans-serif",
            "view": {"stroke": None},
            "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "titleFontWeight": "normal"},
        },
    }
    return _wrap(_render(spec), title=title, description=description, chart_id=chart_id)


def count_ticks(highest: int, *, most: int = 6) -> list[int]:
    """Whole-number ticks from nought past `highest`, at most `most`, stepping by 1, 2 or 5 × 10ⁿ:
    indicators are counted, so never 2.5 of them."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            ticks = list(range(0, highest + step * factor, step * factor))
            if ticks[-1] < highest:
                ticks.append(ticks[-1] + step * factor)
            if len(ticks) <= most:
                return ticks
        step *= 10


def _label(rag: Rag) -> str:
    return NOT_JUDGED_LABEL if rag == Rag.NO_NUMERIC_TARGET else RAG_LABELS[rag]
