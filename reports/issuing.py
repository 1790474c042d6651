"""Issuing a pack to a meeting, and handing its files out unchanged for ever.

`do_issue_pack` builds the pack as at the moment of issue, from the audit history (core/as_at.py), so that
`?as_at=<that moment>` gives the same figures at any later time; draws it in every format (the HTML with
its stylesheets inside it, readable without the site; the PDF drawn from that HTML; the XLSX; the CSV of
its full table); stores each file once through the default storage under a name never reused, with its
SHA-256 checksum; and records who issued it, when, and to which meeting. `read_issued` gives a file's
bytes only when they still match that checksum.

Issued packs hold approved figures only: they are public, like every pack of approved figures.
"""

import datetime as dt
import hashlib
import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from indicators.models import DataVersion, ReportingPeriod
from plans.models import Plan
from reports import formats, pdf
from reports.audiences import Audience
from reports.charts import summary_chart
from reports.contents import Pack
from reports.models import FileFormat, IssuedFile, IssuedPack
from reports.packs import build_pack
from reports.tables import full_table

logger = logging.getLogger(__name__)


class IssuedFileDamaged(Exception):
    """An issued file is missing from the storage, or no longer matches its checksum."""


def render_files(pack: Pack, *, base_url: str) -> dict[str, bytes]:
    """The pack in every format, as bytes: what a meeting receives."""
    html = pdf.document_html(pack, chart=summary_chart(pack), inline_styles=True)
    return {
        FileFormat.HTML: html.encode(),
        FileFormat.PDF: pdf.pdf_from_html(html, base_url=base_url),
        FileFormat.XLSX: formats.xlsx_bytes(pack),
        FileFormat.CSV: formats.csv_text(full_table(pack)).encode(),
    }


def file_name(issued: IssuedPack, fmt: str) -> str:
    audience = "" if issued.audience == Audience.EVERYONE else f"-{issued.audience}"
    return f"{issued.plan.slug}-{issued.period.slug}{audience}-issued-{issued.meeting_date:%Y-%m-%d}.{fmt}"


def do_issue_pack(
    *,
    plan: Plan,
    quarter: ReportingPeriod,
    audience: Audience,
    meeting: str,
    meeting_date: dt.date,
    by,
    base_url: str,
) -> IssuedPack:
    """Issue the pack of approved figures for `plan` at `quarter`, as `audience` reads it, to `meeting` on
    `meeting_date`: as at now, each format stored with its checksum. Moves the publication version (the
    list of issued packs, and the revisions later packs mark, are public)."""
    moment = timezone.now()
    pack = build_pack(plan, quarter, audience=audience, as_at=moment)
    issued = IssuedPack(
        plan=plan,
        period=quarter,
        audience=audience.value,
        meeting=meeting,
        meeting_date=meeting_date,
        issued_at=moment,
        issued_by=by,
        issued_by_name=by.get_full_name() or by.get_username(),
    )
    folder = f"issued-packs/{plan.slug}/{quarter.slug}/{moment:%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"
    files, stored = [], []
    try:
        for fmt, content in render_files(pack, base_url=base_url).items():
            name = file_name(issued, fmt)
            stored.append(default_storage.save(f"{folder}/{name}", ContentFile(content)))
            checksum = hashlib.sha256(content).hexdigest()
            files.append(IssuedFile(format=fmt, file=stored[-1], name=name, sha256=checksum, size=len(content)))
        with transaction.atomic(), DataVersion.changes():
            issued.save()
            for file in files:
                file.pack = issued
            IssuedFile.objects.bulk_create(files)
    except Exception:
        for name in stored:  # nothing issued: no file left behind
            default_storage.delete(name)
        raise
    logger.info("report pack issued", extra={"issued_pack": issued.pk, "meeting": meeting})
    return issued


def read_issued(file: IssuedFile) -> bytes:
    """The issued file's bytes, exactly as issued: refused if they are missing or no longer match the
    checksum recorded when it was issued."""
    try:
        with default_storage.open(file.file.name, "rb") as stored:
            content = stored.read()
    except OSError as error:  # FileNotFoundError, and the S3 backend's missing key
        logger.error("issued file missing", extra={"issued_file": file.pk, "stored_as": file.file.name})
        raise IssuedFileDamaged("the stored file is missing") from error
    if hashlib.sha256(content).hexdigest() != file.sha256:
        logger.error("issued file does not match its checksum", extra={"issued_file": file.pk})
        raise IssuedFileDamaged("the stored file no longer matches the checksum recorded when it was issued")
    return content


def issued_packs() -> list[IssuedPack]:
    """Every issued pack, newest first, with its plan, quarter and files (two queries)."""
    return list(
        IssuedPack.objects.select_related("plan", "period").prefetch_related("files").order_by("-issued_at", "-pk")
    )
