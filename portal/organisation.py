"""Public pages of a plan's organisation units, as the plan that defines them prints them: a
department's part of a corporate plan (key performance measures with status, delivery priorities by
theme, efficiency projects, cross-cutting strategies), a service's plan (overview, the outcomes it
contributes towards, each change with its key measure) and a directorate with its services."""

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from indicators.models import PlanIndicator
from indicators.performance import DIRECTION, judge_indicators
from plans.models import Action, ActionKind, OrgUnit, Outcome, Priority
from plans.models.organisation import URL_WORDS

KINDS = {word: kind for kind, word in URL_WORDS.items()}


@dataclass
class Change:
    action: Action
    measures: list[PlanIndicator] = field(default_factory=list)


def org_unit(request: HttpRequest, plan: str, kind: str, slug: str) -> HttpResponse:
    """Who: anyone. Everything the unit's plan says of it, each section shown where the plan has one."""
    if kind not in KINDS:
        raise Http404("No such kind of organisation unit")
    unit = get_object_or_404(
        OrgUnit.objects.select_related("defined_by", "parent__defined_by"),
        defined_by__slug=plan,
        kind=KINDS[kind],
        slug=slug,
    )
    measures = list(PlanIndicator.objects.filter(org_unit=unit).select_related("indicator").order_by("order"))
    # The unit's own measures are judged; a change's key measure is shown as printed, beside its change.
    judged = {m.indicator_id: m.indicator for m in measures if m.action_id is None}
    statuses = judge_indicators(list(judged.values()), history=DIRECTION)
    actions = list(unit.actions.select_related("priority").order_by("order"))
    changes = {a.pk: Change(a) for a in actions if a.kind == ActionKind.CHANGE}
    for measure in measures:
        if measure.action_id in changes:
            changes[measure.action_id].measures.append(measure)
    return render(
        request,
        "plans/org_unit.html",
        {
            "unit": unit,
            "plan": unit.defined_by,
            "children": list(unit.children.select_related("defined_by").order_by("order")),
            "outcomes": list(
                Outcome.objects.filter(priority__org_unit=unit).order_by("priority__order", "order", "number")
            ),
            "measure_rows": [(m, statuses[m.indicator_id]) for m in measures if m.action_id is None],
            "themes": _by_theme([a for a in actions if a.kind == ActionKind.DELIVERY_PRIORITY]),
            "changes": list(changes.values()),
            "projects": [a for a in actions if a.kind == ActionKind.EFFICIENCY_PROJECT],
            "other_actions": [a for a in actions if a.kind == ActionKind.ACTION],
            "strategies": list(unit.strategy_references.order_by("order")),
            "demonstration": any(status.is_demonstration for status in statuses.values()),
        },
    )


def _by_theme(actions: list[Action]) -> list[tuple[str, list[Action]]]:
    """Delivery priorities under their theme (the plan's priority, "Theme 3: ..." as the plans print
    it), themes in the plan's order, each theme's items in printed order; items printed under no theme
    heading last."""
    themes: dict[int | None, tuple[Priority | None, list[Action]]] = {}
    for action in actions:
        themes.setdefault(action.priority_id, (action.priority, []))[1].append(action)
    ordered = sorted(
        themes.values(), key=lambda item: (item[0] is None, (item[0].order, item[0].number) if item[0] else ())
    )
    return [(f"Theme {p.number}: {p.title}" if p else "Printed without a theme", items) for p, items in ordered]
