"""Published performance: each indicator's latest approved figure judged against its target.

One builder that every page, dashboard and report uses, so that a status means the same thing
everywhere and an N+1 fix happens once: `judge_indicators()` takes any number of indicators and
answers in three queries (periods, approved figures, targets). The rules are in indicators/status.py.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from indicators import status
from indicators.models import Indicator, PeriodKind, ReportingPeriod, ReturnStatus, Target, Value
from indicators.status import Direction, Rag

TREND_POINTS = 8  # quarters in a sparkline


@dataclass
class Point:
    period: ReportingPeriod
    value: Decimal | None
    is_demonstration: bool


@dataclass
class PartStatus:
    """The judgement of the whole indicator, or of one breakdown of a split indicator."""

    breakdown: str | None
    latest: Point | None
    target: Target | None
    comparable_target: Decimal | None
    rag: Rag
    since_last: Direction
    since_last_year: Direction
    trend: list[Point] = field(default_factory=list)


@dataclass
class IndicatorStatus:
    indicator: Indicator
    parts: list[PartStatus]

    @property
    def rag(self) -> Rag:
        return status.worst([part.rag for part in self.parts])

    @property
    def main(self) -> PartStatus:
        return self.parts[0]

    @property
    def latest_period(self) -> ReportingPeriod | None:
        periods = [part.latest.period for part in self.parts if part.latest]
        return max(periods, key=lambda period: period.start) if periods else None

    @property
    def worsening(self) -> bool:
        return any(part.since_last == Direction.WORSENING for part in self.parts)

    @property
    def is_demonstration(self) -> bool:
        return any(point.is_demonstration for part in self.parts for point in part.trend)


def judge_indicators(
    indicators: list[Indicator],
    *,
    as_of: ReportingPeriod | None = None,
    include_unapproved_for: set[int] | None = None,
) -> dict[int, IndicatorStatus]:
    """The status of each indicator at `as_of` (a quarter; default: its latest published figure).

    Only approved figures count, except for indicators in `include_unapproved_for` (a partner's own
    returns on its dashboard). Breakdowns must be prefetched on the indicators (`breakdowns`).
    """
    ids = [indicator.pk for indicator in indicators]
    if not ids:
        return {}
    shown = Q(submission__status=ReturnStatus.APPROVED)
    if include_unapproved_for:
        shown |= Q(submission__indicator_id__in=include_unapproved_for)
    values = Value.objects.filter(shown, submission__indicator_id__in=ids)
    if as_of is not None:
        values = values.filter(submission__period__start__lte=as_of.start)
    values = values.select_related("submission__period__parent", "breakdown").only(
        "value",
        "breakdown__name",
        "breakdown__order",
        "submission__indicator_id",
        "submission__is_demonstration",
        "submission__period__kind",
        "submission__period__label",
        "submission__period__start",
        "submission__period__end",
        "submission__period__quarter",
        "submission__period__parent__label",
        "submission__period__parent__start",
        "submission__period__parent__end",
        "submission__period__parent__kind",
    )
    series: dict[tuple[int, str | None], list[Point]] = defaultdict(list)
    years: dict[int, ReportingPeriod] = {}
    for value in values.order_by("submission__period__start"):
        period = value.submission.period
        key = (value.submission.indicator_id, value.breakdown.name if value.breakdown_id else None)
        series[key].append(Point(period, value.value, value.submission.is_demonstration))
        year = period.parent if period.kind == PeriodKind.QUARTER else period
        years[year.pk] = year
    targets: dict[tuple[int, int, str | None], Target] = {}
    if years:
        for target in (
            Target.objects.filter(indicator_id__in=ids, period_id__in=years)
            .select_related("breakdown", "plan")
            .order_by("-plan__order")
        ):
            targets[
                (
                    target.indicator_id,
                    target.period_id,
                    target.breakdown.name if target.breakdown_id else None,
                )
            ] = target
    return {indicator.pk: _judge(indicator, series, targets, as_of) for indicator in indicators}


def _judge(indicator: Indicator, series, targets, as_of: ReportingPeriod | None) -> IndicatorStatus:
    names = [b.name for b in indicator.breakdowns.all()] or [None]
    if names != [None] and (indicator.pk, None) in series:
        names = [None, *names]
    parts = []
    tolerance = indicator.tolerance_percent / 100
    for name in names:
        points = series.get((indicator.pk, name), [])
        latest = points[-1] if points else None
        if as_of is not None and latest is not None and latest.period.pk != as_of.pk:
            # At a chosen quarter, a figure is that quarter's or none (the trend still shows history).
            shown = [p for p in points if p.period.pk == as_of.pk]
            latest = shown[-1] if shown else None
        target = comparable = None
        if latest is not None:
            year = latest.period.parent if latest.period.kind == PeriodKind.QUARTER else latest.period
            target = targets.get((indicator.pk, year.pk, name))
            quarter = latest.period.quarter if latest.period.kind == PeriodKind.QUARTER else None
            comparable = status.comparable_target(
                target.value if target else None, quarter=quarter, aggregation=indicator.quarter_aggregation
            )
        if latest is None:
            rag = Rag.NO_DATA
        elif target is None:
            rag = Rag.NO_NUMERIC_TARGET
        else:
            rag = status.rag(latest.value, comparable, polarity=indicator.polarity, tolerance=tolerance)
        previous = _before(points, latest, lambda p, q: p.period.kind == q.period.kind)
        last_year = _before(points, latest, _same_quarter_last_year)
        parts.append(
            PartStatus(
                breakdown=name,
                latest=latest,
                target=target,
                comparable_target=comparable,
                rag=rag,
                since_last=status.direction(
                    latest.value if latest else None,
                    previous.value if previous else None,
                    polarity=indicator.polarity,
                ),
                since_last_year=status.direction(
                    latest.value if latest else None,
                    last_year.value if last_year else None,
                    polarity=indicator.polarity,
                ),
                trend=[p for p in points if latest is None or p.period.start <= latest.period.start][-TREND_POINTS:],
            )
        )
    return IndicatorStatus(indicator=indicator, parts=parts)


def _before(points: list[Point], latest: Point | None, matches) -> Point | None:
    if latest is None:
        return None
    earlier = [p for p in points if p.period.start < latest.period.start and matches(p, latest)]
    return earlier[-1] if earlier else None


def _same_quarter_last_year(point: Point, latest: Point) -> bool:
    if point.period.kind != latest.period.kind:
        return False
    if latest.period.kind != PeriodKind.QUARTER:
        return point.period.start.year == latest.period.start.year - 1
    return point.period.quarter == latest.period.quarter and point.period.start.year == latest.period.start.year - 1


def prefetch_for_judging(indicators):
    """An indicator queryset ready for judge_indicators (breakdowns fetched with it)."""
    return indicators.prefetch_related("breakdowns")
