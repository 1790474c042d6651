"""The audited tables as they stood at a moment, read from their history (core/audit.py).

`tables_as_at(moment)` runs every query inside the block with each audited table replaced by its state at
`moment`: the statement is prefixed with a common table expression of the table's own name, built from its
django-simple-history table (each row's last historical record at or before the moment, unless that record
is its deletion). A CTE named like a table hides the table for that statement, in PostgreSQL and SQLite
alike, so every query of every builder reads the past unchanged: the same rules, the same joins and the
same number of queries as reading the present. Nothing is copied; the history is the only record.

What is not audited (the plans' structure, periods, breakdowns, people and assignments) is read as it is
now. Rows written by a path that skips the history (only the benchmark's synthetic data do) do not exist
in the past. Inside the block the audited tables are read-only: a write to one is refused.
"""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.apps import apps
from django.db import connections, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

EXAMPLE = "2010-11-15T09:30 (Luton time) or 2010-11-15T09:30:00Z (UTC)"


class BadMoment(ValueError):
    """A moment that cannot be read, or at which there is nothing to read; the message says which."""


def audited_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if hasattr(model._meta, "simple_history_manager_attribute")]


def _history_of(model: type[models.Model]) -> type[models.Model]:
    return getattr(model, model._meta.simple_history_manager_attribute).model


class _AsAt:
    """The execute wrapper: prefixes each statement that names an audited table with that table as at the
    moment."""

    def __init__(self, connection, moment: dt.datetime) -> None:
        quote = connection.ops.quote_name
        when = connection.ops.adapt_datetimefield_value(moment)
        self.tables: dict[str, str] = {}
        for model in audited_models():
            history = _history_of(model)
            columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
            pk = quote(model._meta.pk.column)
            # Identifiers come from the models' metadata, quoted; the moment is a parameter.
            self.tables[quote(model._meta.db_table)] = (
                f"SELECT {columns} FROM (SELECT {columns}, history_type, ROW_NUMBER() OVER "  # noqa: S608  # nosec B608
                f"(PARTITION BY {pk} ORDER BY history_date DESC, history_id DESC) AS as_at_rank "
                f"FROM {quote(history._meta.db_table)} WHERE history_date <= %s) AS as_at_latest "
                "WHERE as_at_rank = 1 AND history_type <> '-'"
            )
        self.when = when

    def __call__(self, execute, sql, params, many, context):
        named = [table for table in self.tables if table in sql]
        if not named:
            return execute(sql, params, many, context)
        if many or not sql.lstrip(" (").upper().startswith("SELECT"):
            raise RuntimeError("The audited tables are read as at a moment here: nothing may be written to them.")
        prefix = "WITH " + ", ".join(f"{table} AS ({self.tables[table]})" for table in named) + " "
        return execute(prefix + sql, [self.when] * len(named) + list(params or ()), many, context)


@contextmanager
def tables_as_at(moment: dt.datetime) -> Iterator[None]:
    """Read the audited tables as they stood at `moment` (aware) inside the block, on every database."""
    with ExitStack() as stack:
        for alias in connections:
            connection = connections[alias]
            stack.enter_context(connection.execute_wrapper(_AsAt(connection, moment)))
        yield


def records_begin() -> dt.datetime | None:
    """The moment of the earliest record in any audited table's history (one query); None when there is none."""
    connection = connections["default"]
    quote = connection.ops.quote_name
    firsts = " UNION ALL ".join(
        f"SELECT MIN(history_date) AS first FROM {quote(_history_of(model)._meta.db_table)}"  # noqa: S608  # nosec B608
        for model in audited_models()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(first) FROM ({firsts}) AS firsts")  # noqa: S608  # nosec B608
        (first,) = cursor.fetchone()
    if isinstance(first, str):  # SQLite returns the text it stores
        first = parse_datetime(first)
    if first is not None and timezone.is_naive(first):
        first = timezone.make_aware(first, dt.UTC)
    return first


def parse_moment(text: str, *, name: str) -> dt.datetime:
    """A moment given as an ISO 8601 date and time (`name`=`text`): with an offset or Z, or else in the
    council's time zone. Refused, saying why: not a date and time, a date without a time, in the future."""
    shown = f"{name}={text[:40]!r}"
    text = text.strip()
    if _is_date(text):  # which moment of the day would be a guess
        raise BadMoment(f"{shown} is a date alone: give the time too, such as {name}={EXAMPLE}.")
    try:
        moment = parse_datetime(text) if text.isprintable() else None
        if moment is not None and not timezone.is_naive(moment):
            moment.astimezone(dt.UTC)  # the first moments of year 1 east of Greenwich are before it
    except (ValueError, OverflowError):  # well formed, but no such moment (a 13th month, 25 o'clock)
        raise BadMoment(f"{shown} is not a real date and time. Give one such as {name}={EXAMPLE}.") from None
    if moment is None:
        hint = ""
        if re.search(r"\d \d\d:?\d\d$", text):  # "+01:00" arrives as " 01:00"
            hint = " A '+' in a web address must be written %2B (or give the time in UTC with Z)."
        raise BadMoment(f"{shown} is not a date and time.{hint} Give one such as {name}={EXAMPLE}.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now():
        raise BadMoment(f"{shown} is in the future: figures can only be read as they stood at a moment passed.")
    return moment


def _is_date(text: str) -> bool:
    return re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text) is not None


def refuse_before_records(moment: dt.datetime, *, name: str) -> None:
    """Refuse a moment before the portal's records begin: nothing would be read, and an empty pack would
    look like one with no figures."""
    first = records_begin()
    if first is None or moment < first:
        began = "no records yet" if first is None else f"records begin at {describe(first)}"
        raise BadMoment(f"{name} is before anything the portal recorded ({began}): choose a later moment.")


def describe(moment: dt.datetime) -> str:
    """A moment for people, in the council's time: "15 November 2010, 09:30:12"."""
    return date_format(timezone.localtime(moment), "j F Y, H:i:s")


def query_value(moment: dt.datetime) -> str:
    """A moment for a web address: UTC, to the microsecond, with Z (no '+' to be mangled)."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
