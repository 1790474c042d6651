"""SafeResource: the base of every spreadsheet resource of the portal (see the package's rules)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from import_export import resources, widgets

from core.audit import bulk_create_audited, bulk_update_audited
from core.importing.lookups import Lookups
from core.importing.reports import ImportProblems
from core.importing.rows import PreloadedInstanceLoader, RowResultNamedLater, cleaned_row, key_part
from core.tables import RowProblem, escape_formula, header_problems


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
        instance_loader_class = PreloadedInstanceLoader

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cells: dict[tuple, object] = {}  # clean_cell's answers, for one file
        self._relations = {f.name for f in self._meta.model._meta.concrete_fields if f.is_relation}
        self._file_rows: list[dict] | None = None
        self._file_keys: list[dict] | None = None
        self._row_key: tuple | None = None  # (row, its key cells, its key): see before_import_row
        keys = [self.fields[name] for name in self.get_import_id_fields()]
        also = [column for key in keys for column in getattr(key.widget, "also_reads", ())]
        self._key_columns = list(dict.fromkeys([key.column_name for key in keys] + also))

    # ---- reading and checking the file as a whole

    def before_import(self, dataset, **kwargs):
        """The header, then keys appearing twice: refused before any row is imported."""
        super().before_import(dataset, **kwargs)
        self._as_loaded: dict[int, tuple] = {}
        self._cells = {}
        self._file_rows = None
        self._file_keys = None
        self._row_key = None
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
        remembered = self._row_key
        if remembered is not None and remembered[0] is row:
            for column, cell in remembered[1]:
                if row.get(column) is not cell:
                    break
            else:
                return remembered[2]
        return tuple(key_part(self.clean_cell(self.fields[name], row)) for name in self.get_import_id_fields())

    def file_rows(self, dataset) -> list[dict]:
        """The file's rows with their cells cleaned, read once for the checks of the whole file."""
        if self._file_rows is None:
            headers = dataset.headers
            self._file_rows = [cleaned_row(dict(zip(headers, values, strict=False))) for values in dataset]
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
                    cells[name] = (key_part(value), isinstance(value, models.Model))
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

    # ---- each row

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number")
        self._row_key = None
        read = self._file_rows is not None and self._file_keys is not None and number
        # The row as the checks of the whole file read it (import_data_inner numbers the rows from 1).
        row.update(self._file_rows[number - 1] if read else cleaned_row(row))
        super().before_import_row(row, **kwargs)
        # The natural-key columns are looked up before anything else; say which one failed. The checks of
        # the whole file read them from these very cells: only one they could not read is read again.
        known = self._file_keys[number - 1] if read else {}
        errors = {}
        for name in self.get_import_id_fields():
            key_field = self.fields[name]
            if name in known or key_field.column_name not in row:
                continue  # (the header check names a missing column)
            try:
                self.clean_cell(key_field, row)
            except ValueError as error:
                errors[key_field.column_name] = str(error)
        if errors:
            raise ValidationError(errors)
        if len(known) == len(self.get_import_id_fields()):
            # The key the instance loader will ask for, unless a subclass's hook rewrites a cell it is
            # read from (an indicator's slug made from its code).
            cells = [(column, row.get(column)) for column in self._key_columns]
            self._row_key = (row, cells, tuple(known[name][0] for name in self.get_import_id_fields()))

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
        return RowResultNamedLater

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
