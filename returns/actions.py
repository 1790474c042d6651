"""Writes of the quarterly returns cycle: each one a transaction, audited, and refused when stale or locked.

Every channel (the entry form, the spreadsheet upload, the API) calls these functions, so a figure
is judged by the same rules (returns/rules.py) and recorded the same way whichever way it came in.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import Channel, audit
from indicators import status
from indicators.models import (
    Breakdown,
    DataVersion,
    Indicator,
    PeriodKind,
    ReportingPeriod,
    Return,
    ReturnStatus,
    Target,
    Value,
)
from plans.models import Action
from returns.models import ActionUpdate, ReportingRound, RoundState
from returns.rules import EntryInput, IndicatorFacts, PartInput, Problem, check_entry

EDITABLE = (ReturnStatus.DRAFT, ReturnStatus.RETURNED)
WORKING_DAYS_TO_DEADLINE = 20


class WorkflowError(Exception):
    """A write the cycle refuses; the message is for the person who tried it."""


class StaleEdit(WorkflowError):
    pass


class InvalidEntry(WorkflowError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# ---- The calendar --------------------------------------------------------------------------------


def add_working_days(start: dt.date, days: int, holidays: frozenset[dt.date] = frozenset()) -> dt.date:
    """The date `days` working days after `start` (Monday to Friday, not a listed holiday)."""
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def default_round_dates(
    quarter: ReportingPeriod, holidays: frozenset[dt.date] = frozenset()
) -> tuple[dt.date, dt.date]:
    """A quarter's returns open the day after it ends and are due 20 working days after its end."""
    return quarter.end + dt.timedelta(days=1), add_working_days(quarter.end, WORKING_DAYS_TO_DEADLINE, holidays)


def ensure_round(quarter: ReportingPeriod) -> ReportingRound:
    if quarter.kind != PeriodKind.QUARTER:
        raise WorkflowError(f"{quarter.label} is not a quarter: returns are collected quarterly.")
    round_ = ReportingRound.objects.filter(period=quarter).first()
    if round_ is None:
        opens_on, deadline = default_round_dates(quarter)
        round_ = ReportingRound(period=quarter, opens_on=opens_on, deadline=deadline)
        round_.save()
    return round_


def return_period(indicator: Indicator, quarter: ReportingPeriod) -> ReportingPeriod | None:
    """The period whose return is due in `quarter`'s round: the quarter itself for quarterly and
    monthly indicators; the financial year (or, for statutory education targets, the academic year
    whose results fall in it) for annual ones, due in the year's fourth quarter."""
    if indicator.frequency in ("quarterly", "monthly"):
        return quarter
    if quarter.quarter != 4:
        return None
    year = quarter.parent
    if indicator.statutory:
        return ReportingPeriod.objects.filter(kind=PeriodKind.ACADEMIC_YEAR, label=str(year.start.year)).first()
    return year


def do_open_round(*, round_: ReportingRound, by) -> None:
    if round_.state != RoundState.UPCOMING:
        raise WorkflowError(f"{round_} is already {round_.get_state_display().lower()}.")
    with audit(channel=Channel.FORM, user=by):
        round_.state = RoundState.OPEN
        round_.save()


def do_lock_round(*, round_: ReportingRound, by) -> None:
    """Sign the round off: every return of its period becomes read-only."""
    with transaction.atomic(), audit(channel=Channel.FORM, user=by):
        round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
        if round_.state == RoundState.LOCKED:
            raise WorkflowError(f"{round_} is already locked.")
        periods = _periods_of_round(round_)
        waiting = Return.objects.filter(period__in=periods, status=ReturnStatus.SUBMITTED).count()
        waiting += ActionUpdate.objects.filter(period__in=periods, status=ReturnStatus.SUBMITTED).count()
        if waiting:
            raise WorkflowError(f"{waiting} return(s) or update(s) of {round_.period.label} still wait for sign-off.")
        round_.state = RoundState.LOCKED
        round_.locked_at = timezone.now()
        round_.locked_by = by
        round_.save()


def do_reopen_round(*, round_: ReportingRound, by, reason: str) -> None:
    if not reason.strip():
        raise InvalidEntry([Problem("reason", "Give the reason for reopening the round")])
    with transaction.atomic(), audit(channel=Channel.FORM, user=by):
        round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
        if round_.state != RoundState.LOCKED:
            raise WorkflowError(f"{round_} is not locked.")
        round_.state = RoundState.OPEN
        round_.reopen_reason = reason.strip()
        round_.locked_at = None
        round_.locked_by = None
        round_.save()


