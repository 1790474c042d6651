"""A report pack drawn as a file to download (PDF, XLSX, CSV), the same way in a request and in the background
task (reports/tasks.py), and the summary chart the page and the PDF share."""

from collections.abc import Callable
from dataclasses import dataclass

from indicators import charts
from indicators.charts.rollups import ROLLUP_KEY, rollup_chart
from reports import formats, pdf
from reports.audiences import Audience
from reports.contents import Pack
from reports.tables import full_table


@dataclass(frozen=True)
class Format:
    name: str  # for people: "PDF"
    content_type: str
    draw: Callable[[Pack, str], bytes]  # (pack, the site's address for absolute links) → the file


def summary_chart(pack: Pack) -> dict:
    """The summary's chart of statuses by priority, drawn wide (a page, A4) and narrow (a phone)."""
    rows = [(group.title, group.rollup) for group in pack.groups]
    description = "; ".join(
        f"{title}: {r.green} on track, {r.amber} close to target, {r.red} off track, "
        f"{r.not_judged} without a numeric target, {r.no_data} without data"
        for title, r in rows
    )
    title = f"{pack.plan.title}, {pack.period_label}: indicators by status"
    drawn = {
        width_name: rollup_chart(
            rows, title=title, description=description, chart_id=f"summary-{width_name}", width=width
        )
        for width_name, width in (("wide", charts.WIDE), ("narrow", charts.NARROW))
    }
    return {**drawn, "key": ROLLUP_KEY}


FORMATS = {
    "pdf": Format(
        "PDF",
        "application/pdf",
        lambda pack, base_url: pdf.pdf_bytes(pack, chart=summary_chart(pack), base_url=base_url),
    ),
    "xlsx": Format(
        "spreadsheet (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda pack, base_url: formats.xlsx_bytes(pack),
    ),
    "csv": Format(
        "full table (CSV)",
        "text/csv; charset=utf-8",
        lambda pack, base_url: formats.csv_text(full_table(pack)).encode(),
    ),
}


def filename(pack: Pack, extension: str) -> str:
    """The name a pack's file is saved under: laa-2008-11-2010-11-q2-forum-nhs-luton.pdf."""
    audience = "" if pack.audience == Audience.EVERYONE else f"-{pack.audience}"
    scope = f"-{pack.partner.slug}" if pack.partner else f"-{pack.department.slug}" if pack.department else ""
    period = pack.year.slug + "-year-end" if pack.year_end else pack.quarter.slug
    draft = "" if pack.published_only else "-not-yet-approved"
    return f"{pack.plan.slug}-{period}{audience}{scope}{draft}.{extension}"
