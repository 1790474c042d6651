"""The bulk downloads at /data/: a CSV per table and a ZIP of them all with a Frictionless Data Package
descriptor (datapackage.json), under the Open Government Licence v3.0.

- `tables`: each table's columns (name, type, description, source), in one place;
- `package`: the CSV files, the descriptor and the ZIP;
- `builds`: where builds are kept, and which one a request is given (built in the background after a
  publication: `portal.tasks`);
- `views`: /data/ and its files.
"""

from portal.downloads.builds import Build, current_build, ensure_current
from portal.downloads.package import DESCRIPTOR_NAME, PACKAGE_NAME, ZIP_NAME, build, descriptor
from portal.downloads.tables import LICENCE, TABLES, TABLES_BY_FILE

__all__ = [
    "DESCRIPTOR_NAME",
    "LICENCE",
    "PACKAGE_NAME",
    "TABLES",
    "TABLES_BY_FILE",
    "ZIP_NAME",
    "Build",
    "build",
    "current_build",
    "descriptor",
    "ensure_current",
]
