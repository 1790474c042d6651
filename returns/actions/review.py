"""Signing off: approving a submitted return or action update (an approved return's figures become the
published ones), or returning it to its officer with a reason. One path for both."""

from django.db import models, transaction
from django.utils import timezone

from core.audit import Channel, audit
from indicators.models import DataVersion, Return, ReturnStatus
from returns.actions.common import InvalidEntry, WorkflowError, clean_texts, full_clean, refuse_if_stale
from returns.actions.rounds import refuse_if_locked
from returns.models import ActionUpdate
from returns.rules import Problem


def _review(item: models.Model, *, by, approve: bool, reason: str, expected_version: int, noun: str):
    """Record the decision on a submitted item, inside the caller's transaction; the item as now stored."""
    reason = clean_texts(reason=reason)["reason"]
    if not approve and not reason:
        raise InvalidEntry([Problem("reason", "Give the reason for returning it, so the officer can fix it")])
    refuse_if_locked(item.period)
    current = type(item).objects.select_for_update(of=("self",)).get(pk=item.pk)
    refuse_if_stale(current, expected_version, noun=noun, doing="done")
    if current.status != ReturnStatus.SUBMITTED:
        raise WorkflowError(
            f"Only a submitted {noun} can be signed off; this one is {current.get_status_display().lower()}."
        )
    current.status = ReturnStatus.APPROVED if approve else ReturnStatus.RETURNED
    current.return_reason = "" if approve else reason
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    current.version += 1
    full_clean(current)
    current.save()
    return current


def do_review_return(*, submission: Return, by, approve: bool, reason: str = "", expected_version: int) -> Return:
    """Approve a submitted return (its figures become the published ones) or return it with a reason."""
    with transaction.atomic(), audit(channel=Channel.FORM, user=by), DataVersion.changes():
        return _review(
            submission, by=by, approve=approve, reason=reason, expected_version=expected_version, noun="return"
        )


def do_review_action_update(
    *, update: ActionUpdate, by, approve: bool, reason: str = "", expected_version: int
) -> ActionUpdate:
    """Approve or return a submitted action update; an approved update of the action's latest quarter
    becomes the action's published status."""
    with transaction.atomic(), audit(channel=Channel.FORM, user=by):
        current = _review(
            update, by=by, approve=approve, reason=reason, expected_version=expected_version, noun="update"
        )
        latest = (
            ActionUpdate.objects.filter(action=current.action, status=ReturnStatus.APPROVED)
            .order_by("-period__start")
            .first()
        )
        if approve and latest == current:
            action = current.action
            action.status = current.progress
            action.save(update_fields=["status"])
        return current
