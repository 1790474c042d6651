"""What the public sees, and so what moves the publication version (DataVersion.published).

Public pages are cached whole under the publication version (portal/page_cache.py), so it must move
whenever anything a public page shows changes, and should not move for work in progress:

- every model of the thread's apps (plans, indicators, partners) and the action updates is public
  content: a save, delete or bulk write of any of them moves it (an edited target, a new risk, a
  renamed partner, a reorganised plan);
- except the rows the public sees only once approved (returns and their values, action updates):
  those move it only when the row is approved, or was when it was read. An approval, a reopening or
  a correction of an approved figure moves it; an officer's draft, a submission or a return sent
  back does not, so the public cache survives the whole of a quarter's data entry.

Erring wide is deliberate: a model added to these apps is public until said otherwise, so a
forgotten model costs a cache refill, never a stale public page. The rule is tested model by model
in tests/test_page_cache.py.
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from core.audit import bulk_written
from indicators.models import DataVersion

PUBLIC_APPS = frozenset({"plans", "indicators", "partners"})
PUBLIC_ELSEWHERE = frozenset({"returns.ActionUpdate", "reports.IssuedPack"})
NOT_PUBLIC = frozenset({"indicators.DataVersion"})  # the counter itself


def is_public_content(model: type[models.Model]) -> bool:
    label = model._meta.label
    if label in NOT_PUBLIC or issubclass(model, HistoricalChanges):
        return False
    return model._meta.app_label in PUBLIC_APPS or label in PUBLIC_ELSEWHERE


def changes_publication(instance: models.Model) -> bool:
    """Does writing this row change what the public sees? (Its model is public content.)"""
    return getattr(instance, "changes_publication", True)


def _after_write(sender, instance, **kwargs) -> None:
    if changes_publication(instance):
        DataVersion.note_publication()
    if hasattr(instance, "_published_when_read"):  # what it is now, for its next save
        instance._published_when_read = getattr(instance, "is_published", False)


def _after_bulk_write(sender, objs=(), **kwargs) -> None:
    if not objs or any(changes_publication(obj) for obj in objs):
        DataVersion.note_publication()


def _after_m2m_change(sender, instance, action, pk_set=None, **kwargs) -> None:
    # Django signals an add or remove even when it changes nothing (the row was there already).
    changed = action == "post_clear" or (action in ("post_add", "post_remove") and pk_set)
    if changed and is_public_content(type(instance)):
        DataVersion.note_publication()


def public_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if is_public_content(model)]


def connect() -> None:
    """Called once, from IndicatorsConfig.ready(). Receivers per model, not for every model: a receiver
    for all models would stop Django deleting any model's rows in bulk (it would fetch each to signal)."""
    for model in public_models():
        uid = f"publication-{model._meta.label}"
        post_save.connect(_after_write, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_after_write, sender=model, dispatch_uid=f"{uid}-delete")
        bulk_written.connect(_after_bulk_write, sender=model, dispatch_uid=f"{uid}-bulk")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_after_m2m_change, sender=through, dispatch_uid=f"{uid}-{field.name}")
