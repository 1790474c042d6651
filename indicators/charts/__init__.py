"""Charts drawn on the server as SVG: no JavaScript, readable on a phone and in a PDF, always beside a
table of the same numbers (the table is the accessible version). The choice of Vega-Lite drawn by
vl-convert is in docs/decisions/0006-charts-as-vega-lite-drawn-on-the-server.md.

The API, for the pages and the report packs; each function returns SVG markup that is safe to embed:

- `indicator_chart(figures, title=, description=, chart_id=, unit=, unit_label=, polarity=, tolerance=,
  width=WIDE)`: published figures by period as a line; each target as a dashed line with its tolerance
  band shaded (where a figure is "close to target"); the latest figure labelled; quarters grouped under
  financial-year labels that never overlap; y ticks at 1, 2, 2.5 or 5 × 10ⁿ with the unit. The SVG is
  one image named by `title` and described by `description`, each read once. Draw it at `WIDE` (640 px:
  a page or an A4 report) or `NARROW` (340 px: a phone, where its 13 px text stays 13 px).
- `indicator_figures(series, aggregation=)`: a published series (`portal.queries.published_series`)
  as the `Figure`s to chart, each with the target it is judged against.
- `chart_key(tolerance_percent=, polarity=, has_targets=, submitted=)`: how to read the chart, in words
  (its figure's caption: the chart has no legend of its own).
- `chart_for_page(figures, indicator=, chart_id=, title=, submitted=)`: the chart as a page shows it,
  drawn at both widths and described in words, with its key (`components/chart_figure.html` lays it out).
- `sparkline(values, label=)`: a small trend line; `label` is its accessible name.
- `status_bar(rollup)`: a roll-up's statuses as a small stacked bar, decorative beside the counts.

A report pack, for example:

    from indicators import charts
    from portal.queries import published_series

    figures = charts.indicator_figures(published_series(indicator), aggregation=indicator.quarter_aggregation)
    svg = charts.indicator_chart(figures, title="NI 16: published figures and targets", description="...",
                                 chart_id="report-ni-16", unit=indicator.unit, unit_label=indicator.unit_label,
                                 polarity=indicator.polarity, tolerance=indicator.tolerance_percent / 100)

Every number in a chart is written by `core.numbers.format_figure`, the portal's one number format.
"""

from indicators.charts.indicator import (
    NARROW,
    WIDE,
    Figure,
    chart_for_page,
    chart_key,
    indicator_chart,
    indicator_figures,
    tolerance_band,
)
from indicators.charts.small import sparkline, status_bar
from indicators.charts.ticks import nice_ticks

__all__ = [
    "NARROW",
    "WIDE",
    "Figure",
    "chart_for_page",
    "chart_key",
    "indicator_chart",
    "indicator_figures",
    "nice_ticks",
    "sparkline",
    "status_bar",
    "tolerance_band",
]
