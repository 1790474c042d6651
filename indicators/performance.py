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


def data_version_and_changed_at() -> tuple[str, dt.datetime | None]:
    """A token of the data's version and when it last moved (None before the first change), in one query.

    The token holds the moment too, so it never repeats, even where a number does (a change rolled back,
    as every test's is, or a database restored): a process may keep what it built under it in memory."""
    number, changed_at = DataVersion.current_and_changed_at()
    return f"{number}.{changed_at.timestamp() if changed_at else 0}", changed_at


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
    loaded = _load(ids, shown=shown, as_of=as_of, history=history)
    return {indicator.pk: _judge(indicator, loaded, as_of) for indicator in indicators}


@dataclass
class _Loaded:
    """What judging reads of some indicators: their figures by part, the targets of the figures' years,
    and their breakdowns (id, name, own polarity) in order."""

    series: dict[tuple[int, int | None], list[Point]]
    targets: dict[tuple[int, int, int | None], TargetFact]
    breakdowns: dict[int, list[tuple[int | None, str | None, str]]]
    value_ids: dict[tuple[int, int | None, int], int] = field(default_factory=dict)


def _load(ids: list[int], *, shown: Q, as_of: ReportingPeriod | None, history: dt.timedelta | None) -> _Loaded:
    """Five queries whatever the number of indicators (four when `history` is None: all figures): each
    indicator's latest period, the figures within `history` of it, their periods, the targets of their
    years, and the breakdowns."""
    returns = Return.objects.filter(shown, indicator_id__in=ids)
    if as_of is not None:
        returns = returns.filter(period__start__lte=as_of.start)
    series: dict[tuple[int, int | None], list[Point]] = defaultdict(list)
    targets: dict[tuple[int, int, int | None], TargetFact] = {}
    value_ids: dict[tuple[int, int | None, int], int] = {}
    window = None
    if history is None:
        window = Q()
    else:
        latest = (
            returns.values("indicator_id").annotate(latest=Max("period__start")).values_list("indicator_id", "latest")
        )
        by_latest: dict[dt.date, list[int]] = defaultdict(list)
        for indicator_id, latest_start in latest:
            by_latest[latest_start].append(indicator_id)
        for latest_start, group in by_latest.items():
            window = (window or Q()) | Q(
                indicator_id__in=group, period__start__gte=latest_start - history, period__start__lte=latest_start
            )
    if window is not None:
        rows = list(
            Value.objects.filter(submission__in=returns.filter(window))
            .order_by("submission__period__start", "submission__period__kind", "breakdown__order")
            .values_list(
                "submission__indicator_id",
                "breakdown_id",
                "value",
                "submission__is_demonstration",
                "submission__period_id",
                "pk",
            )
        )
        periods = ReportingPeriod.objects.select_related("parent").in_bulk({row[4] for row in rows})
        years: set[int] = set()
        for indicator_id, breakdown_id, value, demonstration, period_id, value_id in rows:
            period = periods[period_id]
            series[(indicator_id, breakdown_id)].append(Point(period, value, demonstration))
            value_ids[(indicator_id, breakdown_id, period_id)] = value_id
            years.add(period.target_year_id)
        # Where two plans set a target for the same year, the plan first in order decides.
        for indicator_id, period_id, breakdown_id, value, text, designated in (
            Target.objects.filter(indicator_id__in=ids, period_id__in=years)
            .order_by("-plan__order")
            .values_list("indicator_id", "period_id", "breakdown_id", "value", "text", "designated")
        ):
            targets[(indicator_id, period_id, breakdown_id)] = TargetFact(value, text, designated)
    breakdowns: dict[int, list[tuple[int | None, str | None, str]]] = defaultdict(list)
    for indicator_id, breakdown_id, name, polarity in (
        Breakdown.objects.filter(indicator_id__in=ids)
        .order_by("order")
        .values_list("indicator_id", "pk", "name", "polarity")
    ):
        breakdowns[indicator_id].append((breakdown_id, name, polarity))
    return _Loaded(series, targets, breakdowns, value_ids)


@dataclass(frozen=True)
class FigureJudgement:
    """One published figure (the whole indicator's or one part's, for one period) judged by the same
    rules as an indicator's latest figure: against its year's target, and against the figures before it."""

    indicator_id: int
    breakdown_id: int | None
    breakdown: str | None
    value_id: int
    point: Point
    target: TargetFact | None
    comparable_target: Decimal | None
    rag: Rag
    since_last: Direction
    since_last_year: Direction


