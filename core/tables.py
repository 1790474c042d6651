"""The one reader of uploaded spreadsheets (CSV and XLSX), for every import path: the returns upload,
the admin's imports and `import_records`.

What it guarantees, so that no caller has to:

- the file is within the size limits and, for XLSX, not a zip bomb; the row limit applies while
  reading (an XLSX is streamed in read-only mode), so a huge file is refused early and cheaply;
- CSV is UTF-8, with or without a byte-order mark; anything else is refused by name;
- a header row naming each column once; unknown columns and missing required ones are refused;
- each row has as many cells as the header (ragged rows are reported by their row);
- no cell holds a formula (its value would be read as empty): "type the value, not a formula";
- no text cell holds a hidden character (core/text.py); text is stripped, and the apostrophe our
  exports put before formula-like text is removed again;
- numbers stay numbers (a spreadsheet's float is read as the number it displays by
  core.numbers.parse_number); dates stay dates.

Problems are reported all at once, each with its row (the header is row 1) and column.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import tablib
from openpyxl import load_workbook

from core.text import find_unsafe

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 1_000

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, size, encoding, shape); nothing was imported."""


@dataclass
class RowProblem:
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"row {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Row:
    line: int  # the row in the file, the header being row 1
    cells: dict[str, object]


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dataset(self) -> tablib.Dataset:
        """The rows as django-import-export reads them (a row number n is file row n + 1)."""
        dataset = tablib.Dataset(headers=self.headers)
        for row in self.rows:
            dataset.append([row.cells.get(header) for header in self.headers])
        return dataset


def is_formula_like(text: str) -> bool:
    """Text a spreadsheet would evaluate ("=HYPERLINK(...)", "@SUM", "-2+3"); a plain number is not."""
    if not text.startswith(FORMULA_STARTS):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def escape_formula(value: str) -> str:
    """A cell a spreadsheet would evaluate gets a leading apostrophe, on every export path."""
    return "'" + value if value and is_formula_like(value) else value


def unescape_formula(value: str) -> str:
    """Undo escape_formula, so that a file exported here and imported again is unchanged."""
    if len(value) > 1 and value[0] == "'" and is_formula_like(value[1:]):
        return value[1:]
    return value


