"""Reminders to officers with outstanding returns, escalating as the deadline nears and passes.

- before: once, within REMIND_BEFORE_DAYS working days of the deadline;
- due: on the deadline;
- overdue: after it, at most once a week, copying the performance team.
Run daily (see README: "Reminders"); a reminder already sent is never sent twice.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from core.calendar import working_days_between
from returns import queries
from returns.models import ReminderKind, ReminderLog, ReportingRound

REMIND_BEFORE_DAYS = 5


def reminder_kind(round_: ReportingRound, today: dt.date) -> ReminderKind | None:
    if today == round_.deadline:
        return ReminderKind.DUE
    if today > round_.deadline:
        return ReminderKind.OVERDUE
    if working_days_between(today, round_.deadline) <= REMIND_BEFORE_DAYS:
        return ReminderKind.BEFORE
    return None


def _already_sent(user, round_: ReportingRound, kind: ReminderKind, today: dt.date) -> bool:
    sent = ReminderLog.objects.filter(user=user, round=round_, kind=kind)
    if kind == ReminderKind.OVERDUE:
        return sent.filter(sent_on__gt=today - dt.timedelta(days=7)).exists()
    return sent.exists()


def send_reminders(today: dt.date) -> list[str]:
    """Send what is due today; returns a line per email sent."""
    sent = []
    for round_ in ReportingRound.objects.open().select_related("period__parent"):
        kind = reminder_kind(round_, today)
        if kind is None:
            continue
        outstanding = defaultdict(list)
        for row in queries.return_rows(list(queries.owing_indicators()), [round_]):
            if row.is_outstanding:
                for officer in row.indicator.officers.all():
                    outstanding[officer].append(row)
        for officer, rows in sorted(outstanding.items(), key=lambda item: item[0].username):
            if not officer.email or _already_sent(officer, round_, kind, today):
                continue
            message = _message(officer, round_, kind, rows)
            message.send()
            ReminderLog.objects.create(user=officer, round=round_, kind=kind, sent_on=today)
            sent.append(f"{kind.label} reminder to {officer.email} ({len(rows)} return(s) of {round_.period.label})")
    return sent


def _message(officer, round_: ReportingRound, kind: ReminderKind, rows) -> EmailMessage:
    period = round_.period.label
    deadline = round_.deadline.strftime("%d %B %Y")
    subject = {
        ReminderKind.BEFORE: f"Quarterly returns for {period} are due by {deadline}",
        ReminderKind.DUE: f"Quarterly returns for {period} are due today",
        ReminderKind.OVERDUE: f"Overdue: quarterly returns for {period} were due on {deadline}",
    }[kind]
    link = settings.PORTAL_URL.rstrip("/") + reverse("returns:my-returns")
    lines = [
        f"Dear {officer.get_full_name() or officer.username},",
        "",
        f"These returns for {period} are outstanding:",
        "",
    ]
    lines += [f"- {row.indicator.code or row.indicator.title}: {row.status_label}" for row in rows]
    lines += ["", f"Enter them at {link}", "", "Performance team, Luton Borough Council"]
    cc = [settings.LUTON_PERFORMANCE_TEAM_EMAIL] if kind == ReminderKind.OVERDUE else []
    return EmailMessage(subject=subject, body="\n".join(lines), to=[officer.email], cc=cc)
