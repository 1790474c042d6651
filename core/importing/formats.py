"""django-import-export's formats, reading through the one reader (core/tables.py)."""

from typing import TYPE_CHECKING

import tablib
from import_export.formats import base_formats

from core.importing.reports import ImportProblems
from core.tables import Table, read_table

if TYPE_CHECKING:
    from core.importing.resources import SafeResource


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


def read_for_resource(content: bytes, file_format: str, resource: "SafeResource") -> Table:
    """The file read with the resource's header rule, for callers that report problems themselves."""
    required = [resource.fields[name].column_name for name in resource.get_import_id_fields()]
    return read_table(content, file_format, columns=resource.column_names(), required=required)
