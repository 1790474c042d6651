"""Spreadsheet import and export shared by every app: safe, strict, all-or-nothing, and fast.

Every resource (indicators, targets, partners, risks) derives from SafeResource, so the same rules hold
in the admin and on the command line (`import_records`):

- files are read by the one reader (core/tables.py): sizes, encodings, headers, ragged rows, formulas
  and hidden characters are all checked there, with the row and column of each problem;
- the header must name only the resource's columns, each once, with its natural-key columns;
- rows are matched on natural keys (a target is its plan, indicator, period and breakdown); a key
  may appear once in a file; a row that changes nothing is skipped, so re-importing an exported file
  changes nothing;
- an import with any bad row changes nothing, and the report names each bad row by its line in the
  file, the column and the reason, in words;
- a whole file is validated in a constant number of queries (what rows refer to is read once per
  import, `Lookups`), then written in bulk with one audit history row per changed row, recording the
  user and the channel exactly as saving one by one would (core.audit.bulk_create_audited);
- cells that a spreadsheet would run as a formula are neutralised on export with a leading
  apostrophe, which import removes again, so the round trip is exact.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.encoding import force_str
from import_export import resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from core.audit import Channel, audit, bulk_create_audited, bulk_update_audited
from core.tables import (
    MAX_IMPORT_BYTES,
    ImportFileError,
    RowProblem,
    Table,
    escape_formula,
    header_problems,
    read_table,
    unescape_formula,
)

__all__ = [
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "ImportFileError",
    "ImportProblems",
    "ImportReport",
    "LookupWidget",
    "Lookups",
    "RowProblem",
    "SafeImportExportAdmin",
    "SafeResource",
    "escape_formula",
    "read_dataset",
    "run_import",
    "unescape_formula",
]


class ImportProblems(ImportFileError):
    """Problems found before any row is imported (the header, duplicate keys, unreadable cells)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.column or ""))
        super().__init__("; ".join(str(problem) for problem in self.problems))


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


# ---- Lookups: what rows refer to, read once per import ------------------------------------------------

_lookups: ContextVar["Lookups | None"] = ContextVar("import_lookups", default=None)


class Lookups:
    """Rows that an import's cells refer to (indicators by code, periods by label...), each table read once
    per import and indexed by the fields asked for, so that validating a file takes a constant number of
    queries however many rows it has."""

    def __init__(self) -> None:
        self._indexes: dict[tuple, dict] = {}
        self.resolved: dict[tuple, object] = {}  # a widget's answer for a cell value, asked again per row

    def index(self, model: type[models.Model], fields: tuple[str, ...], queryset=None) -> dict[tuple, models.Model]:
        """Every row of `model` (or of `queryset`, one of its) by the values of `fields` (text casefolded)."""
        key = (model, fields)
        if key not in self._indexes:
            rows = model._default_manager.all() if queryset is None else queryset
            self._indexes[key] = {tuple(_attr(obj, name) for name in fields): obj for obj in rows}
        return self._indexes[key]

    @staticmethod
    def current() -> "Lookups":
        """The current import's lookups; outside an import, a fresh one (each call reads afresh)."""
        return _lookups.get() or Lookups()

    @staticmethod
    @contextmanager
    def during_import() -> Iterator["Lookups"]:
        lookups = _lookups.get()
        if lookups is not None:
            yield lookups
            return
        lookups = Lookups()
        token = _lookups.set(lookups)
        try:
            yield lookups
        finally:
            _lookups.reset(token)


def _attr(obj: models.Model, name: str):
    value = getattr(obj, name)
    return value.casefold() if isinstance(value, str) else value


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a natural value, with a message naming what was not found."""

    def __init__(self, model, field: str, *, noun: str, **kwargs) -> None:
        super().__init__(model, field=field, **kwargs)
        self.noun = noun

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        found = Lookups.current().index(self.model, (self.field,)).get((str(value).strip().casefold(),))
        if found is None:
            raise ValueError(f"no {self.noun} {value!r}")
        return found


class _PreloadedInstanceLoader(BaseInstanceLoader):
    """Every existing row of the resource's queryset, indexed by its natural key, read in one query."""

    def __init__(self, resource: "SafeResource", dataset=None) -> None:
        super().__init__(resource, dataset)
        self.attributes = [resource.fields[name].attribute for name in resource.get_import_id_fields()]
        self.existing = {
            tuple(_key_part(getattr(obj, attribute)) for attribute in self.attributes): obj
            for obj in resource.get_queryset().filter(**self._keys_in(resource, dataset))
        }

    def _keys_in(self, resource: "SafeResource", dataset) -> dict:
        """Only the rows the file could match: those whose key columns that name other records (a plan, an
        indicator) take a value the file names, so the read grows with the file, not with the table."""
        if dataset is None:
            return {}
        named: dict[str, set] = {name: set() for name in resource.get_import_id_fields()}
        not_records = set()  # key columns with a value that is not another record (a reference, a slug)
        for cells in resource.file_keys(dataset):
            for name, (part, is_record) in cells.items():
                if is_record:
                    named[name].add(part)
                else:
                    not_records.add(name)
        return {
            f"{resource.fields[name].attribute}__in": pks
            for name, pks in named.items()
            if pks and name not in not_records
        }

    def get_instance(self, row):
        try:
            return self.existing.get(self.resource.natural_key(row))
        except (ValueError, ValidationError):
            return None  # reported against its column by SafeResource.before_import_row


