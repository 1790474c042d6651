"""A quarter's reporting round: when it opens and is due, locking it when signed off, reopening it."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from core.audit import Channel, audit
from core.calendar import add_working_days
from core.text import counted
from indicators.models import Indicator, PeriodKind, ReportingPeriod, Return, ReturnStatus
from returns import queries
from returns.actions.common import InvalidEntry, WorkflowError
from returns.models import ActionUpdate, ReportingRound, RoundState
from returns.rules import Problem

WORKING_DAYS_TO_DEADLINE = 20


def default_round_dates(quarter: ReportingPeriod) -> tuple[dt.date, dt.date]:
    """A quarter's returns open the day after it ends and are due 20 working days after its end."""
    return quarter.end + dt.timedelta(days=1), add_working_days(quarter.end, WORKING_DAYS_TO_DEADLINE)


def ensure_round(quarter: ReportingPeriod) -> ReportingRound:
    """The quarter's round, created (not yet open) with the default dates if it has none."""
    if quarter.kind != PeriodKind.QUARTER:
        raise WorkflowError(f"{quarter.label} is not a quarter: returns are collected quarterly.")
    round_ = ReportingRound.objects.filter(period=quarter).first()
    if round_ is None:
        opens_on, deadline = default_round_dates(quarter)
        round_ = ReportingRound(period=quarter, opens_on=opens_on, deadline=deadline)
        round_.save()
    return round_


def do_open_round(*, round_: ReportingRound, by) -> None:
    if round_.state != RoundState.UPCOMING:
        raise WorkflowError(f"{round_.period.label} is already {round_.state_label.lower()}.")
    with audit(channel=Channel.FORM, user=by):
        round_.state = RoundState.OPEN
        round_.save()


def waiting_in(round_: ReportingRound) -> tuple[int, int]:
    """How many returns and action updates of the round wait for sign-off (submitted, not reviewed)."""
    periods = ReportingPeriod.objects.collected_in(round_.period)
    waiting = Return.objects.filter(period__in=periods, status=ReturnStatus.SUBMITTED).count()
    return waiting, ActionUpdate.objects.filter(period__in=periods, status=ReturnStatus.SUBMITTED).count()


class LockNeedsConfirmation(WorkflowError):
    """Returns are still owed (not started, draft or returned): the round is locked only once the person
    locking it has seen them and confirmed how many there are. Nothing was written."""

    def __init__(self, outstanding: list) -> None:
        super().__init__(f"Outstanding in the round: {counted(len(outstanding), 'return')}.")
        self.outstanding = outstanding


def do_lock_round(*, round_: ReportingRound, by, outstanding_confirmed: int | None = None) -> ReportingRound:
    """Lock the round: every return of its period becomes read-only. Refused while any wait for sign-off.
    While some are still owed, refused (LockNeedsConfirmation, listing them) unless `outstanding_confirmed`
    is how many there are now: the person saw that list and no return came in or went back meanwhile.
    The round then records how many were outstanding ("Locked with 3 returns outstanding")."""
    with transaction.atomic(), audit(channel=Channel.FORM, user=by):
        round_ = ReportingRound.objects.select_for_update(of=("self",)).select_related("period").get(pk=round_.pk)
        if round_.state == RoundState.LOCKED:
            raise WorkflowError(f"{round_.period.label} is already locked.")
        if round_.state != RoundState.OPEN:
            raise WorkflowError(f"{round_.period.label} is not open yet: open it before locking it.")
        returns, updates = waiting_in(round_)
        if returns or updates:
            raise WorkflowError(
                f"Waiting for sign-off in {round_.period.label}: {counted(returns + updates, 'return')}. "
                "Approve or return each before locking the round."
            )
        # The round row is held: no save (each takes it shared) is under way, so the list is settled.
        outstanding = queries.owed_in(round_).outstanding
        if outstanding and outstanding_confirmed != len(outstanding):
            raise LockNeedsConfirmation(outstanding)
        round_.state = RoundState.LOCKED
        round_.locked_at = timezone.now()
        round_.locked_by = by
        round_.outstanding_at_lock = len(outstanding)
        round_.save()
        return round_


def do_reopen_round(*, round_: ReportingRound, by, reason: str) -> None:
    if not reason.strip():
        raise InvalidEntry([Problem("reason", "Give the reason for reopening the round")])
    with transaction.atomic(), audit(channel=Channel.FORM, user=by):
        round_ = ReportingRound.objects.select_for_update(of=("self",)).get(pk=round_.pk)
        if round_.state != RoundState.LOCKED:
            raise WorkflowError(f"{round_.period.label} is not locked.")
        round_.state = RoundState.OPEN
        round_.reopen_reason = reason.strip()
        round_.locked_at = None
        round_.locked_by = None
        round_.outstanding_at_lock = None
        round_.save()


def _locked_round_of(period: ReportingPeriod) -> ReportingRound | None:
    """The round `period` belongs to, held until the transaction ends so that it cannot be locked (signed
    off) meanwhile. A shared lock: writers to the same round do not wait for each other, only for a
    locking or reopening, which takes the row exclusively (PostgreSQL; SQLite serialises writes anyway)."""
    round_ = ReportingRound.objects.governing(period)
    if round_ is None:
        return None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM returns_reportinground WHERE id = %s FOR SHARE", [round_.pk])
    return ReportingRound.objects.select_related("period__parent").get(pk=round_.pk)


def refuse_unless_open(indicator: Indicator | None, period: ReportingPeriod) -> ReportingRound:
    """Writes to a period go through its round: it must exist, be open (not upcoming, not locked),
    and the period must be the one `indicator` owes in it. The round is locked against a concurrent
    sign-off for the rest of the transaction."""
    round_ = _locked_round_of(period)
    if round_ is None:
        raise WorkflowError(f"No reporting round collects returns for {period.label}.")
    if round_.state == RoundState.LOCKED:
        raise WorkflowError(round_.locked_message)
    if round_.state != RoundState.OPEN:
        raise WorkflowError(f"{round_.period.label} is not open for returns yet.")
    academic = ReportingPeriod.objects.academic_by_reporting_year()
    if indicator is not None and indicator.period_owed(round_.period, academic) != period:
        raise WorkflowError(f"{indicator.code or indicator.title} owes no return for {period.label}.")
    return round_


def refuse_if_locked(period: ReportingPeriod) -> None:
    """Sign-off writes: refused while the period's round is locked (the round row locked meanwhile)."""
    round_ = _locked_round_of(period)
    if round_ is not None and round_.is_locked:
        raise WorkflowError(round_.locked_message)
