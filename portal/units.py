"""The council's units as the plans describe them, each with what its plan says of it, fetched in a fixed
number of queries however many units, measures or changes there are.

- A department of a corporate plan (the Corporate Plan 2011-14's six): its key performance measures, its
  delivery priorities (under the plan's themes) and efficiency projects, and the cross-cutting strategies
  it names.
- A service of the service plans (the Service Plans 2024's twelve, under four directorates): the 2040
  outcomes it contributes to, and each change it is making with the key measure of that change.

Measures carry their indicator; judging them is the caller's (`portal.judged.judge_links`), once per page.
"""

from django.db.models import Prefetch, QuerySet

from indicators.models import Inclusion, PlanIndicator
from plans.models import Action, ActionKind, OrgUnit, Outcome, Priority, StrategyReference
from plans.models.organisation import OrgUnitKind


def departments() -> QuerySet[OrgUnit]:
    """Departments in their plan's order, each with `key_measures`, `delivery_priorities` (with their
    theme), `efficiency_projects` and `strategies`: four queries besides the departments'."""
    measures = (
        PlanIndicator.objects.filter(inclusion=Inclusion.KEY_PERFORMANCE_MEASURE)
        .select_related("indicator")
        .order_by("order")
    )
    actions = Action.objects.select_related("priority").order_by("order")
    return (
        OrgUnit.objects.filter(kind=OrgUnitKind.DEPARTMENT)
        .select_related("defined_by")
        .prefetch_related(
            Prefetch("plan_indicators", queryset=measures, to_attr="key_measures"),
            Prefetch(
                "actions",
                queryset=actions.filter(kind=ActionKind.DELIVERY_PRIORITY),
                to_attr="delivery_priorities",
            ),
            Prefetch(
                "actions",
                queryset=actions.filter(kind=ActionKind.EFFICIENCY_PROJECT),
                to_attr="efficiency_projects",
            ),
            Prefetch("strategy_references", queryset=StrategyReference.objects.order_by("order"), to_attr="strategies"),
        )
        .order_by("defined_by__order", "order", "slug")
    )


def services() -> QuerySet[OrgUnit]:
    """Services under their directorates, in their plan's order, each with `plans` (its service plan:
    the priority it heads, with that plan's outcomes) and `changes` (each with its `key_measures`): four
    queries besides the services'."""
    plans = Priority.objects.order_by("order", "number").prefetch_related(
        Prefetch("outcomes", queryset=Outcome.objects.order_by("order", "number"))
    )
    changes = (
        Action.objects.filter(kind=ActionKind.CHANGE)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=PlanIndicator.objects.select_related("indicator").order_by("order"),
                to_attr="key_measures",
            )
        )
    )
    return (
        OrgUnit.objects.filter(kind=OrgUnitKind.SERVICE)
        .select_related("defined_by", "parent")
        .prefetch_related(
            Prefetch("priorities", queryset=plans, to_attr="plans"),
            Prefetch("actions", queryset=changes, to_attr="changes"),
        )
        .order_by("defined_by__order", "parent__order", "order", "slug")
    )


def measures_of(units: list[OrgUnit]) -> list[PlanIndicator]:
    """Every key measure of the units: a department's own, or those of a service's changes."""
    links = [link for unit in units for link in getattr(unit, "key_measures", [])]
    return links + [link for unit in units for change in getattr(unit, "changes", []) for link in change.key_measures]
