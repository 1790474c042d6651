"""An indicator's return: what it is judged against, and saving or submitting it."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from core.audit import Channel, audit
from indicators import status
from indicators.models import Breakdown, DataVersion, Indicator, PeriodKind, ReportingPeriod, Return, Target, Value
from returns.actions.common import (
    InvalidEntry,
    StaleEdit,
    clean_texts,
    full_clean,
    refuse_if_stale,
    refuse_unless_editable,
    stamp_entry,
)
from returns.actions.rounds import refuse_unless_open
from returns.rules import EntryInput, IndicatorFacts, PartInput, Problem, check_entry


def period_owed(indicator: Indicator, quarter: ReportingPeriod) -> ReportingPeriod | None:
    """Indicator.period_owed for one indicator (reads the academic years; lists read them once)."""
    return indicator.period_owed(quarter, ReportingPeriod.objects.academic_by_reporting_year())


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


def load_context(indicator: Indicator, period: ReportingPeriod) -> ReturnContext:
    breakdowns = list(indicator.breakdowns.order_by("order"))
    context = ReturnContext(indicator=indicator, period=period, breakdowns=breakdowns)
    for target in Target.objects.filter(indicator=indicator, period_id=period.target_year_id).order_by("plan__order"):
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
    """The entry as the rules see it, and every problem with it (returns/rules.py)."""
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
    texts = clean_texts(
        commentary=entered.commentary,
        remedial_action=entered.remedial_action,
        data_source=entered.data_source,
        evidence=entered.evidence,
    )
    with transaction.atomic(), audit(channel=channel, user=by), DataVersion.changes():
        refuse_unless_open(indicator, period)
        context = load_context(indicator, period)
        existing = Return.objects.select_for_update().filter(indicator=indicator, period=period).first()
        refuse_if_stale(existing, expected_version, noun="return", doing="saved")
        refuse_unless_editable(existing, noun="return")
        entry, problems = judge(context, entered, submitting=submit)
        if problems:
            raise InvalidEntry(problems)
        submission = existing or Return(indicator=indicator, period=period)
        for name, text in texts.items():
            setattr(submission, name, text)
        submission.confidence = entered.confidence
        submission.change_confirmed = entered.change_confirmed
        submission.is_demonstration = is_demonstration
        stamp_entry(submission, by=by, submit=submit, existing=existing)
        full_clean(submission)
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
            entered_numbers = (part.value, part.numerator, part.denominator)
            if value.pk is None or (value.value, value.numerator, value.denominator) != entered_numbers:
                value.value, value.numerator, value.denominator = entered_numbers
                full_clean(value)
                value.save()
        return submission
