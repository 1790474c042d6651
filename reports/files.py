"""A report pack drawn as a file to download (PDF, XLSX, CSV), the same way in a request and in the background
task (reports/tasks.py)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from reports import formats, pdf
from reports.audiences import Audience
from reports.charts import summary_chart
from reports.contents import Pack
from reports.tables import full_table


@dataclass(frozen=True)
class Format:
    name: str  # for people: "PDF"
    content_type: str
    draw: Callable[[Pack, str], bytes]  # (pack, the site's address for absolute links) → the file


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
    """The name a pack's file is saved under: laa-2008-11-2010-11-q2-forum-nhs-luton-as-at-20101115T090000.pdf."""
    audience = "" if pack.audience == Audience.EVERYONE else f"-{pack.audience}"
    scope = f"-{pack.partner.slug}" if pack.partner else f"-{pack.department.slug}" if pack.department else ""
    period = pack.year.slug + "-year-end" if pack.year_end else pack.quarter.slug
    draft = "" if pack.published_only else "-not-yet-approved"
    moment = "" if pack.as_at is None else f"-as-at-{timezone.localtime(pack.as_at):%Y%m%dT%H%M%S}"
    return f"{pack.plan.slug}-{period}{audience}{scope}{draft}{moment}.{extension}"
