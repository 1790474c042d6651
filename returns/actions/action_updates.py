"""An action's progress for one quarter, returned by its officer."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from core.audit import Channel, audit
from indicators.models import ReportingPeriod
from plans.models import Action, ActionStatus
from returns.actions.common import (
    InvalidEntry,
    clean_texts,
    full_clean,
    refuse_if_stale,
    refuse_unless_editable,
    stamp_entry,
)
from returns.actions.rounds import refuse_unless_open
from returns.models import ActionUpdate
from returns.rules import Problem


@dataclass
class ActionUpdateInput:
    progress: str
    percent_complete: int
    commentary: str = ""
    revised_date: dt.date | None = None


def do_save_action_update(
    *,
    action: Action,
    period: ReportingPeriod,
    entered: ActionUpdateInput,
    by,
    expected_version: int,
    submit: bool,
    channel: str = Channel.FORM,
) -> ActionUpdate:
    """Save an action's update as a draft, or submit it for sign-off (refused when stale, locked or returned
    as at risk or off track without an explanation)."""
    texts = clean_texts(commentary=entered.commentary)
    with transaction.atomic(), audit(channel=channel, user=by):
        refuse_unless_open(None, period)
        locking = ActionUpdate.objects.select_for_update(of=("self",))
        existing = locking.filter(action=action, period=period).first()
        refuse_if_stale(existing, expected_version, noun="update", doing="saved")
        refuse_unless_editable(existing, noun="update")
        if submit and entered.progress in (ActionStatus.AT_RISK, ActionStatus.OFF_TRACK) and not texts["commentary"]:
            raise InvalidEntry([Problem("commentary", "Explain why the action is at risk or off track")])
        update = existing or ActionUpdate(action=action, period=period)
        update.progress = entered.progress
        update.percent_complete = entered.percent_complete
        update.commentary = texts["commentary"]
        update.revised_date = entered.revised_date
        stamp_entry(update, by=by, submit=submit, existing=existing)
        full_clean(update)
        update.save()
        return update
