"""Making database rows match curated fixture files, idempotently.

A Syncer owns the rows of one model within one scope (say, the statements of one plan). For each
row the fixture describes it creates the row, or updates it only if a field differs, so running
the loader twice writes nothing and audit history records only real changes. Rows in the scope
that the fixture no longer describes are deleted when the syncer finishes.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models


class FixtureError(Exception):
    """A fixture file is malformed; the message names the file and the entry."""


def read_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError as error:
        raise FixtureError(f"{path}: file not found") from error
    except yaml.YAMLError as error:
        raise FixtureError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise FixtureError(f"{path}: expected a mapping at the top level")
    return data


def save_checked(obj: models.Model, where: str) -> None:
    """Save a row a fixture describes, after the model's field checks (lengths, choices, validators),
    so that the curator gets a message naming the file and entry. Uniqueness is left to the database,
    which checks it anyway. Loaders use this for rows they match themselves rather than by a Syncer."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
        raise FixtureError(f"{where}: {details}") from error
    obj.save()


class Syncer:
    def __init__(self, queryset: models.QuerySet, key_fields: Iterable[str], *, where: str = "") -> None:
        self.model = queryset.model
        self.key_fields = tuple(key_fields)
        self.where = where
        self.existing: dict[tuple, models.Model] = {
            tuple(getattr(obj, field) for field in self.key_fields): obj for obj in queryset
        }
        self.seen: set[tuple] = set()
        self.created = self.updated = self.deleted = 0

    def sync(self, key: dict[str, Any], *, where: str = "", **values: Any) -> models.Model:
        """The row with this key, created or brought up to date with `values`."""
        key_tuple = tuple(key[field] for field in self.key_fields)
        location = where or self.where
        if key_tuple in self.seen:
            raise FixtureError(f"{location}: two entries describe the same {self.model._meta.verbose_name} {key}")
        self.seen.add(key_tuple)
        obj = self.existing.get(key_tuple)
        if obj is None:
            obj = self.model(**key, **values)
            save_checked(obj, location)
            self.existing[key_tuple] = obj
            self.created += 1
            return obj
        changed = False
        for field, value in values.items():
            if getattr(obj, field) != value:
                setattr(obj, field, value)
                changed = True
        if changed:
            save_checked(obj, location)
            self.updated += 1
        return obj

    def finish(self) -> None:
        """Delete the rows in scope that the fixture no longer describes."""
        for key_tuple, obj in self.existing.items():
            if key_tuple not in self.seen:
                obj.delete()
                self.deleted += 1
