"""Backups that can be trusted: written whole or not at all, with a SHA-256 checksum beside each, and
restored only into an empty database, after the checksum has been checked.

- PostgreSQL: `pg_dump --format=custom` (compressed; pg_restore can restore it table by table), and
  `pg_restore --single-transaction`, so a restore that fails leaves the database as it was (empty).
- SQLite: the online backup API, which copies a consistent snapshot while the portal keeps serving.

The schedule and retention are in docs/operations.md.
"""

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why in words."""


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksum(path: Path) -> Path:
    """`<hex>  <name>`, the format `sha256sum --check` reads."""
    target = checksum_path(path)
    target.write_text(f"{sha256_of(path)}  {path.name}\n", encoding="ascii")
    return target


def verify_checksum(path: Path) -> None:
    expected_file = checksum_path(path)
    if not expected_file.exists():
        raise BackupError(f"{expected_file.name} is missing: without its checksum {path.name} cannot be trusted.")
    expected = expected_file.read_text(encoding="ascii").split()[0]
    if sha256_of(path) != expected:
        raise BackupError(
            f"{path.name} does not match its checksum: the file is damaged or was changed. Nothing was restored."
        )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    # Connection details go in the environment, so that the password is never on a command line.
    env = {**os.environ, "PGDATABASE": settings_dict["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own arguments
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")


def back_up(output_dir: Path, *, alias: str = "default", now: dt.datetime | None = None) -> Path:
    """Back up the database `alias` into `output_dir`; returns the file (its checksum is beside it)."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"Backing up {vendor} databases is not supported.")
    settings_dict = connection.settings_dict
    database_file = Path(str(settings_dict["NAME"]))
    if vendor == "sqlite" and (not database_file.is_file() or database_file.stat().st_size == 0):
        raise BackupError(f"There is no database at {database_file} to back up.")
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    name = Path(str(settings_dict["NAME"])).stem
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"luton-{name}-{stamp}{SUFFIXES[vendor]}"
    partial = target.with_name(target.name + ".partial")
    try:
        if vendor == "postgresql":
            _run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial)],
                _pg_environment(settings_dict),
            )
        else:
            source = sqlite3.connect(settings_dict["NAME"])
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        partial.rename(target)  # only a complete backup carries the final name
    finally:
        partial.unlink(missing_ok=True)
    write_checksum(target)
    return target


def _tables(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        return connections[alias].introspection.table_names(cursor)


def restore(path: Path, *, alias: str = "default") -> None:
    """Restore `path` into the database `alias`, which must be empty; checks the checksum first."""
    connection = connections[alias]
    vendor = connection.vendor
    if path.suffix != SUFFIXES.get(vendor):
        raise BackupError(f"{path.name} is not a {vendor} backup (expected a {SUFFIXES.get(vendor)} file).")
    verify_checksum(path)
    existing = _tables(alias)
    if existing:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} already has {len(existing)} tables. Restore into a "
            "new, empty database and point DATABASE_URL at it; nothing was restored."
        )
    connection.close()
    if vendor == "postgresql":
        _run(
            [
                _tool("pg_restore"),
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                connection.settings_dict["NAME"],
                str(path),
            ],
            _pg_environment(connection.settings_dict),
        )
    else:
        source = sqlite3.connect(path)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
