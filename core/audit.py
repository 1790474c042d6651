"""Who changed what, when and through which channel: the audit trail behind every figure.

Audited models keep a django-simple-history table whose rows also record the channel of the
change: a form, the admin, a spreadsheet import, the API, or a management command. The user and
channel come from the request (via simple-history's middleware) or, outside a request, from
`audit(...)`, a context manager that import code and commands wrap their writes in.

Audited models use AuditedQuerySet, which refuses QuerySet.update() and bulk writes: those skip
the history, so there is no write path that bypasses the trail.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, models, router
from django.db.models.signals import ModelSignal
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class Channel(models.TextChoices):
    FORM = "form", "Web form"
    ADMIN = "admin", "Administration"
    IMPORT = "import", "Spreadsheet import"
    API = "api", "API"
    COMMAND = "command", "Management command"


_channel: ContextVar[str | None] = ContextVar("audit_channel", default=None)
_user: ContextVar = ContextVar("audit_user", default=None)


@contextmanager
def audit(*, channel: str, user=None) -> Iterator[None]:
    """Attribute the writes inside the block to `user` through `channel`."""
    channel_token = _channel.set(channel)
    user_token = _user.set(user)
    try:
        yield
    finally:
        _channel.reset(channel_token)
        _user.reset(user_token)


class AuditChannel(models.Model):
    """Extra column on every historical table: the channel the change came through."""

    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.COMMAND)

    class Meta:
        abstract = True


def _history_user(instance, request=None, **kwargs):
    user = _user.get()
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    if request is not None and request.user.is_authenticated:
        return request.user
    return None


def audited_history(**kwargs) -> HistoricalRecords:
    """HistoricalRecords with the channel column and the audit user."""
    return HistoricalRecords(bases=[AuditChannel], get_user=_history_user, **kwargs)


def _channel_of_request(request) -> str:
    path = request.path
    if path.startswith("/admin/"):
        return Channel.IMPORT if "import" in path.rsplit("/", 2)[-2] else Channel.ADMIN
    if path.startswith("/api/"):
        return Channel.API
    return Channel.FORM


def _record_channel(sender, history_instance, **kwargs) -> None:
    if not isinstance(history_instance, AuditChannel):
        return
    channel = _channel.get()
    if channel is None:
        request = getattr(HistoricalRecords.context, "request", None)
        channel = _channel_of_request(request) if request is not None else Channel.COMMAND
    history_instance.channel = channel


pre_create_historical_record.connect(_record_channel, dispatch_uid="core.audit.channel")


class AuditedQuerySet(models.QuerySet):
    """Refuses the writes that would not be audited: save() or delete() each object, or write many at
    once through bulk_create_audited() / bulk_update_audited(), which write their history too."""

    def update(self, **kwargs):
        if not _bulk_with_history.get():  # bulk_update() updates through update()
            raise TypeError(f"{self.model.__name__} is audited: save each object instead of QuerySet.update().")
        return super().update(**kwargs)

    def bulk_create(self, *args, **kwargs):
        if not _bulk_with_history.get():
            raise TypeError(f"{self.model.__name__} is audited: use core.audit.bulk_create_audited().")
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        if not _bulk_with_history.get():
            raise TypeError(f"{self.model.__name__} is audited: use core.audit.bulk_update_audited().")
        return super().bulk_update(*args, **kwargs)


_bulk_with_history: ContextVar[bool] = ContextVar("bulk_with_history", default=False)

# Sent after a bulk write (which sends no post_save), with the model as sender: whatever must follow
# every change of a model (the data version, see indicators/apps.py) listens to it too.
bulk_written = ModelSignal(use_caching=True)

BATCH_SIZE = 1000


def _audited(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _historical_attrs() -> tuple[object, dict]:
    user = _user.get()
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = request.user if request is not None else None
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    channel = _channel.get()
    if channel is None:
        request = getattr(HistoricalRecords.context, "request", None)
        channel = _channel_of_request(request) if request is not None else Channel.COMMAND
    return user, {"channel": channel}


def _copy_into_history(model: type[models.Model], pks: list, history_type: str, user, attrs: dict) -> None:
    """Write the history rows of rows just written, copied by the database from the rows themselves:
    one INSERT ... SELECT per thousand rows. The same rows as django-simple-history's
    bulk_history_create (every tracked field, the date, type, user and channel), without building a
    Python object per row, which made the history most of an import's time."""
    if any(pk is None for pk in pks):
        raise RuntimeError(f"The database did not return the keys of the new {model._meta.verbose_name_plural}.")
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    source = {field.attname: field for field in model._meta.concrete_fields}
    copied = [field for field in history._meta.concrete_fields if field.attname in source]
    stamped = {
        "history_date": timezone.now(),
        "history_type": history_type,
        "history_user": user.pk if user is not None else None,
        "history_change_reason": None,
        **attrs,
    }
    stamp_fields = [history._meta.get_field(name) for name in stamped]
    stamp_params = [field.get_db_prep_save(stamped[field.name], connection) for field in stamp_fields]
    columns = ", ".join(quote(field.column) for field in [*copied, *stamp_fields])
    selected = ", ".join([quote(source[field.attname].column) for field in copied] + ["%s"] * len(stamp_fields))
    pk_column = quote(model._meta.pk.column)
    tables = quote(history._meta.db_table), quote(model._meta.db_table)
    insert = f"INSERT INTO {tables[0]} ({columns}) SELECT {selected} FROM {tables[1]}"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            marks = ", ".join(["%s"] * len(batch))
            # Identifiers come from the models' metadata, quoted; every value is a parameter.
            sql = f"{insert} WHERE {pk_column} IN ({marks}) ORDER BY {pk_column}"
            cursor.execute(sql, [*stamp_params, *batch])


def bulk_create_audited(
    objs: list[models.Model], model: type[models.Model], *, notify: bool = True
) -> list[models.Model]:
    """Create many audited rows at once with one history row each ("+"), recording the user and channel
    exactly as saving them one by one would. A constant number of queries per thousand rows. `notify`
    sends bulk_written (say False for a trial run that will be rolled back)."""
    if not objs:
        return []
    user, attrs = _historical_attrs()
    token = _bulk_with_history.set(True)
    try:
        created = model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        if _audited(model):
            _copy_into_history(model, [obj.pk for obj in created], "+", user, attrs)
    finally:
        _bulk_with_history.reset(token)
    if notify:
        bulk_written.send(sender=model, objs=created)
    return created


def bulk_update_audited(
    objs: list[models.Model], model: type[models.Model], fields: list[str], *, notify: bool = True
) -> int:
    """Update many audited rows at once with one history row each ("~"); see bulk_create_audited."""
    if not objs:
        return 0
    user, attrs = _historical_attrs()
    token = _bulk_with_history.set(True)
    try:
        updated = model._default_manager.bulk_update(objs, fields, batch_size=BATCH_SIZE)
        if _audited(model):
            _copy_into_history(model, [obj.pk for obj in objs], "~", user, attrs)
    finally:
        _bulk_with_history.reset(token)
    if notify:
        bulk_written.send(sender=model, objs=objs)
    return updated
