"""Which release of the code is running: part of every validator a response is cached under.

A public response keyed on the data alone would outlive a deployment that changes its shape (a new
field in the API, a new column in a download): clients would keep the old one with `304 Not
Modified` until the data next changed. Keying on the code too makes a deployment a change.
"""

import datetime as dt
import functools
import hashlib
from pathlib import Path

from django.conf import settings

# The portal's own code and templates; not the tests, the virtual environment or collected files.
SOURCES = ("core", "plans", "indicators", "partners", "accounts", "returns", "portal", "luton_plan", "templates")


@functools.cache
def code_release() -> tuple[str, dt.datetime]:
    """A digest of the portal's Python and template files, and when the newest of them changed.

    The same in every process of one deployment (it reads the files, not the clock); computed once
    per process (about 200 small files)."""
    digest = hashlib.sha256()
    newest = 0.0
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".md") and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
                newest = max(newest, path.stat().st_mtime)
    return digest.hexdigest()[:16], dt.datetime.fromtimestamp(newest, tz=dt.UTC)
