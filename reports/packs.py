"""A report pack's contents: what a committee receives for a plan and a quarter, built once and drawn in
every format (HTML, PDF, XLSX, CSV) from this one source, so that the formats cannot disagree.

`build_pack(plan, quarter)` reads a fixed number of queries whatever the plan's size or the years of
figures (pinned in tests/test_reports.py). It decides nothing itself: statuses and directions come from
`indicators.performance.judge_indicators`, forecasts from `indicators.forecast`, what is published from
`indicators.models.PUBLISHED`, late returns from `returns.queries`.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from indicators import forecast as forecasting
from indicators.forecast import Forecast, Outlook, QuarterFigure
from indicators.models import (
    Baseline,
    Breakdown,
    Indicator,
    OutcomeIndicator,
    PeriodKind,
    PlanIndicator,
    ReportingPeriod,
    Return,
    ReturnStatus,
    Target,
    Value,
)
from indicators.performance import DIRECTION, JUDGED_FIELDS, judge_indicators
from indicators.status import Direction, Rag, Rollup, part_polarity, risk_band, risk_scale, rollup
from indicators.units import limits
from plans.models import Action, ActionStatus, Plan, Risk
from reports.notes import DataNote, data_notes
from returns.models import ActionUpdate

QUARTERS_SHOWN = 4  # the full table's last four quarters
QUARTERS_READ = 7  # what a trend needs at most: the four quarters ending at the latest figure this year


@dataclass
class Group:
    """A heading of the pack: a priority or theme, else the department a plan lists its measures under."""

    key: tuple
    title: str
    order: tuple
    indicator_ids: list[int] = field(default_factory=list)
    rollup: Rollup = field(default_factory=Rollup)


@dataclass
class Part:
    """A row of the full table: a whole indicator, or one part of a split one."""

    name: str | None
    baseline: str
    target_text: str
    target: Decimal | None
    quarters: list[Decimal | None]  # aligned with Pack.quarters
    unapproved: list[bool]  # which of those figures are not yet approved (staff packs only)
    rag: Rag
    direction: Direction
    forecast: Forecast
    outlook: Outlook

    @property
    def cells(self) -> list[tuple[Decimal | None, bool]]:
        """Each of the last four quarters' figures, and whether it is not yet approved."""
        return list(zip(self.quarters, self.unapproved, strict=True))


@dataclass
class IndicatorRow:
    indicator: Indicator
    title: str  # as this plan prints it
    group: Group
    parts: list[Part]
    rag: Rag
    direction: Direction
    outlook: Outlook
    judged_period: ReportingPeriod | None
    figure_text: str
    commentary: str = ""
    remedial_action: str = ""
    commentary_approved: bool = True
    demonstration: bool = False

    @property
    def name(self) -> str:
        return f"{self.indicator.code}: {self.title}" if self.indicator.code else self.title

    @property
    def exception_reasons(self) -> list[str]:
        """Why the indicator is reported by exception: off track, close to target and worsening, or
        forecast to miss its year's target."""
        reasons = []
        if self.rag == Rag.RED:
            reasons.append("Off track")
        if self.rag == Rag.AMBER and self.direction == Direction.WORSENING:
            reasons.append("Close to target and worsening")
        if self.outlook.is_miss:
            reasons.append(f"Forecast: {self.outlook.label.lower()} the year's target")
        return reasons


@dataclass
class ActionRow:
    action: Action
    status: str
    status_label: str
    percent_complete: int | None  # None: no update signed off for the quarter
    commentary: str
    revised_date: dt.date | None
    updated: bool  # an update for the quarter is signed off (else the action's own status is shown)

    @property
    def is_exception(self) -> bool:
        return self.status in (ActionStatus.AT_RISK, ActionStatus.OFF_TRACK)