def _key_part(value):
    if isinstance(value, models.Model):
        return value.pk
    return value.casefold() if isinstance(value, str) else value


# ---- Resources -----------------------------------------------------------------------------------------


class _RowResult(RowResult):
    """import-export's row result, naming its instance only when asked (the admin's log of older Django
    versions asks; Django 6 logs the instances themselves): naming a target reads its indicator and period,
    which was a tenth of a large import's time."""

    def add_instance_info(self, instance):
        if instance is not None:
            self.object_id = getattr(instance, "pk", None)
            self._named = instance

    @property
    def object_repr(self):
        named = self.__dict__.get("_named")
        if named is None:
            return self.__dict__.get("_object_repr")
        try:
            return force_str(named)
        except Exception:  # as import-export: an instance that cannot be named is logged without a name
            return None

    @object_repr.setter
    def object_repr(self, value):
        self._object_repr = value


class SafeResource(resources.ModelResource):
    """Base of every spreadsheet resource of the portal."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = True  # written by bulk_create/update_audited below, with their history
        batch_size = None  # all at the end: an import is all or nothing anyway
        skip_diff = True  # unchanged rows are found by comparing with the row as loaded (skip_row)
        skip_html_diff = True
        instance_loader_class = _PreloadedInstanceLoader

    # ---- reading and checking the file as a whole

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cells: dict[tuple, object] = {}  # clean_cell's answers, for one file
        self._relations = {f.name for f in self._meta.model._meta.concrete_fields if f.is_relation}
        self._file_rows: list[dict] | None = None
        self._file_keys: list[dict] | None = None

    def before_import(self, dataset, **kwargs):
        """The header, then keys appearing twice: refused before any row is imported."""
        super().before_import(dataset, **kwargs)
        self._as_loaded: dict[int, tuple] = {}
        self._cells = {}
        self._file_rows = None
        self._file_keys = None
        self._dry_run = kwargs.get("dry_run", False)
        headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
        dataset.headers = headers
        required = [self.fields[name].column_name for name in self.get_import_id_fields()]
        problems = header_problems(headers, columns=self.column_names(), required=required)
        if not problems:
            problems = self.duplicate_key_problems(dataset)
        if problems:
            raise ImportProblems(problems)

    def duplicate_key_problems(self, dataset) -> list[RowProblem]:
        """Each natural key once per file: a second row for the same key would silently win."""
        first_line: dict[tuple, int] = {}
        problems = []
        columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        names = self.get_import_id_fields()
        for number, cells in enumerate(self.file_keys(dataset), 1):
            if len(cells) < len(names):
                continue  # an unknown key is reported against its column when the row is imported
            key = tuple(cells[name][0] for name in names)
            line = number + 1
            if key in first_line:
                same = f"the same {', '.join(columns)} as row {first_line[key]}: each may appear once"
                problems.append(RowProblem(line, None, same))
            else:
                first_line[key] = line
        return problems

    def natural_key(self, row: dict) -> tuple:
        """The row's key as the instance loader matches it (the natural-key columns of a cleaned row)."""
        return tuple(_key_part(self.clean_cell(self.fields[name], row)) for name in self.get_import_id_fields())

    def file_rows(self, dataset) -> list[dict]:
        """The file's rows with their cells cleaned, read once for the checks of the whole file."""
        if self._file_rows is None:
            headers = dataset.headers
            self._file_rows = [_cleaned(dict(zip(headers, values, strict=False))) for values in dataset]
        return self._file_rows

    def file_keys(self, dataset) -> list[dict[str, tuple]]:
        """Each row's natural-key cells by field name, as (the key's part, whether it names a record), for
        the checks of the whole file. A missing column or a bad cell is left out: it is reported when the
        row is imported."""
        if self._file_keys is None:
            fields = [(name, self.fields[name]) for name in self.get_import_id_fields()]
            self._file_keys = []
            for row in self.file_rows(dataset):
                cells = {}
                for name, key_field in fields:
                    try:
                        value = self.clean_cell(key_field, row)
                    except (KeyError, ValueError, ValidationError):
                        continue
                    cells[name] = (_key_part(value), isinstance(value, models.Model))
                self._file_keys.append(cells)
        return self._file_keys

    def clean_cell(self, field, row: dict):
        """field.clean(row), worked out once per file for each value: a cell means the same on every row
        of a file (a widget whose answer depends on other cells of its row names them in `also_reads`).
        A file repeats its plans, indicators and periods on thousands of rows, and every check of a row
        asks for its key: without this, most of an import's time went on looking up the same cells."""
        try:
            value = row[field.column_name]
        except KeyError:
            return field.clean(row)  # the KeyError naming the missing column
        also = getattr(field.widget, "also_reads", None)
        if also:
            memo = (field, type(value), value, *[(type(row.get(name)), row.get(name)) for name in also])
        else:
            memo = (field, type(value), value)
        try:
            return self._cells[memo]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell
            return field.clean(row)
        self._cells[memo] = cleaned = field.clean(row)  # a refusal raises, and is not remembered
        return cleaned

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number")
        # The row as the checks of the whole file read it (import_data_inner numbers the rows from 1).
        row.update(self._file_rows[number - 1] if self._file_rows is not None and number else _cleaned(row))
        super().before_import_row(row, **kwargs)
        # The natural-key columns are looked up before anything else; say which one failed.
        errors = {}
        for name in self.get_import_id_fields():
            key_field = self.fields[name]
            if key_field.column_name not in row:
                continue  # the header check names it
            try:
                self.clean_cell(key_field, row)
            except ValueError as error:
                errors[key_field.column_name] = str(error)
        if errors:
            raise ValidationError(errors)

    def import_instance(self, instance, row, **kwargs):
        """import-export's import_instance (each field's cell onto the instance, a ValueError as that field's
        error), with each cell cleaned once per file (clean_cell)."""
        errors = {}
        for imported, path, name in self._fields_imported():
            if imported.column_name not in row:
                continue
            try:
                cleaned = self.clean_cell(imported, row)
            except ValueError as error:
                errors[imported.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            if cleaned is not None or imported.saves_null_values:
                target = instance
                for attribute in path:
                    target = getattr(target, attribute, None)
                setattr(target, name, cleaned)
        if errors:
            raise ValidationError(errors)

    def _fields_imported(self) -> list[tuple]:
        """The fields import_instance sets, with the path to each attribute (as Field.save follows it)."""
        if "_imported" not in self.__dict__:
            self._imported = [
                (imported, imported.attribute.split("__")[:-1], imported.attribute.split("__")[-1])
                for imported in self.get_import_fields()
                if imported.attribute
                and not imported.readonly
                and not isinstance(imported.widget, widgets.ManyToManyWidget)
            ]
        return self._imported

    def get_row_result_class(self):
        return _RowResult

    def get_import_fields(self):
        if "_import_fields" not in self.__dict__:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if not new:
            self._as_loaded[id(instance)] = self._compared(instance)

    def _compared(self, instance) -> tuple:
        return tuple(getattr(instance, f.attribute, None) for f in self.get_import_fields() if f.attribute)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged: an existing row whose imported fields equal what was loaded."""
        if import_validation_errors or instance.pk is None:
            return False
        return self._as_loaded.get(id(instance)) == self._compared(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own field checks, without a query per row: keys were matched in bulk and each
        appears once in the file; the database's constraints check the rest when the file is written."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude={*errors, *self._relations}, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.check_instance(instance)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def check_instance(self, instance) -> None:
        """Rules beyond the model's fields (a target in its indicator's unit...): raise ValidationError."""

    # ---- writing: in bulk, with the audit history

    @staticmethod
    def _failed(result) -> bool:
        # All or nothing: a file with a bad row writes nothing (and moves no data version).
        return result is not None and (result.has_errors() or result.has_validation_errors())

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self._failed(result):
            self.create_instances.clear()
        if self.create_instances:
            try:
                bulk_create_audited(self.create_instances, self._meta.model, notify=not dry_run)
            except Exception as error:  # a database constraint: reported as a problem of the file
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self._failed(result):
            self.update_instances.clear()
        if self.update_instances:
            try:
                bulk_update_audited(
                    self.update_instances, self._meta.model, self.get_bulk_update_fields(), notify=not dry_run
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def get_bulk_update_fields(self):
        keys = {self.fields[name].attribute for name in self.get_import_id_fields()}
        return [f.attribute for f in self.get_import_fields() if f.attribute and f.attribute not in keys]

    def import_data(self, dataset, *args, **kwargs):
        with Lookups.during_import():
            return super().import_data(dataset, *args, **kwargs)

    # ---- exporting

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return escape_formula(value) if isinstance(value, str) else value

    def column_for(self, attribute: str) -> str:
        for resource_field in self.fields.values():
            if resource_field.attribute == attribute or resource_field.column_name == attribute:
                return resource_field.column_name
        return attribute

    @classmethod
    def column_names(cls) -> list[str]:
        return [f.column_name for f in cls().get_import_fields()]


def _cleaned(row: dict) -> dict:
    """Empty cells as "" (XLSX gives None, CSV ""), text stripped, exported apostrophes removed."""
    cleaned = {}
    for key, value in row.items():
        if value is None:
            cleaned[key] = ""
        elif isinstance(value, str):
            value = value.strip()
            cleaned[key] = unescape_formula(value) if value[:1] == "'" else value
        else:
            cleaned[key] = value
    return cleaned


# ---- Formats: django-import-export's, reading through the one reader ---------------------------------


def _dataset(content: bytes, file_format: str) -> tablib.Dataset:
    table = read_table(content, file_format)
    if table.problems:
        raise ImportProblems(table.problems)
    return table.to_dataset()


class SafeCSV(base_formats.CSV):
    """CSV through the one reader: UTF-8 only, every problem named by row and column."""

    def is_binary(self):
        return True  # the bytes come to create_dataset, which decodes them (and names a wrong encoding)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return _dataset(in_stream, "csv")


class SafeXLSX(base_formats.XLSX):
    """XLSX through the one reader: streamed, refused early when too big, formulas refused."""

    def create_dataset(self, in_stream):
        return _dataset(in_stream, "xlsx")


FORMATS = {"csv": SafeCSV, "xlsx": SafeXLSX}


def read_dataset(content: bytes, file_format: str) -> tablib.Dataset:
    """The rows of an uploaded file for a resource import (ImportFileError naming every problem)."""
    return _dataset(content, file_format)


def read_for_resource(content: bytes, file_format: str, resource: SafeResource) -> Table:
    """The file read with the resource's header rule, for callers that report problems themselves."""
    required = [resource.fields[name].column_name for name in resource.get_import_id_fields()]
    return read_table(content, file_format, columns=resource.column_names(), required=required)


