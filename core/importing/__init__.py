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
  import, `Lookups`; each distinct cell is read once per file, `SafeResource.clean_cell`), then written
  in bulk with one audit history row per changed row, recording the user and the channel exactly as
  saving one by one would (core.audit.bulk_create_audited);
- cells that a spreadsheet would run as a formula are neutralised on export with a leading
  apostrophe, which import removes again, so the round trip is exact.

The package, by concern: `reports` (the problems and the report of an import, and running one),
`lookups` (what rows refer to, read once per import), `rows` (reading a file's rows once: their cells
cleaned, their keys, the existing rows they match), `resources` (SafeResource), `formats` (CSV and XLSX
through the one reader) and `admin` (the admin's import and export).
"""

from core.importing.admin import SafeImportExportAdmin
from core.importing.formats import FORMATS, read_dataset, read_for_resource
from core.importing.lookups import Lookups, LookupWidget
from core.importing.reports import ImportProblems, ImportReport, run_import
from core.importing.resources import SafeResource
from core.tables import MAX_IMPORT_BYTES, ImportFileError, RowProblem, escape_formula, unescape_formula

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
    "read_for_resource",
    "run_import",
    "unescape_formula",
]