def judge_figures(indicators: list[Indicator]) -> list[FigureJudgement]:
    """Every approved figure of the indicators, each judged as if it were the latest (four queries).

    For the open data: a figure's status and direction are the ones the pages showed when it was the
    latest, by the one set of rules (`_judge_part`)."""
    if not indicators:
        return []
    loaded = _load([indicator.pk for indicator in indicators], shown=PUBLISHED, as_of=None, history=None)
    judged = []
    for indicator in indicators:
        for breakdown_id, name, polarity in _parts_of(indicator, loaded):
            points = loaded.series.get((indicator.pk, breakdown_id), [])
            _with_targets(indicator, points, breakdown_id, loaded.targets)
            for index, point in enumerate(points):
                part = _judge_part(
                    indicator,
                    points[: index + 1],
                    point,
                    breakdown_id,
                    name,
                    polarity,
                    loaded.targets,
                    with_trend=False,
                )
                judged.append(
                    FigureJudgement(
                        indicator_id=indicator.pk,
                        breakdown_id=breakdown_id,
                        breakdown=name,
                        value_id=loaded.value_ids[(indicator.pk, breakdown_id, point.period.pk)],
                        point=point,
                        target=part.target,
                        comparable_target=part.comparable_target,
                        rag=part.rag,
                        since_last=part.since_last,
                        since_last_year=part.since_last_year,
                    )
                )
    return judged


def _with_targets(indicator: Indicator, points: list[Point], breakdown_id: int | None, targets) -> None:
    """Give each figure the target it is judged against (its year's, made comparable for a quarter)."""
    for point in points:
        fact = targets.get((indicator.pk, point.period.target_year_id, breakdown_id))
        point.target = status.comparable_target(
            fact.value if fact else None,
            quarter=point.period.quarter if point.period.kind == PeriodKind.QUARTER else None,
            aggregation=indicator.quarter_aggregation,
        )


def _parts_of(indicator: Indicator, loaded: _Loaded) -> list[tuple[int | None, str | None, str]]:
    """The parts judged: the whole indicator, or each breakdown (and the whole too, where it has figures)."""
    whole = (None, None, "")
    breakdowns = loaded.breakdowns.get(indicator.pk, [])
    if breakdowns and (indicator.pk, None) in loaded.series:
        return [whole, *breakdowns]
    return breakdowns or [whole]


def _judge(indicator: Indicator, loaded: _Loaded, as_of: ReportingPeriod | None) -> IndicatorStatus:
    parts = []
    for breakdown_id, name, own_polarity in _parts_of(indicator, loaded):
        points = loaded.series.get((indicator.pk, breakdown_id), [])
        _with_targets(indicator, points, breakdown_id, loaded.targets)
        latest = points[-1] if points else None
        if as_of is not None and latest is not None and not latest.period.belongs_to(as_of):
            # At a chosen quarter, a figure is that quarter's (or its year's, for a yearly indicator)
            # or none; the trend still shows the history before it.
            shown = [p for p in points if p.period.belongs_to(as_of)]
            latest = shown[-1] if shown else None
        parts.append(_judge_part(indicator, points, latest, breakdown_id, name, own_polarity, loaded.targets))
    return IndicatorStatus(indicator=indicator, parts=parts)


def _judge_part(
    indicator: Indicator,
    points: list[Point],
    latest: Point | None,
    breakdown_id: int | None,
    name: str | None,
    own_polarity: str,
    targets: dict[tuple[int, int, int | None], TargetFact],
    *,
    with_trend: bool = True,
) -> PartStatus:
    """One part's figure `latest` judged against its year's target and the figures before it in `points`
    (with the sparkline's points up to it, unless `with_trend` is False)."""
    # A band may run the other way from its indicator (NI 187: fewer homes below SAP 35, more above 65).
    polarity = status.part_polarity(own_polarity, indicator.polarity)
    tolerance = indicator.tolerance_percent / 100
    target = comparable = None
    if latest is not None:
        target = targets.get((indicator.pk, latest.period.target_year_id, breakdown_id))
        comparable = latest.target  # set by _with_targets
    if latest is None:
        rag = Rag.NO_DATA
    elif target is None:
        rag = Rag.NO_NUMERIC_TARGET
    else:
        rag = status.rag(latest.value, comparable, polarity=polarity, tolerance=tolerance)
    previous = _before(points, latest, lambda p, q: p.period.kind == q.period.kind)
    last_year = _before(points, latest, _same_quarter_last_year)
    return PartStatus(
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
        trend=[p for p in points if latest is None or p.period.start <= latest.period.start][-TREND_POINTS:]
        if with_trend
        else [],
        previous=previous,
        last_year=last_year,
    )


def _combined(directions: list[Direction]) -> Direction:
    """A split indicator's direction: worsening if any part worsens, else improving if any improves."""
    for direction in (Direction.WORSENING, Direction.IMPROVING, Direction.NO_CHANGE):
        if direction in directions:
            return direction
    return Direction.NOT_COMPARABLE


def _before(points: list[Point], latest: Point | None, matches) -> Point | None:
    """The last figure of `points` (in period order) before `latest` that `matches` it."""
    if latest is None:
        return None
    for point in reversed(points):
        if point.period.start < latest.period.start and matches(point, latest):
            return point
    return None


def _same_quarter_last_year(point: Point, latest: Point) -> bool:
    if point.period.kind != latest.period.kind:
        return False
    if latest.period.kind != PeriodKind.QUARTER:
        return point.period.start.year == latest.period.start.year - 1
    return point.period.quarter == latest.period.quarter and point.period.start.year == latest.period.start.year - 1


# The fields judging reads: pages that only judge can load no more than these.
JUDGED_FIELDS = ("id", "slug", "code", "title", "polarity", "tolerance_percent", "quarter_aggregation", "unit")