@dataclass
class Pack:
    plan: Plan
    quarter: ReportingPeriod
    year: ReportingPeriod
    figures_as_at: dt.datetime
    published_only: bool
    quarters: list[ReportingPeriod]
    groups: list[Group]
    rows: list[IndicatorRow]
    actions: list[ActionRow]
    risks: list[Risk]
    notes: list[DataNote]
    total: Rollup
    directions: dict[Direction, int]
    demonstration: bool

    @property
    def title(self) -> str:
        return f"{self.plan.title}: performance report, {self.quarter.label}"

    @property
    def risk_rows(self) -> list[tuple[Risk, str]]:
        bands = risk_bands(self.risks)
        return [(risk, bands[risk.pk]) for risk in self.risks]

    @property
    def exceptions(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.exception_reasons]

    @property
    def action_exceptions(self) -> list[ActionRow]:
        return [row for row in self.actions if row.is_exception]

    @property
    def headline_direction(self) -> str:
        """The direction of travel since the previous quarter across the plan, in one sentence."""
        better, worse = self.directions[Direction.IMPROVING], self.directions[Direction.WORSENING]
        compared = better + worse + self.directions[Direction.NO_CHANGE]
        if not compared:
            return "No indicator has figures for this quarter and the one before to compare."
        if better > worse:
            lead = "More indicators improved than worsened"
        elif worse > better:
            lead = "More indicators worsened than improved"
        else:
            lead = "As many indicators improved as worsened"
        return (
            f"{lead} since the previous quarter: {better} improving, {worse} worsening, "
            f"{self.directions[Direction.NO_CHANGE]} unchanged, of {compared} with figures to compare."
        )


def build_pack(plan: Plan, quarter: ReportingPeriod, *, published_only: bool = True) -> Pack:
    """The pack for `plan` at `quarter` (a quarter, with its year as `quarter.parent`): approved figures
    only, or (`published_only=False`, staff only) with the figures submitted and awaiting sign-off."""
    figures_as_at = timezone.now().replace(microsecond=0)
    quarters = _quarters_before(quarter, QUARTERS_READ)
    rows, groups = _indicator_rows(plan, quarter, quarters, published_only)
    directions = dict.fromkeys(Direction, 0)
    for row in rows:
        directions[row.direction] += 1
    return Pack(
        plan=plan,
        quarter=quarter,
        year=quarter.parent,
        figures_as_at=figures_as_at,
        published_only=published_only,
        quarters=quarters[-QUARTERS_SHOWN:],
        groups=groups,
        rows=rows,
        actions=_action_rows(plan, quarter),
        risks=list(Risk.objects.filter(plan=plan).select_related("outcome").order_by("order")),
        notes=data_notes([row.indicator for row in rows], quarter, published_only=published_only),
        total=rollup([row.rag for row in rows]),
        directions=directions,
        demonstration=any(row.demonstration for row in rows),
    )


def _quarters_before(quarter: ReportingPeriod, count: int) -> list[ReportingPeriod]:
    return list(
        reversed(
            ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, start__lte=quarter.start)
            .select_related("parent")
            .order_by("-start")[:count]
        )
    )


def _places(plan: Plan) -> list[tuple[int, str, tuple, str, tuple]]:
    """Where each indicator sits in the plan, first place first: (indicator, title as printed, group key,
    group title, group order). Two queries: the plan's indicator lists and its outcomes' indicators."""
    places = []
    for link in (
        PlanIndicator.objects.filter(plan=plan)
        .select_related("priority", "org_unit")
        .order_by("order")
        .only(
            "indicator_id", "title", "order", "inclusion", "priority__title", "priority__order",
            "priority__number", "org_unit__name", "org_unit__order",
        )
    ):
        if link.priority_id:
            priority = link.priority
            group = (("priority", priority.pk), priority.title, (0, priority.order, priority.number))
        elif link.org_unit_id:
            group = (("unit", link.org_unit_id), link.org_unit.name, (1, link.org_unit.order, 0))
        else:  # a list of its own, such as the 2008-14 plan's scorecard
            group = (("list", link.inclusion), f"{link.get_inclusion_display()}s", (2, 0, 0))
        places.append((link.indicator_id, link.title, *group, (0, link.order)))
    for link in (
        OutcomeIndicator.objects.filter(outcome__priority__plan=plan)
        .select_related("outcome__priority")
        .order_by("outcome__priority__order", "outcome__order", "order")
        .only(
            "indicator_id", "title", "order", "outcome__order", "outcome__priority__title",
            "outcome__priority__order", "outcome__priority__number",
        )
    ):
        priority = link.outcome.priority
        group = (("priority", priority.pk), priority.title, (0, priority.order, priority.number))
        places.append((link.indicator_id, link.title, *group, (1, link.outcome.order, link.order)))
    # Outcome links first within a priority would split it; keep document order: group, then place.
    return sorted(places, key=lambda place: (place[4], place[5]))