def read_table(
    content: bytes,
    file_format: str,
    *,
    columns: Sequence[str] | None = None,
    required: Sequence[str] = (),
    max_rows: int = MAX_IMPORT_ROWS,
) -> Table:
    """Read an uploaded file. `columns` (when given) are all the columns allowed, `required` those that
    must be there. ImportFileError for a file that cannot be read at all; otherwise a Table whose
    `problems` list every bad header, row and cell."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    if file_format == "csv":
        raw_rows = _csv_rows(content)
    elif file_format == "xlsx":
        raw_rows = _xlsx_rows(content)
    else:
        raise ImportFileError(f"Unknown format {file_format!r}: upload a .csv or .xlsx file.")
    return _table(raw_rows, columns=columns, required=required, max_rows=max_rows)


# A raw row: its file row number and its cells, each a value and, for a cell that cannot be read as
# one, the reason (a formula, an error).
RawCell = tuple[object, str | None]


def _table(
    raw_rows: Iterator[tuple[int, list[RawCell]]], *, columns, required, max_rows: int
) -> Table:
    header_row = next(raw_rows, None)
    if header_row is None:
        raise ImportFileError("The file is empty: it needs a header row naming its columns.")
    header_line, header_cells = header_row
    names = [str(value).strip() if value is not None else "" for value, _ in header_cells]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise ImportFileError("The first row is empty: it must name the columns.")
    table = Table(headers=names)
    problems = table.problems
    problems.extend(header_problems(names, columns=columns, required=required, line=header_line))
    if problems:
        return table
    width = len(names)
    count = 0
    for line, cells in raw_rows:
        if line > 2 * max_rows + 1:  # blank rows too: a sheet of a million empty rows is refused as well
            raise ImportFileError(f"The file has more than {2 * max_rows:,} rows; the limit is {max_rows:,}.")
        if all(_blank(value) for value, _ in cells):
            continue
        count += 1
        if count > max_rows:
            raise ImportFileError(f"The file has more than {max_rows:,} rows; the limit is {max_rows:,}.")
        if len(cells) > width and not all(_blank(value) for value, _ in cells[width:]):
            problems.append(
                RowProblem(line, None, f"has {len(cells)} cells but the header names {width} columns")
            )
            continue
        values = {}
        for name, (value, unreadable) in zip(names, cells, strict=False):
            if unreadable:
                problems.append(RowProblem(line, name, unreadable))
                continue
            if isinstance(value, str):
                value = value.strip()
                if value[:1] == "'":
                    value = unescape_formula(value)
                if problem := find_unsafe(value):
                    problems.append(RowProblem(line, name, f"the text {problem}"))
                    continue
            values[name] = value
        for name in names[len(cells) :]:
            values[name] = None
        table.rows.append(Row(line=line, cells=values))
    return table


def header_problems(
    names: Sequence[str], *, columns: Sequence[str] | None, required: Sequence[str], line: int = 1
) -> list[RowProblem]:
    """The header rule, for the one reader and for import-export's own reading alike: every column named
    once, none unknown (when `columns` are given), none required missing."""
    problems = []
    for index, name in enumerate(names, 1):
        if not name:
            problems.append(RowProblem(line, None, f"column {index} has no name in the header row"))
    seen = set()
    for name in names:
        if name and name in seen:
            problems.append(RowProblem(line, name, "appears twice in the header row"))
        seen.add(name)
    if columns is not None:
        unknown = [name for name in names if name and name not in columns]
        if unknown:
            listed = ", ".join(map(repr, unknown))
            problems.append(RowProblem(line, None, f"unknown column(s) {listed}; the columns are {', '.join(columns)}"))
    missing = [name for name in required if name not in names]
    if missing:
        problems.append(RowProblem(line, None, f"missing column(s) {', '.join(map(repr, missing))}"))
    return problems


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---- CSV ---------------------------------------------------------------------------------------------

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def _decode(content: bytes) -> str:
    for bom, name in _BOMS.items():
        if content.startswith(bom):
            raise ImportFileError(f"The file is {name} text: save it as \"CSV UTF-8\" and upload it again.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = content[error.start]
        guess = " (it looks like Windows-1252, Excel's older \"CSV\")" if 0x80 <= byte <= 0xFF else ""
        raise ImportFileError(
            f"The file is not UTF-8 text{guess}: byte 0x{byte:02X} at position {error.start + 1} cannot be "
            'read. Save it as "CSV UTF-8" and upload it again.'
        ) from None


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[RawCell]]]:
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    record = 0
    try:
        for cells in reader:
            record += 1
            yield record, [(cell, None) for cell in cells]
    except csv.Error as error:
        raise ImportFileError(f"Row {record + 1} of the file is not valid CSV: {error}.") from None


# ---- XLSX --------------------------------------------------------------------------------------------


def check_xlsx_archive(content: bytes) -> None:
    """Refuse a workbook that would expand too far (a zip bomb) before anything parses it.

    An XLSX file is a zip archive and openpyxl checks none of this; XML entity attacks are handled by
    defusedxml, which openpyxl uses because it is installed.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise ImportFileError("The file is not an XLSX workbook (save it as .xlsx, or as CSV UTF-8).") from error
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ImportFileError(f"The workbook has {len(entries)} parts; the limit is {MAX_ZIP_ENTRIES}.")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            f"The workbook expands to {total // (1024 * 1024)} MB; the limit is "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB."
        )
    compressed = sum(entry.compress_size for entry in entries) or 1
    if total / compressed > MAX_COMPRESSION_RATIO:
        raise ImportFileError("The workbook is compressed suspiciously tightly and was refused.")


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[RawCell]]]:
    check_xlsx_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(
            f"The workbook could not be opened ({type(error).__name__}): is it a .xlsx file?"
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError("The workbook has no sheet.")
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(), 1):
            yield line, [_xlsx_cell(cell) for cell in _trimmed(cells)]
    finally:
        workbook.close()


def _trimmed(cells: Iterable) -> list:
    cells = list(cells)
    while cells and cells[-1].value is None:
        cells.pop()
    return cells


def _xlsx_cell(cell) -> RawCell:
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        return None, f"type the value, not a formula ({str(cell.value)[:40]})"
    if kind == "e":
        return None, f"the cell shows an error ({cell.value}): type the value"
    return cell.value, None
