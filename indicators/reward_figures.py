"""The LAA's Performance Reward Grant on the published figures, for the plan's own page: what indicators.reward
needs of each designated target (baseline, target, the figure for the year, the forecast), read in a fixed
number of queries. The rule is indicators/reward.py's alone; the pot, threshold and cap are settings
(LUTON_REWARD_*). Report packs assess the same rule on their own rows (reports/packs.py), with the same
baselines (`reported_baselines`) and the same figure for the year (`figure_for_year`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef

from indicators import forecast as forecasting
from indicators.forecast import QUARTERS_READ, Forecast, QuarterFigure
from indicators.models import (
    Baseline,
    Indicator,
    PeriodKind,
    PlanIndicator,
    QuarterAggregation,
    ReportingPeriod,
    Return,
    Target,
    Value,
)
from indicators.performance import DIRECTION, JUDGED_FIELDS, PartStatus, judge_indicators
from indicators.reward import PartFigures, PartReward, Reward, RewardRules, reward
from indicators.units import limits
from plans.models import Plan

NONE = ("", None)  # no baseline: no words, no number


def configured_rules() -> RewardRules:
    """The reward grant's pot, threshold and cap, as configured (settings.LUTON_REWARD_*)."""
    return RewardRules(
        pot=settings.LUTON_REWARD_POT,
        threshold=Decimal(settings.LUTON_REWARD_THRESHOLD_PERCENT) / 100,
        cap=Decimal(settings.LUTON_REWARD_CAP_PERCENT) / 100,
    )


def figure_for_year(judged: PartStatus, aggregation: str) -> Decimal | None:
    """The judged figure when it stands for the year, which a target is assessed on: a year's own figure, or
    a snapshot's or an average's latest quarter. A year-to-date figure or a quarter's own count does not."""
    if judged.latest is None:
        return None
    if judged.latest.period.kind != PeriodKind.QUARTER or aggregation in (
        QuarterAggregation.SNAPSHOT,
        QuarterAggregation.AVERAGE,
    ):
        return judged.latest.value
    return None


def reported_baselines(plan: Plan, indicator_ids) -> dict[tuple[int, str | None], tuple[str, Decimal | None]]:
    """Each indicator's (and part's) baseline as `plan` reports it: its own as printed; where it printed none,
    the first other plan's in plan order. (text, number) by (indicator id, part name). One query."""
    own: dict[tuple[int, str | None], tuple[str, Decimal | None]] = {}
    other: dict[tuple[int, str | None], tuple[str, Decimal | None]] = {}
    for indicator_id, breakdown, text, value, plan_id in (
        Baseline.objects.filter(indicator_id__in=indicator_ids)
        .order_by("-plan__order")
        .values_list("indicator_id", "breakdown__name", "text", "value", "plan_id")
    ):
        (own if plan_id == plan.pk else other)[(indicator_id, breakdown)] = (text, value)
    return {**other, **own}


@dataclass(frozen=True)
class RewardLine:
    """One designated target, or one part of a split one, with what it earns."""

    indicator: Indicator
    part: str | None
    baseline: str  # as printed
    target: str  # as printed
    figure: Decimal | None  # the figure for the year it is assessed on
    forecast: Forecast
    earned: PartReward


@dataclass(frozen=True)
class PlanReward:
    year: ReportingPeriod  # whose designated targets
    quarter: ReportingPeriod | None  # the figures as at; None before any is published
    reward: Reward
    lines: list[RewardLine]