def _indicator_rows(plan: Plan, quarter: ReportingPeriod, quarters: list[ReportingPeriod], published_only: bool):
    places = _places(plan)
    groups: dict[tuple, Group] = {}
    first_place: dict[int, tuple] = {}
    for indicator_id, title, key, group_title, order, _ in places:
        group = groups.setdefault(key, Group(key=key, title=group_title, order=order))
        if indicator_id not in group.indicator_ids:
            group.indicator_ids.append(indicator_id)
        first_place.setdefault(indicator_id, (title, group))
    ids = list(first_place)
    indicators = Indicator.objects.only(*JUDGED_FIELDS).in_bulk(ids)
    submitted = None if published_only else Q(status=ReturnStatus.SUBMITTED)
    statuses = judge_indicators(list(indicators.values()), as_of=quarter, also_counting=submitted, history=DIRECTION)
    shown = Q(submission__status=ReturnStatus.APPROVED)
    if submitted is not None:
        shown |= Q(submission__status=ReturnStatus.SUBMITTED)

    figures: dict[tuple[int, str | None], dict[int, tuple[Decimal, bool, bool]]] = defaultdict(dict)
    for indicator_id, breakdown, period_id, value, status, demonstration in Value.objects.filter(
        shown, submission__indicator_id__in=ids, submission__period__in=quarters, value__isnull=False
    ).values_list(
        "submission__indicator_id",
        "breakdown__name",
        "submission__period_id",
        "value",
        "submission__status",
        "submission__is_demonstration",
    ):
        figures[(indicator_id, breakdown)][period_id] = (value, status != ReturnStatus.APPROVED, demonstration)
    targets: dict[tuple[int, str | None], tuple[Decimal | None, str]] = {}
    # The year's target, chosen as judging chooses it (indicators.performance: the first plan in order).
    for indicator_id, breakdown, value, text in (
        Target.objects.filter(indicator_id__in=ids, period_id=quarter.parent_id)
        .order_by("-plan__order")
        .values_list("indicator_id", "breakdown__name", "value", "text")
    ):
        targets[(indicator_id, breakdown)] = (value, text)
    # This plan's baseline; where it printed none, the first other plan's (in plan order).
    own: dict[tuple[int, str | None], str] = {}
    other: dict[tuple[int, str | None], str] = {}
    for indicator_id, breakdown, text, plan_id in (
        Baseline.objects.filter(indicator_id__in=ids)
        .order_by("-plan__order")
        .values_list("indicator_id", "breakdown__name", "text", "plan_id")
    ):
        (own if plan_id == plan.pk else other)[(indicator_id, breakdown)] = text
    baselines = {**other, **own}
    part_polarities = {
        (indicator_id, name): polarity
        for indicator_id, name, polarity in Breakdown.objects.filter(indicator_id__in=ids).values_list(
            "indicator_id", "name", "polarity"
        )
    }
    judged_periods = {pk: status.latest_period for pk, status in statuses.items()}
    commentary = _commentary(judged_periods, published_only)

    shown_quarters = quarters[-QUARTERS_SHOWN:]
    demonstration = {key[0] for key, series in figures.items() if any(f[2] for f in series.values())}
    rows = []
    for indicator_id in ids:
        indicator = indicators[indicator_id]
        status = statuses[indicator_id]
        title, group = first_place[indicator_id]
        lowest, highest = limits(indicator.unit)
        parts = []
        for judged in status.parts:
            key = (indicator_id, judged.breakdown)
            polarity = part_polarity(part_polarities.get(key, ""), indicator.polarity)
            series = figures.get(key, {})
            history = [
                QuarterFigure(q.reporting_year, q.quarter, series[q.pk][0]) for q in quarters if q.pk in series
            ]
            made = forecasting.forecast_year_end(
                history, year=quarter.reporting_year, aggregation=indicator.quarter_aggregation,
                lowest=lowest, highest=highest,
            )
            target_value, target_text = targets.get(key, (None, ""))
            parts.append(
                Part(
                    name=judged.breakdown,
                    baseline=baselines.get(key, ""),
                    target_text=target_text,
                    target=target_value,
                    quarters=[series[q.pk][0] if q.pk in series else None for q in shown_quarters],
                    unapproved=[q.pk in series and series[q.pk][1] for q in shown_quarters],
                    rag=judged.rag,
                    direction=judged.since_last,
                    forecast=made,
                    outlook=forecasting.outlook(
                        made, target_value, polarity=polarity, tolerance=indicator.tolerance_percent / 100
                    ),
                )
            )
        said = commentary.get(indicator_id)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                title=title,
                group=group,
                parts=parts,
                rag=status.rag,
                direction=status.since_last,
                outlook=forecasting.combined_outlook([part.outlook for part in parts]),
                judged_period=status.latest_period,
                figure_text=status.figure_text,
                commentary=said[0] if said else "",
                remedial_action=said[1] if said else "",
                commentary_approved=said[2] if said else True,
                demonstration=status.is_demonstration or indicator_id in demonstration,
            )
        )
    ordered_groups = sorted(groups.values(), key=lambda g: g.order)
    rag_of = {row.indicator.pk: row.rag for row in rows}
    for group in ordered_groups:
        group.rollup = rollup([rag_of[i] for i in group.indicator_ids])
    rows.sort(key=lambda row: row.group.order)  # stable: document order within a group
    return rows, ordered_groups


