"""Indicators' returns: what each is judged against, and saving or submitting them.

One write path for one return (the entry form, the API) and for many (the spreadsheet upload):
`do_save_returns` checks every return first and writes all or none, in a constant number of queries
however many returns it is given, with one audit history row per changed row.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from core.audit import Channel, audit, bulk_create_audited, bulk_update_audited
from indicators import status
from indicators.models import Breakdown, DataVersion, Indicator, PeriodKind, ReportingPeriod, Return, Target, Value
from returns.actions.common import (
    InvalidEntry,
    StaleEdit,
    WorkflowError,
    clean_texts,
    full_clean,
    refuse_if_stale,
    refuse_unless_editable,
    stamp_entry,
)
from returns.actions.rounds import refuse_unless_open
from returns.rules import EntryInput, IndicatorFacts, PartInput, Problem, check_entry

RETURN_TEXTS = ("commentary", "remedial_action", "data_source", "evidence")
RETURN_FIELDS = [
    *RETURN_TEXTS,
    "confidence",
    "change_confirmed",
    "is_demonstration",
    "entered_by",
    "status",
    "submitted_at",
    "version",
]
VALUE_NUMBERS = ["value", "numerator", "denominator"]


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
    # judge()'s last answer for each way of saving (a draft, a submission), with the entry it judged: the
    # upload judges every return to name its problems' rows, then saves them, judging each once.
    judged: dict[bool, tuple] = field(default_factory=dict, repr=False, compare=False)

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


def load_contexts(pairs: list[tuple[Indicator, ReportingPeriod]]) -> dict[tuple[int, int], ReturnContext]:
    """The context of each (indicator, period) return, keyed by their ids: breakdowns, the targets of the
    period's year (the first plan's, where two plans set one), the previous figure of the same kind of
    period, and the return so far. A constant number of queries, however many returns."""
    if not pairs:
        return {}
    indicator_ids = {indicator.pk for indicator, _ in pairs}
    breakdowns = _breakdowns_of([indicator for indicator, _ in pairs])
    contexts = {
        (indicator.pk, period.pk): ReturnContext(indicator, period, breakdowns[indicator.pk])
        for indicator, period in pairs
    }
    by_year: dict[tuple[int, int], list[ReturnContext]] = defaultdict(list)
    for context in contexts.values():
        by_year[(context.indicator.pk, context.period.target_year_id)].append(context)
    years = {year for _, year in by_year}
    for target in Target.objects.filter(indicator_id__in=indicator_ids, period_id__in=years).order_by("-plan__order"):
        for context in by_year.get((target.indicator_id, target.period_id), []):
            context.targets[target.breakdown_id] = target  # ordered so that the first plan's wins
    periods = {period.pk: period for _, period in pairs}
    submissions = Return.objects.filter(indicator_id__in=indicator_ids, period_id__in=periods)
    for submission in submissions.prefetch_related("values"):
        context = contexts.get((submission.indicator_id, submission.period_id))
        if context is not None:
            context.submission = submission
    _read_previous(contexts, periods.values())
    return contexts


def _breakdowns_of(indicators: list[Indicator]) -> dict[int, list[Breakdown]]:
    """Each indicator's breakdowns in order: as prefetched with it (returns.queries.indicators_for does,
    for the pages and the upload), the others read in one query."""
    breakdowns: dict[int, list[Breakdown]] = defaultdict(list)
    unread = set()
    for indicator in indicators:
        prefetched = getattr(indicator, "_prefetched_objects_cache", {}).get("breakdowns")
        if prefetched is None:
            unread.add(indicator.pk)
        else:
            breakdowns[indicator.pk] = sorted(prefetched, key=lambda breakdown: breakdown.order)
    if unread:
        for breakdown in Breakdown.objects.filter(indicator_id__in=unread).order_by("order"):
            breakdowns[breakdown.indicator_id].append(breakdown)
    return breakdowns


def _read_previous(contexts: dict[tuple[int, int], ReturnContext], periods) -> None:
    """Each return's previous figures: the latest earlier return for a period of the same kind. Two
    queries per distinct period (a round collects at most three: the quarter, its year, an academic year)."""
    for period in periods:
        ids = [indicator_id for indicator_id, period_id in contexts if period_id == period.pk]
        latest = (
            Return.objects.filter(indicator_id__in=ids, period__kind=period.kind, period__start__lt=period.start)
            .values("indicator_id")
            .annotate(latest=Max("period__start"))
            .values_list("indicator_id", "latest")
        )
        by_start: dict = defaultdict(list)
        for indicator_id, start in latest:
            by_start[start].append(indicator_id)
        if not by_start:
            continue
        wanted = Q()
        for start, group in by_start.items():
            wanted |= Q(submission__indicator_id__in=group, submission__period__start=start)
        numbers = Value.objects.filter(wanted, submission__period__kind=period.kind).values_list(
            "submission__indicator_id", "breakdown_id", "value"
        )
        for indicator_id, breakdown_id, number in numbers:
            contexts[(indicator_id, period.pk)].previous[breakdown_id] = number


def load_context(indicator: Indicator, period: ReportingPeriod) -> ReturnContext:
    return load_contexts([(indicator, period)])[(indicator.pk, period.pk)]


@dataclass(frozen=True)
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
    remembered = context.judged.get(submitting)
    if remembered is not None and remembered[0] is entered:  # entries are frozen: the same one, the same answer
        return remembered[1]
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
    judgement = entry, check_entry(entry, context.facts)
    context.judged[submitting] = (entered, judgement)
    return judgement


def _decimal(number) -> Decimal | None:
    return None if number is None else Decimal(str(number))


@dataclass
class Entry:
    """One return to save: what was entered, and the version the person started from (0 for a new one)."""

    indicator: Indicator
    period: ReportingPeriod
    entered: ReturnInput
    expected_version: int


class EntriesRefused(WorkflowError):
    """Some of the returns given to do_save_returns were refused; nothing was saved. `errors` holds
    each refused return's error (InvalidEntry, StaleEdit or WorkflowError) by its position."""

    def __init__(self, errors: dict[int, WorkflowError]) -> None:
        super().__init__("; ".join(str(error) for error in errors.values()))
        self.errors = errors


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
    try:
        (saved,) = do_save_returns(
            [Entry(indicator, period, entered, expected_version)],
            by=by,
            submit=submit,
            channel=channel,
            is_demonstration=is_demonstration,
        )
    except EntriesRefused as refused:
        raise refused.errors[0] from None
    return saved


