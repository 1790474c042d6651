"""Reminders to the people whose returns are outstanding, escalating as the deadline nears and passes.

Everyone who owes a return is reminded (returns.queries.owed_in): an indicator's officers, the users of a
lead partner that enters its own returns, an action's officers; one email each, listing all they owe.

- before: once, within REMIND_BEFORE_DAYS working days of the deadline;
- due: on the deadline;
- overdue: after it, at most once a week, copying the performance team.

The daily command (`send_return_reminders`, see README: "Reminders") and the completeness page's "Send a
reminder now" both send through returns.actions.reminders, so both keep these rules and log each reminder:
one already sent is never sent twice. The rules and the email are here; the sending is there.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from core.calendar import working_days_between
from core.text import counted
from returns.models import ReminderKind, ReminderLog, ReportingRound
from returns.queries import Owed

REMIND_BEFORE_DAYS = 5


def reminder_kind(round_: ReportingRound, today: dt.date) -> ReminderKind | None:
    """The reminder the date calls for; None while the deadline is further off than REMIND_BEFORE_DAYS."""
    if today == round_.deadline:
        return ReminderKind.DUE
    if today > round_.deadline:
        return ReminderKind.OVERDUE
    if working_days_between(today, round_.deadline) <= REMIND_BEFORE_DAYS:
        return ReminderKind.BEFORE
    return None


def already_sent(user, round_: ReportingRound, kind: ReminderKind, today: dt.date) -> ReminderLog | None:
    """The reminder of this kind that rules out another today: any earlier one, or for overdue reminders
    one in the last seven days."""
    sent = ReminderLog.objects.filter(user=user, round=round_, kind=kind)
    if kind == ReminderKind.OVERDUE:
        sent = sent.filter(sent_on__gt=today - dt.timedelta(days=7))
    return sent.order_by("-sent_on").first()


def outstanding_by_person(owed: Owed) -> dict:
    """Each person who owes returns still outstanding, with those returns (indicators' first)."""
    people = defaultdict(list)
    for row in owed.outstanding:
        for person in row.people:
            people[person].append(row)
    return people


def message(person, round_: ReportingRound, kind: ReminderKind, rows) -> EmailMessage:
    period = round_.period.label
    deadline = round_.deadline.strftime("%d %B %Y")
    subject = {
        ReminderKind.BEFORE: f"Quarterly returns for {period} are due by {deadline}",
        ReminderKind.DUE: f"Quarterly returns for {period} are due today",
        ReminderKind.OVERDUE: f"Overdue: quarterly returns for {period} were due on {deadline}",
    }[kind]
    link = settings.PORTAL_URL.rstrip("/") + reverse("returns:my-returns")
    lines = [
        f"Dear {person.get_full_name() or person.username},",
        "",
        f"These returns for {period} are outstanding ({counted(len(rows), 'return')}):",
        "",
    ]
    for row in rows:
        if hasattr(row, "indicator"):
            lines.append(f"- {row.indicator.code or row.indicator.title}: {row.status_label}")
        else:
            text = row.action.text if len(row.action.text) <= 80 else row.action.text[:79] + "…"
            lines.append(f"- Action update, {text}: {row.status_label}")
    lines += ["", f"Enter them at {link}", "", "Performance team, Luton Borough Council"]
    cc = [settings.LUTON_PERFORMANCE_TEAM_EMAIL] if kind == ReminderKind.OVERDUE else []
    return EmailMessage(subject=subject, body="\n".join(lines), to=[person.email], cc=cc)
