"""The pack's summary chart: statuses by priority, drawn by indicators.charts for the page and the PDF."""

from indicators import charts
from indicators.charts.rollups import ROLLUP_KEY, rollup_chart
from reports.contents import Pack


def summary_chart(pack: Pack) -> dict:
    """The summary's chart of statuses by priority, drawn wide (a page, A4) and narrow (a phone)."""
    rows = [(group.title, group.rollup) for group in pack.groups]
    description = "; ".join(
        f"{title}: {r.green} on track, {r.amber} close to target, {r.red} off track, "
        f"{r.not_judged} without a numeric target, {r.no_data} without data"
        for title, r in rows
    )
    title = f"{pack.plan.title}, {pack.quarter.label}: indicators by status"
    drawn = {
        width_name: rollup_chart(
            rows, title=title, description=description, chart_id=f"summary-{width_name}", width=width
        )
        for width_name, width in (("wide", charts.WIDE), ("narrow", charts.NARROW))
    }
    return {**drawn, "key": ROLLUP_KEY}