def run_import(resource: SafeResource, dataset: tablib.Dataset, *, dry_run: bool, user=None) -> ImportReport:
    """Import all rows or none; report each problem by file row (the header is row 1) and column."""
    report = ImportReport(dry_run=dry_run)
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
        if isinstance(error.error, ImportProblems):
            report.problems.extend(error.error.problems)
        else:
            report.problems.append(RowProblem(None, None, _message(error.error)))
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
    """An error in words: a validation message as written, anything else by what it means."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ImportFileError):
        return str(error)
    text = str(error).strip()
    return f"the row could not be saved ({type(error).__name__}{': ' + text if text else ''})"


class SafeImportExportAdmin(ImportExportModelAdmin):
    """Admin import/export with the portal's rules: the one reader, and all-or-nothing imports
    (import-export otherwise keeps the good rows of a file with bad ones). Errors are shown as
    messages with their row and column, never as tracebacks (templates/admin/import_export/import.html;
    import-export logs each error with its traceback)."""

    formats = [SafeCSV, SafeXLSX]
    import_error_display = ("message",)

    def process_dataset(self, dataset, form, request, **kwargs):
        with audit(channel=Channel.IMPORT, user=request.user):
            return super().process_dataset(dataset, form, request, **kwargs)

    def get_import_data_kwargs(self, **kwargs):
        import_kwargs = super().get_import_data_kwargs(**kwargs)
        import_kwargs["rollback_on_validation_errors"] = True
        return import_kwargs

    def add_data_read_fail_error_to_form(self, form, error):
        # Say what was wrong with the file in words, not with a traceback.
        if isinstance(error, ImportProblems):
            for problem in error.problems:
                form.add_error("import_file", str(problem))
        elif isinstance(error, ImportFileError):
            form.add_error("import_file", str(error))
        else:
            form.add_error("import_file", "The file could not be read: save it as .xlsx or as CSV UTF-8 and try again.")
