"""Published performance: each indicator's latest approved figure judged against its target.

One builder that every page, dashboard and report uses, so that a status means the same thing
everywhere and an N+1 fix happens once: `judge_indicators()` takes any number of indicators and
answers in three queries (periods, approved figures, targets). The rules are in indicators/status.py.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Max, Q

from core.numbers import format_figure
from indicators import status
from indicators.models import (
    PUBLISHED,
    Breakdown,
    DataVersion,
    Indicator,
    PeriodKind,
    ReportingPeriod,
    Return,
    Target,
    Value,
)
from indicators.status import Direction, Rag

TREND_POINTS = 8  # quarters in a sparkline
CACHE_SECONDS = 60 * 60  # judged statuses are keyed on the data's version; this only bounds memory

# How far back from each indicator's latest figure to look: just the latest figure (a status), a year
# and a quarter (the direction of travel against the last period and the same quarter last year),
# or the whole sparkline. Pages ask for no more history than they show.
LATEST = dt.timedelta(0)
DIRECTION = dt.timedelta(days=366 + 92)
TREND = dt.timedelta(days=TREND_POINTS * 92)


@dataclass
class Point:
    period: ReportingPeriod
    value: Decimal | None
    is_demonstration: bool
    target: Decimal | None = None  # the number this figure is judged against (status.comparable_target)


@dataclass(frozen=True)
class TargetFact:
    """What judging needs of a Target: its number, if any, and its words as printed."""

    value: Decimal | None
    text: str
    designated: bool


@dataclass
class PartStatus:
    """The judgement of the whole indicator, or of one breakdown of a split indicator."""

    breakdown: str | None
    latest: Point | None
    target: TargetFact | None
    comparable_target: Decimal | None
    rag: Rag
    since_last: Direction
    since_last_year: Direction
    trend: list[Point] = field(default_factory=list)
    previous: Point | None = None  # the figure before the latest, for a period of the same kind
    last_year: Point | None = None  # the same quarter (or the year before) a year earlier


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
    def figure_text(self) -> str:
        """The latest figures for people, in the portal's one number format (core.numbers.format_figure):
        "5,810", "42.5%", or each part's for a split indicator ("male 700; female 600")."""
        shown = [part for part in self.parts if part.latest is not None]
        unit = self.indicator.unit
        if len(self.parts) == 1:
            return format_figure(shown[0].latest.value, unit) if shown else ""
        return "; ".join(f"{part.breakdown or 'all'} {format_figure(part.latest.value, unit)}" for part in shown)

    @property
    def target_text(self) -> str:
        """The targets the latest figures are judged against, as printed ("730 (m); 560 (f)")."""
        return "; ".join(dict.fromkeys(part.target.text for part in self.parts if part.target is not None))

    @property
    def since_last(self) -> Direction:
        return _combined([part.since_last for part in self.parts])

    @property
    def since_last_year(self) -> Direction:
        return _combined([part.since_last_year for part in self.parts])

    @property
    def worsening(self) -> bool:
        return any(part.since_last == Direction.WORSENING for part in self.parts)

    @property
    def is_demonstration(self) -> bool:
        return any(point.is_demonstration for part in self.parts for point in part.trend)


def data_version() -> str:
    """The publication version, as a cache key: it moves with every committed change to what the public
    sees, which is all that judged statuses, the thread's roll-ups and the members' dashboard read
    (indicators/publication.py). One query; caches keyed on it are never stale
    (docs/decisions/0003-cache-judged-statuses-under-a-data-version.md)."""
    return str(DataVersion.current_publication())


def judge_indicators_cached(
    indicator_ids: Iterable[int],
    *,
    as_of: ReportingPeriod | None = None,
    history: dt.timedelta = TREND,
    version: str | None = None,
) -> dict[int, IndicatorStatus]:
    """judge_indicators for public figures, remembered until the data it reads change.

    For the pages that judge hundreds of indicators on every request (the home page, plan pages, the
    members' dashboard). Takes ids: the indicators are read only when the cache has no answer.
    Unapproved figures are never cached. The key holds data_version(), so an approval or a target edit
    is visible on the next request. A caller judging twice in one request passes the version it read.
    """
    ids = sorted(set(indicator_ids))
    key = (
        "judge:"
        + hashlib.sha256(
            f"{version or data_version()}|{as_of.pk if as_of else ''}|{history.days}|{ids}".encode()
        ).hexdigest()
    )
    statuses = cache.get(key)
    if statuses is None:
        indicators = list(Indicator.objects.filter(pk__in=ids).only(*JUDGED_FIELDS))
        statuses = judge_indicators(indicators, as_of=as_of, history=history)
        cache.set(key, statuses, timeout=CACHE_SECONDS)
    return statuses