def do_save_returns(
    entries: list[Entry],
    *,
    by,
    submit: bool,
    channel: str = Channel.FORM,
    is_demonstration: bool = False,
    contexts: dict[tuple[int, int], ReturnContext] | None = None,
) -> list[Return]:
    """Save (or submit) many returns at once: every one is checked as do_save_return would check it, and
    either all are written or none (EntriesRefused names each refusal). A constant number of queries.

    `contexts` are the entries' contexts (load_contexts) when the caller has just read them to check its
    input, as the upload has: read again otherwise. Either way they are read before the returns are
    locked, so a return changed since is refused by its version, and one started since by its key."""
    errors: dict[int, WorkflowError] = {}
    texts: dict[int, dict[str, str]] = {}
    for index, entry in enumerate(entries):
        try:
            texts[index] = clean_texts(**{name: getattr(entry.entered, name) for name in RETURN_TEXTS})
        except InvalidEntry as error:
            errors[index] = error
    if errors:
        raise EntriesRefused(errors)
    with transaction.atomic(), audit(channel=channel, user=by), DataVersion.changes():
        rounds = {  # each held (shared) until the end, so that none is signed off meanwhile
            period.pk: refuse_unless_open(None, period)
            for period in {entry.period.pk: entry.period for entry in entries}.values()
        }
        academic = ReportingPeriod.objects.academic_by_reporting_year()
        if contexts is None:
            contexts = load_contexts([(entry.indicator, entry.period) for entry in entries])
        existing_ids = sorted(c.submission.pk for c in contexts.values() if c.submission is not None)
        # Locked in one order (by id), so that two people saving overlapping returns cannot deadlock.
        # Only the returns' own rows (of=self: the default ordering joins indicator and period, whose rows a
        # plain FOR UPDATE would lock too, making every save in a quarter queue on its period).
        locking = Return.objects.select_for_update(of=("self",)).order_by("pk")
        locked = locking.in_bulk(existing_ids) if existing_ids else {}
        returns_new, returns_changed, values_new, values_changed = [], [], [], []
        saved: list[Return] = []
        for index, entry in enumerate(entries):
            context = contexts[(entry.indicator.pk, entry.period.pk)]
            current = locked.get(context.submission.pk) if context.submission else None
            try:
                if entry.indicator.period_owed(rounds[entry.period.pk].period, academic) != entry.period:
                    name = entry.indicator.code or entry.indicator.title
                    raise WorkflowError(f"{name} owes no return for {entry.period.label}.")
                refuse_if_stale(current, entry.expected_version, noun="return", doing="saved")
                refuse_unless_editable(current, noun="return")
                parts, problems = judge(context, entry.entered, submitting=submit)
                if problems:
                    raise InvalidEntry(problems)
                submission = current or Return(indicator=entry.indicator, period=entry.period)
                for name, text in texts[index].items():
                    setattr(submission, name, text)
                submission.confidence = entry.entered.confidence
                submission.change_confirmed = entry.entered.change_confirmed
                submission.is_demonstration = is_demonstration
                stamp_entry(submission, by=by, submit=submit, existing=current)
                full_clean(submission)
                new_values, changed_values = _values(context, parts, submission)
            except WorkflowError as error:
                errors[index] = error
                continue
            (returns_changed if current else returns_new).append(submission)
            values_new += new_values
            values_changed += changed_values
            saved.append(submission)
        if errors:
            raise EntriesRefused(errors)
        try:
            with transaction.atomic():
                bulk_create_audited(returns_new, Return)
        except IntegrityError:
            raise EntriesRefused(
                {0: StaleEdit("Someone else started one of these returns after you opened it. Nothing was saved.")}
            ) from None
        bulk_update_audited(returns_changed, Return, RETURN_FIELDS)
        bulk_create_audited(values_new, Value)  # each takes its new return's key (bulk_create sets it)
        bulk_update_audited(values_changed, Value, VALUE_NUMBERS)
        return saved


def _values(context: ReturnContext, entry: EntryInput, submission: Return) -> tuple[list[Value], list[Value]]:
    """The return's numbers as Value rows: those to create, and those whose numbers changed."""
    saved = context.submission
    existing = {v.breakdown_id: v for v in saved.values.all()} if saved is not None else {}  # prefetched
    new, changed = [], []
    for part, (_, _, breakdown) in zip(entry.parts, context.part_keys(), strict=True):
        numbers = (part.value, part.numerator, part.denominator)
        value = existing.get(breakdown.pk if breakdown else None)
        if value is None:
            value = Value(submission=submission, breakdown=breakdown)
            value.value, value.numerator, value.denominator = numbers
            full_clean(value)
            new.append(value)
        elif (value.value, value.numerator, value.denominator) != numbers:
            value.value, value.numerator, value.denominator = numbers
            full_clean(value)
            changed.append(value)
    return new, changed
