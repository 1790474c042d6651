"""Reading a file's rows once for an import: their cells cleaned, the existing rows their keys match, and
what import-export records of each row."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from core.tables import unescape_formula

if TYPE_CHECKING:
    from core.importing.resources import SafeResource


class PreloadedInstanceLoader(BaseInstanceLoader):
    """Every existing row of the resource's queryset, indexed by its natural key, read in one query."""

    def __init__(self, resource: "SafeResource", dataset=None) -> None:
        super().__init__(resource, dataset)
        self.attributes = [resource.fields[name].attribute for name in resource.get_import_id_fields()]
        self.existing = {
            tuple(key_part(getattr(obj, attribute)) for attribute in self.attributes): obj
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


def key_part(value):
    """A natural key's part as rows are matched on it: a record by its id, text regardless of case."""
    if isinstance(value, models.Model):
        return value.pk
    return value.casefold() if isinstance(value, str) else value


class RowResultNamedLater(RowResult):
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


def cleaned_row(row: dict) -> dict:
    """Empty cells as "" (XLSX gives None, CSV ""), text stripped, exported apostrophes removed."""
    cells = {}
    for key, value in row.items():
        if value is None:
            cells[key] = ""
        elif isinstance(value, str):
            value = value.strip()
            cells[key] = unescape_formula(value) if value[:1] == "'" else value
        else:
            cells[key] = value
    return cells
