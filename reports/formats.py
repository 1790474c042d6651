"""A report pack's tables written as CSV (the full table) and XLSX (a sheet per section).

Text a spreadsheet would run as a formula is neutralised on both, by the portal's one rule
(core.tables.escape_formula). In the XLSX every figure is a numeric cell with a number format in its
unit (42.5 shown as 42.5%, 1500 as 1,500), header rows are frozen, and columns are sized to their words.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.numbers import UNIT_PREFIX, UNIT_SUFFIX, plain
from core.tables import escape_formula
from reports.contents import Pack
from reports.tables import Cell, Figure, Section, sections

MAX_PLACES = 4


def csv_text(section: Section) -> str:
    """The section as CSV: its columns' keys, then plain digits for figures (1500, 42.5) and text as is."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.key for column in section.columns])
    for row in section.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue()


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Figure):
        return plain(cell.value)
    if isinstance(cell, dt.datetime):
        return timezone.localtime(cell).isoformat(timespec="minutes")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, int):
        return str(cell)
    return escape_formula(cell)


def xlsx_bytes(pack: Pack) -> bytes:
    """The pack as a workbook: a sheet per section, each with a title row and a frozen header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = pack.title
    workbook.properties.creator = "Luton Plan"
    workbook.properties.language = "en-GB"
    for section in sections(pack):
        sheet = workbook.create_sheet(section.name[:31])
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([column.header for column in section.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in section.rows:
            sheet.append([_xlsx_value(cell) for cell in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                _format(cell, value)
        sheet.freeze_panes = "A3"  # the title and the header row stay in view
        for index, column in enumerate(section.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(cell: Cell):
    if isinstance(cell, Figure):
        return cell.value
    if isinstance(cell, dt.datetime):
        # Spreadsheets hold no time zones: the council's local time, as the cover says it.
        return timezone.localtime(cell).replace(tzinfo=None)
    if isinstance(cell, str):
        return escape_formula(cell)
    return cell


def _format(cell, value: Cell) -> None:
    if isinstance(value, Figure):
        cell.number_format = number_format(value)
    elif isinstance(value, dt.datetime):
        cell.number_format = "d mmmm yyyy hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "d mmmm yyyy"
    elif isinstance(value, str) and len(value) > 40:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def number_format(figure: Figure) -> str:
    """The spreadsheet's number format for a figure, as core.numbers.format_figure writes it: thousands
    separated, as many decimal places as the figure has, the unit's sign ("42.5%", "£1,200", "12 days")."""
    places = min(_places(figure.value), MAX_PLACES)
    digits = "#,##0" + ("." + "0" * places if places else "")
    prefix = UNIT_PREFIX.get(figure.unit, "")
    suffix = UNIT_SUFFIX.get(figure.unit, "")
    return (f'"{prefix}"' if prefix else "") + digits + (f'"{suffix}"' if suffix else "")


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0
