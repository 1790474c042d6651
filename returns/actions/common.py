"""What every write of the returns cycle shares: its refusals, the stale-edit check, and stamping a
return or an action update with who submitted or reviewed it."""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.text import UnsafeText, clean_text
from indicators.models import ReturnStatus
from returns.rules import Problem

EDITABLE = (ReturnStatus.DRAFT, ReturnStatus.RETURNED)


class WorkflowError(Exception):
    """A write the cycle refuses; the message is for the person who tried it."""


class StaleEdit(WorkflowError):
    """Someone else changed the item after the person opened it; nothing was written."""


class InvalidEntry(WorkflowError):
    """What was entered breaks a rule; each problem names its field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def last_change(item: models.Model) -> str:
    """Who last changed an audited item and when, for a stale-edit message."""
    latest = item.history.order_by("-history_date").select_related("history_user").first()
    if latest is None:
        return "someone else"
    user = latest.history_user
    who = (user.get_full_name() or user.username) if user else "someone"
    when = timezone.localtime(latest.history_date).strftime("%d %B %Y at %H:%M")
    return f"{who} on {when}"


def refuse_if_stale(existing: models.Model | None, expected_version: int, *, noun: str, doing: str) -> None:
    """The person started from `expected_version` (0 for a new item): refuse if it has moved on since."""
    if existing is None:
        if expected_version != 0:
            raise StaleEdit(f"This {noun} was removed after you opened it. Nothing was {doing}.")
        return
    if existing.version != expected_version:
        raise StaleEdit(
            f"This {noun} was changed by {last_change(existing)} after you opened it. "
            f"Nothing was {doing}: reload it to see their changes."
        )


def refuse_unless_editable(existing: models.Model | None, *, noun: str) -> None:
    if existing is not None and existing.status not in EDITABLE:
        raise WorkflowError(f"This {noun} is {existing.get_status_display().lower()} and can no longer be edited.")


def stamp_entry(item: models.Model, *, by, submit: bool, existing: models.Model | None) -> None:
    """Who entered it, whether it is submitted for sign-off, and its next version."""
    item.entered_by = by
    item.status = ReturnStatus.SUBMITTED if submit else ReturnStatus.DRAFT
    item.submitted_at = timezone.now() if submit else None
    if existing is not None:
        item.version = existing.version + 1


def full_clean(item: models.Model) -> None:
    """The model's own field checks (lengths, choices, decimal places), as the workflow's refusal, each
    problem against its field. Relations are not looked up again: the actions set them from rows they
    have just read, and the database checks them as it writes."""
    try:
        item.full_clean(exclude=_relations(type(item)), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise InvalidEntry(
                [Problem(name, " ".join(messages)) for name, messages in error.message_dict.items()]
            ) from None
        raise WorkflowError(" ".join(error.messages)) from None


@cache
def _relations(model: type[models.Model]) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.concrete_fields if f.is_relation)


def clean_texts(**texts: str) -> dict[str, str]:
    """Free text as stored (core/text.py), stripped; InvalidEntry naming each field with a refused character."""
    cleaned, problems = {}, []
    for name, text in texts.items():
        try:
            cleaned[name] = clean_text(text).strip()
        except UnsafeText as error:
            problems.append(Problem(name, str(error)))
    if problems:
        raise InvalidEntry(problems)
    return cleaned