def judge_indicators(
    indicators: list[Indicator],
    *,
    as_of: ReportingPeriod | None = None,
    include_unapproved_for: set[int] | None = None,
    also_counting: Q | None = None,
    history: dt.timedelta = TREND,
) -> dict[int, IndicatorStatus]:
    """The status of each indicator at `as_of` (a quarter; default: its latest published figure).

    Only approved figures count, except for indicators in `include_unapproved_for` (a partner's own
    returns on its dashboard) and the returns `also_counting` selects (a submitted return the sign-off
    review judges as it would be published; the submitted figures a staff-only report pack shows).
    Five queries whatever the number of indicators or the years of figures: breakdowns, each
    indicator's latest period, the figures within `history` of it, their periods, and the targets of
    their years.
    """
    ids = [indicator.pk for indicator in indicators]
    if not ids:
        return {}
    shown = PUBLISHED
    if include_unapproved_for:
        shown |= Q(indicator_id__in=include_unapproved_for)
    if also_counting is not None:
        shown |= also_counting
    returns = Return.objects.filter(shown, indicator_id__in=ids)
    if as_of is not None:
        returns = returns.filter(period__start__lte=as_of.start)
    latest = returns.values("indicator_id").annotate(latest=Max("period__start")).values_list("indicator_id", "latest")
    by_latest: dict[dt.date, list[int]] = defaultdict(list)
    for indicator_id, latest_start in latest:
        by_latest[latest_start].append(indicator_id)
    series: dict[tuple[int, int | None], list[Point]] = defaultdict(list)
    targets: dict[tuple[int, int, int | None], TargetFact] = {}
    if by_latest:
        window = Q()
        for latest_start, group in by_latest.items():
            window |= Q(
                indicator_id__in=group, period__start__gte=latest_start - history, period__start__lte=latest_start
            )
        rows = list(
            Value.objects.filter(submission__in=returns.filter(window))
            .order_by("submission__period__start", "breakdown__order")
            .values_list(
                "submission__indicator_id",
                "breakdown_id",
                "value",
                "submission__is_demonstration",
                "submission__period_id",
            )
        )
        periods = ReportingPeriod.objects.select_related("parent").in_bulk({row[4] for row in rows})
        years: set[int] = set()
        for indicator_id, breakdown_id, value, demonstration, period_id in rows:
            period = periods[period_id]
            series[(indicator_id, breakdown_id)].append(Point(period, value, demonstration))
            years.add(period.target_year_id)
        for indicator_id, period_id, breakdown_id, value, text, designated in (
            Target.objects.filter(indicator_id__in=ids, period_id__in=years)
            .order_by("-plan__order")
            .values_list("indicator_id", "period_id", "breakdown_id", "value", "text", "designated")
        ):
            targets[(indicator_id, period_id, breakdown_id)] = TargetFact(value, text, designated)
    parts: dict[int, list[tuple[int | None, str | None, str]]] = defaultdict(list)
    for indicator_id, breakdown_id, name, polarity in (
        Breakdown.objects.filter(indicator_id__in=ids)
        .order_by("order")
        .values_list("indicator_id", "pk", "name", "polarity")
    ):
        parts[indicator_id].append((breakdown_id, name, polarity))
    return {
        indicator.pk: _judge(indicator, parts.get(indicator.pk, []), series, targets, as_of) for indicator in indicators
    }


def _judge(indicator: Indicator, breakdowns, series, targets, as_of: ReportingPeriod | None) -> IndicatorStatus:
    whole = (None, None, "")
    parts_of = breakdowns or [whole]
    if breakdowns and (indicator.pk, None) in series:
        parts_of = [whole, *parts_of]
    parts = []
    tolerance = indicator.tolerance_percent / 100
    for breakdown_id, name, own_polarity in parts_of:
        # A band may run the other way from its indicator (NI 187: fewer homes below SAP 35, more above 65).
        polarity = status.part_polarity(own_polarity, indicator.polarity)
        points = series.get((indicator.pk, breakdown_id), [])
        for point in points:
            fact = targets.get((indicator.pk, point.period.target_year_id, breakdown_id))
            point.target = status.comparable_target(
                fact.value if fact else None,
                quarter=point.period.quarter if point.period.kind == PeriodKind.QUARTER else None,
                aggregation=indicator.quarter_aggregation,
            )
        latest = points[-1] if points else None
        if as_of is not None and latest is not None and not latest.period.belongs_to(as_of):
            # At a chosen quarter, a figure is that quarter's (or its year's, for a yearly indicator)
            # or none; the trend still shows the history before it.
            shown = [p for p in points if p.period.belongs_to(as_of)]
            latest = shown[-1] if shown else None
        target = comparable = None
        if latest is not None:
            target = targets.get((indicator.pk, latest.period.target_year_id, breakdown_id))
            comparable = latest.target
        if latest is None:
            rag = Rag.NO_DATA
        elif target is None:
            rag = Rag.NO_NUMERIC_TARGET
        else:
            rag = status.rag(latest.value, comparable, polarity=polarity, tolerance=tolerance)
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
                    polarity=polarity,
                ),
                since_last_year=status.direction(
                    latest.value if latest else None,
                    last_year.value if last_year else None,
                    polarity=polarity,
                ),
                trend=[p for p in points if latest is None or p.period.start <= latest.period.start][-TREND_POINTS:],
                previous=previous,
                last_year=last_year,
            )
        )
    return IndicatorStatus(indicator=indicator, parts=parts)


def _combined(directions: list[Direction]) -> Direction:
    """A split indicator's direction: worsening if any part worsens, else improving if any improves."""
    for direction in (Direction.WORSENING, Direction.IMPROVING, Direction.NO_CHANGE):
        if direction in directions:
            return direction
    return Direction.NOT_COMPARABLE


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


# The fields judging reads: pages that only judge can load no more than these.
JUDGED_FIELDS = ("id", "slug", "code", "title", "polarity", "tolerance_percent", "quarter_aggregation", "unit")
