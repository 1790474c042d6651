"""The indicator rows of a report pack: where each indicator sits in the plan, its figures for the last
quarters, the year's target and baseline, its status, direction and forecast, and the approved commentary
on its figure. A fixed number of queries whatever the plan's size or the years of figures."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from indicators import forecast as forecasting
from indicators.forecast import QuarterFigure
from indicators.models import (
    Baseline,
    Breakdown,
    Indicator,
    OutcomeIndicator,
    PeriodKind,
    PlanIndicator,
    QuarterAggregation,
    ReportingPeriod,
    Return,
    ReturnStatus,
    Target,
    Value,
)
from indicators.performance import DIRECTION, JUDGED_FIELDS, judge_indicators
from indicators.status import part_polarity, rollup
from indicators.units import limits
from partners.models import SignUp
from plans.models import OrgUnit, Plan
from reports.contents import Group, IndicatorRow, Part

QUARTERS_SHOWN = 4  # the full table's last four quarters


def _places(plan: Plan) -> list[tuple]:
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
        places.append((link.indicator_id, link.title, *group, (0, link.order), link.org_unit_id))
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
        places.append((link.indicator_id, link.title, *group, (1, link.outcome.order, link.order), None))
    # Outcome links first within a priority would split it; keep document order: group, then place.
    return sorted(places, key=lambda place: (place[4], place[5]))


def indicator_rows(
    plan: Plan,
    quarter: ReportingPeriod,
    quarters: list[ReportingPeriod],
    published_only: bool,
    *,
    by_department: bool = False,
    lead_partners: bool = False,
):
    """The pack's indicator rows in document order under their headings (priorities, or with
    `by_department` directorates and departments), and the headings with their roll-ups."""
    places = _places(plan)
    indicators = Indicator.objects.only(*JUDGED_FIELDS, "department_id").in_bulk({place[0] for place in places})
    places = [place for place in places if place[0] in indicators]  # as at a moment, some did not exist yet
    ids = list(dict.fromkeys(place[0] for place in places))
    if by_department:
        places = _by_department(places, indicators)
    groups: dict[tuple, Group] = {}
    first_place: dict[int, tuple] = {}
    for indicator_id, title, key, group_title, order, *_ in places:
        group = groups.setdefault(key, Group(key=key, title=group_title, order=order))
        if indicator_id not in group.indicator_ids:
            group.indicator_ids.append(indicator_id)
        first_place.setdefault(indicator_id, (title, group))
    leads = (
        dict(
            SignUp.objects.filter(plan_indicator__plan=plan, lead=True).values_list(
                "plan_indicator__indicator_id", "partner__name"
            )
        )
        if lead_partners
        else {}
    )
    submitted = None if published_only else Q(status=ReturnStatus.SUBMITTED)
    statuses = judge_indicators(list(indicators.values()), as_of=quarter, also_counting=submitted, history=DIRECTION)
    figures = read_figures(ids, quarters, published_only)
    targets: dict[tuple[int, str | None], tuple[Decimal | None, str]] = {}
    designated: dict[tuple[int, str | None], Decimal | None] = {}  # this plan's designated (reward) targets
    # The year's target, chosen as judging chooses it (indicators.performance: the first plan in order).
    for indicator_id, breakdown, value, text, plan_id, is_designated in (
        Target.objects.filter(indicator_id__in=ids, period_id=quarter.parent_id)
        .order_by("-plan__order")
        .values_list("indicator_id", "breakdown__name", "value", "text", "plan_id", "designated")
    ):
        targets[(indicator_id, breakdown)] = (value, text)
        if is_designated and plan_id == plan.pk:
            designated[(indicator_id, breakdown)] = value
    # This plan's baseline; where it printed none, the first other plan's (in plan order).
    own: dict[tuple[int, str | None], tuple[str, Decimal | None]] = {}
    other: dict[tuple[int, str | None], tuple[str, Decimal | None]] = {}
    for indicator_id, breakdown, text, value, plan_id in (
        Baseline.objects.filter(indicator_id__in=ids)
        .order_by("-plan__order")
        .values_list("indicator_id", "breakdown__name", "text", "value", "plan_id")
    ):
        (own if plan_id == plan.pk else other)[(indicator_id, breakdown)] = (text, value)
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
                    baseline=baselines.get(key, ("", None))[0],
                    baseline_value=baselines.get(key, ("", None))[1],
                    designated=key in designated,
                    designated_target=designated.get(key),
                    latest_for_year=_for_year(judged, indicator.quarter_aggregation),
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
                lead_partner=leads.get(indicator_id, ""),
            )
        )
    ordered_groups = sorted(groups.values(), key=lambda g: g.order)
    rag_of = {row.indicator.pk: row.rag for row in rows}
    for group in ordered_groups:
        group.rollup = rollup([rag_of[i] for i in group.indicator_ids])
    rows.sort(key=lambda row: row.group.order)  # stable: document order within a group
    return rows, ordered_groups


Figures = dict[tuple[int, str | None], dict[int, tuple[Decimal, bool, bool]]]


def read_figures(ids: list[int], quarters: list[ReportingPeriod], published_only: bool) -> Figures:
    """The figures a pack shows (one query): by (indicator, part), each quarter's figure, whether it is not
    yet approved, and whether it is demonstration data. Approved figures only, or (a staff pack) with the
    submitted ones."""
    shown = Q(submission__status=ReturnStatus.APPROVED)
    if not published_only:
        shown |= Q(submission__status=ReturnStatus.SUBMITTED)
    figures: Figures = defaultdict(dict)
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
    return figures


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




def _by_department(places: list[tuple], indicators: dict[int, Indicator]) -> list[tuple]:
    """The places regrouped by the department the plan lists each indicator under (else the one that owns
    its returns), headed "Directorate: Department"; directorates and departments in their order. One query."""
    unit_of = {}
    for indicator_id, *_, unit_id in places:
        if unit_id and indicator_id not in unit_of:
            unit_of[indicator_id] = unit_id
    for indicator_id, indicator in indicators.items():
        if indicator_id not in unit_of and indicator.department_id:
            unit_of[indicator_id] = indicator.department_id
    units = OrgUnit.objects.select_related("parent").in_bulk(set(unit_of.values()))
    regrouped = []
    for indicator_id, title, _key, _title, _order, place_order, unit_id in places:
        unit = units.get(unit_of.get(indicator_id))
        if unit is None:
            group = (("unit", None), "No department named", (9, 0, 0))
        elif unit.parent_id:
            group = (("unit", unit.pk), f"{unit.parent.name}: {unit.name}", (1, unit.parent.order, unit.order))
        else:
            group = (("unit", unit.pk), unit.name, (1, unit.order, 0))
        regrouped.append((indicator_id, title, *group, place_order, unit_id))
    return sorted(regrouped, key=lambda place: (place[4], place[5]))


def _for_year(judged, aggregation: str) -> Decimal | None:
    """The judged figure when it stands for the year: a year's own figure, or a snapshot's or an average's
    latest quarter. A year-to-date figure or a quarter's own count does not."""
    if judged.latest is None:
        return None
    if judged.latest.period.kind != PeriodKind.QUARTER or aggregation in (
        QuarterAggregation.SNAPSHOT,
        QuarterAggregation.AVERAGE,
    ):
        return judged.latest.value
    return None
