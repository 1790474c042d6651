"""What an indicator's return is judged against (its context: breakdowns, targets, the previous figure,
the return so far), read for many returns in a constant number of queries, and judging what was entered
against it (returns/rules.py). The entry form, the upload and the API all read and judge through here."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q

from indicators import status
from indicators.models import Breakdown, Indicator, PeriodKind, ReportingPeriod, Return, Target, Value
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
