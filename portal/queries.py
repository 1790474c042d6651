"""Which indicators sit where along the thread, fetched once per page whatever the plan's size."""

from collections import defaultdict
from dataclasses import dataclass, field

from core.numbers import plain_decimal
from indicators.models import Indicator, OutcomeIndicator, PlanIndicator, Value
from indicators.performance import LATEST, IndicatorStatus, judge_indicators_cached
from indicators.status import Rag, Rollup, rollup


@dataclass
class Thread:
    """Indicator ids by plan, priority, outcome and organisation unit, and every indicator's status."""

    by_plan: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_priority: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_outcome: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_org_unit: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, IndicatorStatus] = field(default_factory=dict)
    # Every place an indicator sits: (indicator, plan, its order there, priority, organisation unit).
    places: list[tuple[int, int, int, int | None, int | None]] = field(default_factory=list)

    def rollup(self, ids: list[int]) -> Rollup:
        return rollup([self.statuses[i].rag if i in self.statuses else Rag.NO_DATA for i in dict.fromkeys(ids)])

    def plan_rollup(self, plan_id: int) -> Rollup:
        return self.rollup(self.by_plan.get(plan_id, []))

    def priority_rollup(self, priority_id: int) -> Rollup:
        return self.rollup(self.by_priority.get(priority_id, []))

    def outcome_rollup(self, outcome_id: int) -> Rollup:
        return self.rollup(self.by_outcome.get(outcome_id, []))

    def org_unit_rollup(self, unit_id: int) -> Rollup:
        return self.rollup(self.by_org_unit.get(unit_id, []))


def _add(mapping, key, value) -> None:
    if key is not None and value not in mapping[key]:
        mapping[key].append(value)


def thread_for(plan_ids: list[int] | None = None, *, as_of=None, history=LATEST, version=None) -> Thread:
    """Plan links, outcome links and the indicators (three queries), then judging them (five)."""
    thread = Thread()
    links = PlanIndicator.objects.values_list("plan_id", "priority_id", "org_unit_id", "indicator_id", "order")
    outcome_links = OutcomeIndicator.objects.values_list(
        "outcome__priority__plan_id", "outcome__priority_id", "outcome_id", "indicator_id", "outcome__order"
    )
    if plan_ids is not None:
        links = links.filter(plan_id__in=plan_ids)
        outcome_links = outcome_links.filter(outcome__priority__plan_id__in=plan_ids)
    for plan_id, priority_id, unit_id, indicator_id, order in links.order_by("plan_id", "order"):
        _add(thread.by_plan, plan_id, indicator_id)
        _add(thread.by_priority, priority_id, indicator_id)
        _add(thread.by_org_unit, unit_id, indicator_id)
        thread.places.append((indicator_id, plan_id, order, priority_id, unit_id))
    for plan_id, priority_id, outcome_id, indicator_id, order in outcome_links.order_by("outcome__order", "order"):
        _add(thread.by_plan, plan_id, indicator_id)
        _add(thread.by_priority, priority_id, indicator_id)
        _add(thread.by_outcome, outcome_id, indicator_id)
        thread.places.append((indicator_id, plan_id, order, priority_id, None))
    thread.statuses = judge_indicators_cached(
        {i for ids in thread.by_plan.values() for i in ids}, as_of=as_of, history=history, version=version
    )
    return thread


def published_series(indicator: Indicator) -> list[dict]:
    """Every approved figure of an indicator by period (and breakdown), with the target for its year
    and its return (for the commentary). One query: the targets come from the indicator's prefetch."""
    values = (
        Value.objects.published()
        .filter(submission__indicator=indicator)
        .select_related("submission__period__parent", "breakdown")
        .order_by("submission__period__start", "breakdown__order")
    )
    targets = {(t.period_id, t.breakdown_id): t for t in indicator.targets.all()}
    rows = []
    for value in values:
        period = value.submission.period
        rows.append(
            {
                "period": period,
                "breakdown": value.breakdown.name if value.breakdown_id else "",
                "value": plain_decimal(value.value),
                "target": targets.get((period.target_year_id, value.breakdown_id)),
                "demonstration": value.submission.is_demonstration,
                "submission": value.submission,
            }
        )
    return rows


def published_commentary(series: list[dict]) -> list:
    """The commentary of the approved returns in a published series, newest first (no query): what the
    council says about its figures. Drafts' and returned returns' commentary is never public."""
    returns = {row["submission"].pk: row["submission"] for row in series}
    return [r for r in sorted(returns.values(), key=lambda r: r.period.start, reverse=True) if r.commentary.strip()]
