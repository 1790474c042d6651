"""The files of the bulk download: each table as UTF-8 CSV with formula-like text neutralised
(`core.tables.escape_formula`: a spreadsheet opening a file evaluates nothing), the Frictionless Data
Package descriptor (datapackage.json) and the ZIP of them all."""

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

from core.numbers import plain
from core.tables import escape_formula
from portal.downloads.tables import LICENCE, TABLES, Table

PACKAGE_NAME = "luton-plan-open-data"
ZIP_NAME = f"{PACKAGE_NAME}.zip"
DESCRIPTOR_NAME = "datapackage.json"


def descriptor() -> dict:
    """The Frictionless Data Package descriptor of every table."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Luton Plan open data",
        "description": "The plans, targets, published performance figures, partners, risks and budgets of Luton "
        "Borough Council and its partners. Published figures are approved figures only.",
        "licenses": [LICENCE],
        "resources": [table.descriptor() for table in TABLES],
    }


def _cell(value) -> str:
    """One CSV cell: numbers as plain digits, booleans as true/false, dates in ISO 8601, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | float):
        return plain(value)
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape_formula(str(value))


def _csv(table: Table, version: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([field.name for field in table.fields])
    for row in table.rows(version):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue().encode("utf-8")


def build(version: str) -> dict[str, bytes]:
    """Every file of the download: each table's CSV, datapackage.json and the ZIP of them all. One query a
    table, and the figures' (portal.figures.published_figures, remembered under `version`)."""
    files = {table.filename: _csv(table, version) for table in TABLES}
    files[DESCRIPTOR_NAME] = json.dumps(descriptor(), indent=2, ensure_ascii=False).encode("utf-8")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    files[ZIP_NAME] = archive.getvalue()
    return files


def unpack(archive: bytes) -> dict[str, bytes]:
    """The files of a ZIP that build() made, the ZIP included. Raises zipfile.BadZipFile when incomplete."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        files = {name: zipped.read(name) for name in zipped.namelist()}
    files[ZIP_NAME] = archive
    return files
