"""What an import's cells refer to (indicators by code, periods by label...), read once per import."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from import_export import widgets

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
