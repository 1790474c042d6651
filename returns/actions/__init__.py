"""Writes of the quarterly returns cycle: each one a transaction, audited, and refused when stale or locked.

Every channel (the entry form, the spreadsheet upload, the API) calls these functions, so a figure is
judged by the same rules (returns/rules.py) and recorded the same way whichever way it came in. By
subject:

- rounds.py: a quarter's round, when it opens and is due, locking and reopening it;
- contexts.py: what an indicator's return is judged against, and judging it;
- figures.py: saving and submitting indicators' returns;
- action_updates.py: an action's quarterly progress;
- review.py: signing a return or an action update off, or returning it (one path for both);
- reminders.py: reminding people of their outstanding returns, daily or by hand (one path for both);
- common.py: what every write shares: refusals, stale-edit checks, stamping who did what.
"""

from returns.actions.action_updates import ActionUpdateInput, do_save_action_update
from returns.actions.common import EDITABLE, InvalidEntry, StaleEdit, WorkflowError
from returns.actions.contexts import ReturnContext, ReturnInput, judge, load_context, load_contexts, period_owed
from returns.actions.figures import EntriesRefused, Entry, do_save_return, do_save_returns
from returns.actions.reminders import do_send_reminder, do_send_reminders
from returns.actions.review import do_review_action_update, do_review_return
from returns.actions.rounds import (
    LockNeedsConfirmation,
    default_round_dates,
    do_lock_round,
    do_open_round,
    do_reopen_round,
    ensure_round,
    refuse_if_locked,
    refuse_unless_open,
    waiting_in,
)

__all__ = [
    "EDITABLE",
    "ActionUpdateInput",
    "EntriesRefused",
    "Entry",
    "InvalidEntry",
    "LockNeedsConfirmation",
    "ReturnContext",
    "ReturnInput",
    "StaleEdit",
    "WorkflowError",
    "default_round_dates",
    "do_lock_round",
    "do_open_round",
    "do_reopen_round",
    "do_review_action_update",
    "do_review_return",
    "do_save_action_update",
    "do_save_return",
    "do_save_returns",
    "do_send_reminder",
    "do_send_reminders",
    "ensure_round",
    "judge",
    "load_context",
    "load_contexts",
    "period_owed",
    "refuse_if_locked",
    "refuse_unless_open",
    "waiting_in",
]
