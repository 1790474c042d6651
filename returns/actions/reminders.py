"""Sending reminders of outstanding returns: the daily run, and one person's reminder sent now from the
completeness page. One path for both, under the rules of returns/reminders.py."""

import datetime as dt

from django.db import IntegrityError, transaction

from core.text import counted
from returns import queries, reminders
from returns.actions.common import WorkflowError
from returns.models import ReminderKind, ReminderLog, ReportingRound, RoundState


def _send(person, round_: ReportingRound, kind: ReminderKind, rows, *, today: dt.date, by) -> str | None:
    """Email `person` the returns they owe, logged (who sent it: `by`, None for the daily run); None when
    the rules rule it out (no address, or this reminder already sent). The log row is written first and
    the email sent inside the same transaction: a failed send logs nothing, and two sends at once (the
    log's one-per-day constraint) email once."""
    if not person.email or reminders.already_sent(person, round_, kind, today):
        return None
    try:
        with transaction.atomic():
            ReminderLog.objects.create(user=person, round=round_, kind=kind, sent_on=today, sent_by=by)
            reminders.message(person, round_, kind, rows).send()
    except IntegrityError:
        return None
    return f"{kind.label} reminder to {person.email} ({counted(len(rows), 'return')} of {round_.period.label})"


def do_send_reminders(*, today: dt.date) -> list[str]:
    """The daily run: every reminder due today, in every open round; a line for each email sent."""
    sent = []
    for round_ in ReportingRound.objects.open().select_related("period__parent"):
        kind = reminders.reminder_kind(round_, today)
        if kind is None:
            continue
        owing = reminders.outstanding_by_person(queries.owed_in(round_))
        for person, rows in sorted(owing.items(), key=lambda item: item[0].username):
            line = _send(person, round_, kind, rows, today=today, by=None)
            if line:
                sent.append(line)
    return sent


def do_send_reminder(*, person, round_: ReportingRound, today: dt.date, by) -> str:
    """Remind one person now (the performance team's "Send a reminder now"): the reminder the date calls
    for, or the one before the deadline while it is further off. Refused (WorkflowError, saying why) when
    the round is not open, the person owes nothing outstanding or has no email address, or the rules
    say this reminder was already sent."""
    name = person.get_full_name() or person.username
    if round_.state != RoundState.OPEN:
        raise WorkflowError(f"{round_.period.label} is not open: reminders are sent only while a round is open.")
    rows = reminders.outstanding_by_person(queries.owed_in(round_)).get(person)
    if not rows:
        raise WorkflowError(f"{name} has no returns outstanding in {round_.period.label}.")
    if not person.email:
        raise WorkflowError(f"{name} has no email address: add one in the admin to remind them.")
    kind = reminders.reminder_kind(round_, today) or ReminderKind.BEFORE
    earlier = reminders.already_sent(person, round_, kind, today)
    if earlier is not None:
        raise WorkflowError(
            f"{name} was sent this reminder ({kind.label.lower()}) on {earlier.sent_on:%-d %B %Y}: "
            "the same reminder is never sent twice."
            + (" Another can be sent a week after it." if kind == ReminderKind.OVERDUE else "")
        )
    line = _send(person, round_, kind, rows, today=today, by=by)
    if line is None:  # sent by someone else a moment ago
        raise WorkflowError(f"{name} has just been sent this reminder.")
    return line