def designated_reward(plan: Plan, quarter: ReportingPeriod | None = None) -> PlanReward | None:
    """The reward grant on `plan`'s designated targets, on the published figures at `quarter` (by default the
    latest quarter with a published figure of one of them), against the designated targets of that quarter's
    year (before any figure, the last year's). None for a plan that designates no target. Twelve queries."""
    targets = list(
        Target.objects.filter(plan=plan, designated=True)
        .select_related("period", "breakdown")
        .only("indicator_id", "value", "text", "period", "breakdown__name")
    )
    if not targets:
        return None
    years = {target.period_id: target.period for target in targets}
    if quarter is None:
        ids = {target.indicator_id for target in targets}
        published = Return.objects.published().filter(period=OuterRef("pk"), indicator_id__in=ids)
        quarter = (
            ReportingPeriod.objects.filter(Exists(published), kind=PeriodKind.QUARTER, parent_id__in=years)
            .select_related("parent")
            .order_by("-start")
            .first()
        )
    year = quarter.parent if quarter else max(years.values(), key=lambda period: period.start)
    targets = [target for target in targets if target.period_id == year.pk]
    ids = list(dict.fromkeys(target.indicator_id for target in targets))
    places = {  # in the plan's order: by theme, then as listed
        pk: (theme or 0, order)
        for pk, theme, order in PlanIndicator.objects.filter(plan=plan, indicator_id__in=ids)
        .order_by("-order")
        .values_list("indicator_id", "priority__order", "order")
    }
    ids.sort(key=lambda pk: places.get(pk, (1 << 30, 0)))
    indicators = Indicator.objects.only(*JUDGED_FIELDS).in_bulk(ids)
    statuses = judge_indicators([indicators[pk] for pk in ids], as_of=quarter, history=DIRECTION) if quarter else {}
    series = _quarterly(ids, quarter)
    baselines = reported_baselines(plan, ids)

    assessed_lines = []
    for pk in ids:
        indicator = indicators[pk]
        judged = {part.breakdown: part for part in statuses[pk].parts} if quarter else {}
        lowest, highest = limits(indicator.unit)
        parts = []
        for target in (t for t in targets if t.indicator_id == pk):
            name = target.breakdown.name if target.breakdown_id else None
            part = judged.get(name)
            made = (
                forecasting.forecast_year_end(
                    series.get((pk, name), []), year=quarter.reporting_year,
                    aggregation=indicator.quarter_aggregation, lowest=lowest, highest=highest,
                    year_figure=own_year_figure(part, quarter),
                )
                if quarter
                else Forecast(forecasting.Method.NONE, reason="No figure is published yet.")
            )
            figure = figure_for_year(part, indicator.quarter_aggregation) if part else None
            parts.append((name, target, made, figure))
        assessed_lines.append((indicator, parts))

    assessed = reward(
        [
            (
                indicator.code or indicator.slug,
                [
                    PartFigures(name, baselines.get((indicator.pk, name), NONE)[1], target.value, figure, made.value)
                    for name, target, made, figure in parts
                ],
            )
            for indicator, parts in assessed_lines
        ],
        rules=configured_rules(),
    )
    lines = [
        RewardLine(indicator, name, baselines.get((indicator.pk, name), NONE)[0], target.text, figure, made, earned)
        for (indicator, parts), target_reward in zip(assessed_lines, assessed.targets, strict=True)
        for (name, target, made, figure), earned in zip(parts, target_reward.parts, strict=True)
    ]
    return PlanReward(year=year, quarter=quarter, reward=assessed, lines=lines)


def _quarterly(ids: list[int], quarter: ReportingPeriod | None) -> dict[tuple[int, str | None], list[QuarterFigure]]:
    """The published quarterly figures of the quarters a forecast may read, up to `quarter` (two queries)."""
    if quarter is None:
        return {}
    quarters = list(
        ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, start__lte=quarter.start).order_by("-start")[
            :QUARTERS_READ
        ]
    )
    by_pk = {q.pk: q for q in quarters}
    series: dict[tuple[int, str | None], list[QuarterFigure]] = {}
    for indicator_id, breakdown, period_id, value in Value.objects.published().filter(
        submission__indicator_id__in=ids, submission__period__in=quarters, value__isnull=False
    ).values_list("submission__indicator_id", "breakdown__name", "submission__period_id", "value"):
        period = by_pk[period_id]
        series.setdefault((indicator_id, breakdown), []).append(
            QuarterFigure(period.reporting_year, period.quarter, value)
        )
    return series


def own_year_figure(judged: PartStatus | None, quarter: ReportingPeriod) -> Decimal | None:
    """The judged figure when it is the year's own (a year's return, reported in `quarter`'s year): the
    forecast's `year_figure` (indicators.forecast)."""
    if judged is None or judged.latest is None or judged.latest.period.kind == PeriodKind.QUARTER:
        return None
    return judged.latest.value if judged.latest.period.reporting_year == quarter.reporting_year else None