def _periods_of_round(round_: ReportingRound) -> list[ReportingPeriod]:
    quarter = round_.period
    periods = [quarter]
    if quarter.quarter == 4:
        periods.append(quarter.parent)
        periods += list(
            ReportingPeriod.objects.filter(kind=PeriodKind.ACADEMIC_YEAR, label=str(quarter.parent.start.year))
        )
    return periods


def round_of(period: ReportingPeriod) -> ReportingRound | None:
    """The round a return for `period` belongs to (a year's returns belong to its fourth quarter's)."""
    return ReportingRound.objects.governing(period)


def refuse_unless_open(indicator: Indicator | None, period: ReportingPeriod) -> ReportingRound:
    """Writes to a period go through its round: it must exist, be open (not upcoming, not locked),
    and the period must be the one `indicator` owes in it. The round is locked against a
    concurrent sign-off for the rest of the transaction."""
    round_ = round_of(period)
    if round_ is not None:
        round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
    if round_ is None:
        raise WorkflowError(f"No reporting round collects returns for {period.label}.")
    if round_.state == RoundState.LOCKED:
        raise WorkflowError(f"{round_.period.label} is signed off and locked; the performance team can reopen it.")
    if round_.state != RoundState.OPEN:
        raise WorkflowError(f"{round_.period.label} is not open for returns yet.")
    if indicator is not None and return_period(indicator, round_.period) != period:
        raise WorkflowError(f"{indicator.code or indicator.title} owes no return for {period.label}.")
    return round_


def refuse_if_locked(period: ReportingPeriod) -> None:
    round_ = round_of(period)
    if round_ is not None and ReportingRound.objects.select_for_update().get(pk=round_.pk).is_locked:
        raise WorkflowError(f"{round_.period.label} is signed off and locked; the performance team can reopen it.")


# ---- The figures a return is judged against --------------------------------------------------------


@dataclass
class ReturnContext:
    """Everything the entry form, the upload and the API need to judge one indicator's return."""

    indicator: Indicator
    period: ReportingPeriod
    breakdowns: list[Breakdown]
    targets: dict[int | None, Target] = field(default_factory=dict)
    previous: dict[int | None, Decimal | None] = field(default_factory=dict)
    submission: Return | None = None

    @property
    def facts(self) -> IndicatorFacts:
        i = self.indicator
        return IndicatorFacts(
            unit=i.unit,
            polarity=i.polarity,
            tolerance=i.tolerance_percent,
            rate_multiplier=i.rate_multiplier,
            change_alert_percent=i.change_alert_percent,
        )

    def part_keys(self) -> list[tuple[str, str, Breakdown | None]]:
        if not self.breakdowns:
            return [("value", "the value", None)]
        return [(b.slug, f"the value for {b.name}", b) for b in self.breakdowns]

    def comparable_target(self, breakdown: Breakdown | None) -> Decimal | None:
        target = self.targets.get(breakdown.pk if breakdown else None)
        if target is None or target.value is None:
            return None
        quarter = self.period.quarter if self.period.kind == PeriodKind.QUARTER else None
        return status.comparable_target(target.value, quarter=quarter, aggregation=self.indicator.quarter_aggregation)

    def values_by_key(self) -> dict[str, Value]:
        if self.submission is None:
            return {}
        by_breakdown = {v.breakdown_id: v for v in self.submission.values.all()}
        return {
            key: by_breakdown[b.pk if b else None]
            for key, _, b in self.part_keys()
            if (b.pk if b else None) in by_breakdown
        }


def target_year(period: ReportingPeriod) -> ReportingPeriod:
    return period.parent if period.kind == PeriodKind.QUARTER else period


def load_context(indicator: Indicator, period: ReportingPeriod) -> ReturnContext:
    breakdowns = list(indicator.breakdowns.order_by("order"))
    context = ReturnContext(indicator=indicator, period=period, breakdowns=breakdowns)
    year = target_year(period)
    for target in (
        Target.objects.filter(indicator=indicator, period=year).select_related("plan").order_by("plan__order")
    ):
        context.targets.setdefault(target.breakdown_id, target)
    previous = (
        Return.objects.filter(indicator=indicator, period__kind=period.kind, period__start__lt=period.start)
        .order_by("-period__start")
        .prefetch_related("values")
        .first()
    )
    if previous is not None:
        context.previous = {v.breakdown_id: v.value for v in previous.values.all()}
    context.submission = Return.objects.filter(indicator=indicator, period=period).prefetch_related("values").first()
    return context


