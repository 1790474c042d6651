"""Spreadsheet import and export shared by every app: safe, strict, all-or-nothing.

Every resource (indicators, targets, values, partners, risks) derives from SafeResource, so the
same rules hold in the admin and on the command line:

- rows are matched on natural keys (a target is its plan, indicator, period and breakdown), and a
  row that changes nothing is skipped, so re-importing an exported file changes nothing;
- an import with any bad row changes nothing, and the report names each bad row by its line in
  the file, the column and the reason;
- cells that a spreadsheet would run as a formula are neutralised on export with a leading
  apostrophe, which import removes again, so the round trip is exact.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats

from core.audit import Channel, audit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 1_000


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def escape_formula(value: str) -> str:
    """A cell a spreadsheet would evaluate ("=HYPERLINK(...)", "@SUM", "-2+3") gets a leading apostrophe.

    Plain negative numbers ("-3.5") are numbers, not formulas, and stay as they are.
    """
    if value and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, size, headers)."""


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
class ImportReport:
    dry_run: bool
    new: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            lines = [f"Nothing was imported: {len(self.problems)} problem(s)."]
            lines += [f"  {problem}" for problem in self.problems]
            return "\n".join(lines)
        verb = "Would import" if self.dry_run else "Imported"
        return f"{verb}: {self.new} new, {self.updated} changed, {self.skipped} unchanged."


class SafeResource(resources.ModelResource):
    """Base of every spreadsheet resource of the portal."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = False  # bulk writes would bypass the audit history
        skip_html_diff = True

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return escape_formula(value) if isinstance(value, str) else value

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if value is None:  # an empty XLSX cell; CSV gives ""
                row[key] = ""
            elif isinstance(value, str):
                row[key] = unescape_formula(value.strip())
        super().before_import_row(row, **kwargs)
        # The natural-key columns are looked up before anything else; say which one failed.
        errors = {}
        for name in self.get_import_id_fields():
            key_field = self.fields[name]
            try:
                key_field.widget.clean(row.get(key_field.column_name), row=row)
            except ValueError as error:
                errors[key_field.column_name] = str(error)
        if errors:
            raise ValidationError(errors)

    def column_for(self, attribute: str) -> str:
        for resource_field in self.fields.values():
            if resource_field.attribute == attribute or resource_field.column_name == attribute:
                return resource_field.column_name
        return attribute

    @classmethod
    def column_names(cls) -> list[str]:
        return [f.column_name for f in cls().get_import_fields()]


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a natural value, with a message naming what was not found."""

    def __init__(self, model, field: str, *, noun: str, **kwargs) -> None:
        super().__init__(model, field=field, **kwargs)
        self.noun = noun

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: str(value).strip()})
        except self.model.DoesNotExist:
            raise ValueError(f"no {self.noun} {value!r}") from None


def check_xlsx_archive(content: bytes) -> None:
    """Refuse a workbook that would expand too far (a zip bomb) before anything parses it.

    An XLSX file is a zip archive and openpyxl checks none of this; XML entity attacks are handled
    by defusedxml, which openpyxl uses because it is installed.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise ImportFileError("The file is not an XLSX workbook.") from error
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


def _check_size(content: bytes | str) -> None:
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")


def _check_rows(dataset: tablib.Dataset) -> tablib.Dataset:
    if len(dataset) > MAX_IMPORT_ROWS:
        raise ImportFileError(f"The file has {len(dataset)} rows; the limit is {MAX_IMPORT_ROWS}.")
    return dataset


class SafeCSV(base_formats.CSV):
    """CSV read as UTF-8 (with or without a byte-order mark), within the size limits."""

    def __init__(self, encoding: str = "utf-8-sig") -> None:
        super().__init__(encoding=encoding)

    def create_dataset(self, in_stream, **kwargs):
        _check_size(in_stream)
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ImportFileError("The CSV file is not UTF-8 text.") from error
        try:
            return _check_rows(super().create_dataset(in_stream, **kwargs))
        except ImportFileError:
            raise
        except Exception as error:  # tablib raises many kinds for malformed files
            raise ImportFileError(f"The file could not be read as CSV: {error}") from error


class SafeXLSX(base_formats.XLSX):
    """XLSX, refused before parsing when it would expand too far."""

    def create_dataset(self, in_stream):
        _check_size(in_stream)
        check_xlsx_archive(in_stream)
        try:
            return _check_rows(super().create_dataset(in_stream))
        except ImportFileError:
            raise
        except Exception as error:
            raise ImportFileError(f"The file could not be read as XLSX: {error}") from error


FORMATS = {"csv": SafeCSV, "xlsx": SafeXLSX}


def read_dataset(content: bytes, file_format: str) -> tablib.Dataset:
    """The rows of an uploaded CSV or XLSX file, refusing what is too big or not a spreadsheet."""
    if file_format not in FORMATS:
        raise ImportFileError(f"Unknown format {file_format!r}: use csv or xlsx.")
    return FORMATS[file_format]().create_dataset(content)


def run_import(resource: SafeResource, dataset: tablib.Dataset, *, dry_run: bool, user=None) -> ImportReport:
    """Import all rows or none; report each problem by file row (the header is row 1) and column."""
    report = ImportReport(dry_run=dry_run)
    headers = [h.strip() if isinstance(h, str) else h for h in (dataset.headers or [])]
    known = set(resource.column_names())
    unknown = [h for h in headers if h not in known]
    if unknown:
        report.problems.append(
            RowProblem(1, None, f"unknown column(s) {', '.join(map(repr, unknown))}; expected {sorted(known)}")
        )
        return report
    missing = [resource.column_for(name) for name in resource.get_import_id_fields()]
    missing = [name for name in missing if name not in headers]
    if missing:
        report.problems.append(RowProblem(1, None, f"missing column(s) {', '.join(map(repr, missing))}"))
        return report
    dataset.headers = headers
    with audit(channel=Channel.IMPORT, user=user):
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=user,
        )
    for error in result.base_errors:
        report.problems.append(RowProblem(None, None, str(error.error)))
    for row_number, errors in result.row_errors():
        for error in errors:
            report.problems.append(RowProblem(row_number + 1, None, _message(error.error)))
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            column = None if attribute == NON_FIELD_ERRORS else resource.column_for(attribute)
            for message in messages:
                report.problems.append(RowProblem(invalid.number + 1, column, message))
    report.problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    totals = result.totals
    report.new, report.updated, report.skipped = totals["new"], totals["update"], totals["skip"]
    return report


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class SafeImportExportAdmin(ImportExportModelAdmin):
    """Admin import/export with the portal's rules: safe formats, and all-or-nothing imports
    (import-export otherwise keeps the good rows of a file with bad ones)."""

    formats = [SafeCSV, SafeXLSX]

    def process_dataset(self, dataset, form, request, **kwargs):
        with audit(channel=Channel.IMPORT, user=request.user):
            return super().process_dataset(dataset, form, request, **kwargs)

    def get_import_data_kwargs(self, **kwargs):
        import_kwargs = super().get_import_data_kwargs(**kwargs)
        import_kwargs["rollback_on_validation_errors"] = True
        return import_kwargs

    def add_data_read_fail_error_to_form(self, form, error):
        # Say what was wrong with the file in words, not with a traceback.
        form.add_error(
            "import_file",
            str(error) if isinstance(error, ImportFileError) else f"Could not read the file: {error}",
        )