def _commentary(periods: dict[int, ReportingPeriod | None], published_only: bool) -> dict[int, tuple[str, str, bool]]:
    """The commentary and remedial action on the figure each indicator is judged on (one query): the
    approved return's; in a staff pack, the submitted one's, marked as not yet approved."""
    wanted = Q()
    for indicator_id, period in periods.items():
        if period is not None:
            wanted |= Q(indicator_id=indicator_id, period_id=period.pk)
    if not wanted:
        return {}
    statuses = [ReturnStatus.APPROVED] if published_only else [ReturnStatus.APPROVED, ReturnStatus.SUBMITTED]
    found = Return.objects.filter(wanted, status__in=statuses).values_list(
        "indicator_id", "commentary", "remedial_action", "status"
    )
    return {
        indicator_id: (said, remedy, status == ReturnStatus.APPROVED)
        for indicator_id, said, remedy, status in found
        if said.strip() or remedy.strip()
    }


def _action_rows(plan: Plan, quarter: ReportingPeriod) -> list[ActionRow]:
    """The plan's actions with their progress at the quarter: the signed-off update for the quarter where
    there is one, else the action's own status (two queries)."""
    actions = list(
        Action.objects.filter(plan=plan).select_related("priority", "outcome", "org_unit").order_by("order")
    )
    updates = {
        update.action_id: update
        for update in ActionUpdate.objects.filter(
            action__plan=plan, period=quarter, status=ReturnStatus.APPROVED
        ).only("action_id", "progress", "percent_complete", "commentary", "revised_date")
    }
    labels = dict(ActionStatus.choices)
    rows = []
    for action in actions:
        update = updates.get(action.pk)
        status = update.progress if update else action.status
        rows.append(
            ActionRow(
                action=action,
                status=status,
                status_label=labels[status],
                percent_complete=update.percent_complete if update else None,
                commentary=update.commentary if update else "",
                revised_date=update.revised_date if update else None,
                updated=update is not None,
            )
        )
    return rows


def risk_bands(risks: list[Risk]) -> dict[int, str]:
    """Each risk's residual band in words, on its register's own scale (indicators.status.risk_band)."""
    scale = risk_scale([r.residual_score for r in risks if r.residual_score] or [0])
    return {risk.pk: risk_band(risk.residual_score, scale=scale).label for risk in risks}