# ---- Entering, submitting and signing off a return ------------------------------------------------


@dataclass
class ReturnInput:
    numbers: dict[str, dict[str, Decimal | None]]  # part key -> {"value"|"numerator"|"denominator": number}
    commentary: str = ""
    remedial_action: str = ""
    data_source: str = ""
    evidence: str = ""
    confidence: str = ""
    change_confirmed: bool = False


def judge(context: ReturnContext, entered: ReturnInput, *, submitting: bool) -> tuple[EntryInput, list[Problem]]:
    parts = []
    for key, label, breakdown in context.part_keys():
        numbers = {name: _decimal(number) for name, number in entered.numbers.get(key, {}).items()}
        parts.append(
            PartInput(
                key=key,
                label=label,
                value=numbers.get("value"),
                numerator=numbers.get("numerator"),
                denominator=numbers.get("denominator"),
                target=context.comparable_target(breakdown),
                previous=context.previous.get(breakdown.pk if breakdown else None),
                polarity=breakdown.polarity if breakdown else "",
            )
        )
    entry = EntryInput(
        parts=parts,
        commentary=entered.commentary,
        change_confirmed=entered.change_confirmed,
        submitting=submitting,
    )
    return entry, check_entry(entry, context.facts)


def _decimal(number) -> Decimal | None:
    return None if number is None else Decimal(str(number))


def _last_change(submission: Return) -> str:
    latest = submission.history.order_by("-history_date").select_related("history_user").first()
    if latest is None:
        return "someone else"
    who = latest.history_user.get_full_name() or latest.history_user.username if latest.history_user else "someone"
    when = timezone.localtime(latest.history_date).strftime("%d %B %Y at %H:%M")
    return f"{who} on {when}"


def do_save_return(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    entered: ReturnInput,
    by,
    expected_version: int,
    submit: bool,
    channel: str = Channel.FORM,
    is_demonstration: bool = False,
) -> Return:
    """Save a return as a draft, or submit it for sign-off.

    `expected_version` is the version the person started from (0 for a new return): if someone else
    saved it since, nothing is written and the message names who and when.
    """
    with transaction.atomic(), audit(channel=channel, user=by):
        DataVersion.bump()  # before any other lock: see DataVersion
        refuse_unless_open(indicator, period)
        context = load_context(indicator, period)
        existing = Return.objects.select_for_update().filter(indicator=indicator, period=period).first()
        if existing is not None and existing.version != expected_version:
            raise StaleEdit(
                f"This return was changed by {_last_change(existing)} after you opened it. "
                "Nothing was saved: reload it to see their changes."
            )
        if existing is None and expected_version != 0:
            raise StaleEdit("This return was removed after you opened it. Nothing was saved.")
        if existing is not None and existing.status not in EDITABLE:
            raise WorkflowError(f"This return is {existing.get_status_display().lower()} and can no longer be edited.")
        entry, problems = judge(context, entered, submitting=submit)
        if problems:
            raise InvalidEntry(problems)
        submission = existing or Return(indicator=indicator, period=period)
        submission.commentary = entered.commentary.strip()
        submission.remedial_action = entered.remedial_action.strip()
        submission.data_source = entered.data_source.strip()
        submission.evidence = entered.evidence.strip()
        submission.confidence = entered.confidence
        submission.change_confirmed = entered.change_confirmed
        submission.entered_by = by
        submission.is_demonstration = is_demonstration
        submission.status = ReturnStatus.SUBMITTED if submit else ReturnStatus.DRAFT
        submission.submitted_at = timezone.now() if submit else None
        if existing is not None:
            submission.version = existing.version + 1
        _full_clean(submission)
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:
            raise StaleEdit(
                "Someone else started this return after you opened it. Nothing was saved: reload it."
            ) from None
        existing_values = {v.breakdown_id: v for v in submission.values.all()}
        for part, (_, _, breakdown) in zip(entry.parts, context.part_keys(), strict=True):
            key = breakdown.pk if breakdown else None
            value = existing_values.get(key) or Value(submission=submission, breakdown=breakdown)
            if (value.value, value.numerator, value.denominator) != (
                part.value,
                part.numerator,
                part.denominator,
            ) or not value.pk:
                value.value, value.numerator, value.denominator = part.value, part.numerator, part.denominator
                _full_clean(value)
                value.save()
        return submission


def do_review_return(*, submission: Return, by, approve: bool, reason: str = "", expected_version: int) -> Return:
    """Approve a submitted return (its figures become the published ones) or return it with a reason."""
    if not approve and not reason.strip():
        raise InvalidEntry([Problem("reason", "Give the reason for returning it, so the officer can fix it")])
    with transaction.atomic(), audit(channel=Channel.FORM, user=by):
        DataVersion.bump()  # before any other lock: see DataVersion
        refuse_if_locked(submission.period)
        current = Return.objects.select_for_update().get(pk=submission.pk)
        if current.version != expected_version:
            raise StaleEdit(f"This return was changed by {_last_change(current)}. Nothing was done: reload it.")
        if current.status != ReturnStatus.SUBMITTED:
            raise WorkflowError(
                f"Only a submitted return can be signed off; this one is {current.get_status_display().lower()}."
            )
        current.status = ReturnStatus.APPROVED if approve else ReturnStatus.RETURNED
        current.return_reason = "" if approve else reason.strip()
        current.reviewed_by = by
        current.reviewed_at = timezone.now()
        current.version += 1
        _full_clean(current)
        current.save()
        return current


def _full_clean(obj) -> None:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages)) from None


# ---- Action updates --------------------------------------------------------------------------------


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
) -> ActionUpdate:
    with transaction.atomic(), audit(channel=Channel.FORM, user=by):
        refuse_unless_open(None, period)
        existing = ActionUpdate.objects.select_for_update().filter(action=action, period=period).first()
        if existing is not None and existing.version != expected_version:
            raise StaleEdit(
                "This update was changed by someone else after you opened it. Nothing was saved: reload it."
            )
        if existing is not None and existing.status not in EDITABLE:
            raise WorkflowError(f"This update is {existing.get_status_display().lower()} and can no longer be edited.")
        problems = []
        if submit and entered.progress in ("at_risk", "off_track") and not entered.commentary.strip():
            problems.append(Problem("commentary", "Explain why the action is at risk or off track"))
        if problems:
            raise InvalidEntry(problems)
        update = existing or ActionUpdate(action=action, period=period)
        update.progress = entered.progress
        update.percent_complete = entered.percent_complete
        update.commentary = entered.commentary.strip()
        update.revised_date = entered.revised_date
        update.entered_by = by
        update.status = ReturnStatus.SUBMITTED if submit else ReturnStatus.DRAFT
        update.submitted_at = timezone.now() if submit else None
        if existing is not None:
            update.version = existing.version + 1
        try:
            update.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise InvalidEntry([Problem(name, " ".join(msgs)) for name, msgs in error.message_dict.items()]) from None
        update.save()
        return update


def do_review_action_update(
    *, update: ActionUpdate, by, approve: bool, reason: str = "", expected_version: int
) -> ActionUpdate:
    if not approve and not reason.strip():
        raise InvalidEntry([Problem("reason", "Give the reason for returning it, so the officer can fix it")])
    with transaction.atomic(), audit(channel=Channel.FORM, user=by):
        refuse_if_locked(update.period)
        current = ActionUpdate.objects.select_for_update().get(pk=update.pk)
        if current.version != expected_version:
            raise StaleEdit("This update was changed by someone else. Nothing was done: reload it.")
        if current.status != ReturnStatus.SUBMITTED:
            raise WorkflowError("Only a submitted update can be signed off.")
        current.status = ReturnStatus.APPROVED if approve else ReturnStatus.RETURNED
        current.return_reason = "" if approve else reason.strip()
        current.reviewed_by = by
        current.reviewed_at = timezone.now()
        current.version += 1
        current.save()
        latest = (
            ActionUpdate.objects.filter(action=current.action, status=ReturnStatus.APPROVED)
            .order_by("-period__start")
            .first()
        )
        if approve and latest == current:
            # The action's published status follows its latest quarter's approved update.
            action = current.action
            action.status = current.progress
            action.save(update_fields=["status"])
        return current
