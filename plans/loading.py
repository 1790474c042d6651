"""Loading plan documents (fixtures/plans/*.yaml) into the golden thread.

This module knows plans only. Indicator references it meets (an outcome's "indicators we will
monitor", a change's key measure, a department's key performance measures) are handed back as
IndicatorRequests for the indicators app to resolve, so that `plans` imports no other app.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from core.sync import FixtureError, Syncer, read_yaml, save_checked
from plans.assessment import overall_score
from plans.models import (
    Action,
    ActionKind,
    Assessment,
    AssessmentFinding,
    AssessmentTheme,
    BudgetLine,
    BudgetTable,
    LineKind,
    Milestone,
    MitigatingAction,
    OrgUnit,
    Outcome,
    Plan,
    Priority,
    ResourceStatement,
    Risk,
    ScorecardDomain,
    Statement,
    StrategyReference,
)
from plans.models.assessment import FindingKind
from plans.models.organisation import URL_WORDS


@dataclass
class IndicatorRequest:
    """An indicator reference found in a plan, to be linked where it was printed."""

    ref: dict
    where: str
    plan: Plan
    outcome: Outcome | None = None
    action: Action | None = None
    inclusion: str = ""
    org_unit: OrgUnit | None = None
    priority: Priority | None = None
    scorecard_domain: str = ""


@dataclass
class LoadedPlan:
    plan: Plan
    document: dict
    path: Path
    priorities: dict[int, Priority] = field(default_factory=dict)
    org_units: dict[str, OrgUnit] = field(default_factory=dict)
    indicator_requests: list[IndicatorRequest] = field(default_factory=list)
    syncers: list[Syncer] = field(default_factory=list)
    counters: dict[str, "_Counter"] = field(default_factory=dict)
    actions: Syncer | None = None

    def finish(self) -> None:
        # Children were synced after their parents: delete stale children first.
        for syncer in reversed(self.syncers):
            syncer.finish()


def text(value: Any) -> str:
    """A fixture string with whitespace collapsed inside each paragraph; None becomes ""."""
    if value is None:
        return ""
    paragraphs = (" ".join(paragraph.split()) for paragraph in str(value).split("\n\n"))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def short_slug(title: str, *, max_length: int = 60) -> str:
    slug = slugify(title)
    if len(slug) <= max_length:
        return slug
    return slug[:max_length].rsplit("-", 1)[0]


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise FixtureError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from error


def _require(mapping: dict, key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or mapping.get(key) in (None, ""):
        raise FixtureError(f"{where}: '{key}' is required")
    return mapping[key]


def _list(mapping: dict, key: str, where: str) -> list:
    value = mapping.get(key) or []
    if not isinstance(value, list):
        raise FixtureError(f"{where}.{key}: expected a list")
    return value


def sync_plan_record(document: dict, path: Path, order: int) -> Plan:
    """Create or update the Plan row itself (its `serves` link is set once every plan exists)."""
    where = f"{path.name}: plan"
    spec = _require(document, "plan", path.name)
    slug = _require(spec, "slug", where)
    values = {
        "title": text(_require(spec, "title", where)),
        "kind": _require(spec, "kind", where),
        "status": spec.get("status") or "adopted",
        "start": _date(_require(spec, "start", where), f"{where}.start"),
        "end": _date(_require(spec, "end", where), f"{where}.end"),
        "source": text(spec.get("source")),
        "summary": text(spec.get("summary")),
        "order": order,
    }
    plan = Plan.objects.filter(slug=slug).first() or Plan(slug=slug)
    changed = plan.pk is None
    for name, value in values.items():
        if getattr(plan, name) != value:
            setattr(plan, name, value)
            changed = True
    if values["end"] < values["start"]:
        raise FixtureError(f"{where}: the plan ends before it starts")
    if changed:
        save_checked(plan, where)
    return plan


def link_served_plan(plan: Plan, document: dict, path: Path) -> None:
    serves_slug = document["plan"].get("serves")
    serves = None
    if serves_slug:
        serves = Plan.objects.filter(slug=serves_slug).first()
        if serves is None:
            raise FixtureError(f"{path.name}: plan.serves: no plan has the slug {serves_slug!r}")
    if plan.serves_id != (serves.pk if serves else None):
        plan.serves = serves
        plan.save(update_fields=["serves"])


def load_plan_document(plan: Plan, document: dict, path: Path) -> LoadedPlan:
    loaded = LoadedPlan(plan=plan, document=document, path=path)
    name = path.name
    _load_statements(loaded, name)
    _load_org_units(loaded, name)
    _load_priorities(loaded, name)
    _load_scorecard_domains(loaded, name)
    _load_plan_indicators(loaded, name)
    _load_departmental_plans(loaded, name)
    _load_risks(loaded, name)
    _load_budget(loaded, name)
    _load_timeline(loaded, name)
    return loaded


def _syncer(loaded: LoadedPlan, queryset, key_fields, where: str) -> Syncer:
    syncer = Syncer(queryset, key_fields, where=where)
    loaded.syncers.append(syncer)
    return syncer


def _load_statements(loaded: LoadedPlan, name: str) -> None:
    statements = _syncer(loaded, Statement.objects.filter(plan=loaded.plan), ("order",), name)
    for index, spec in enumerate(_list(loaded.document, "statements", name)):
        where = f"{name}: statements[{index}]"
        statements.sync(
            {"order": index},
            where=where,
            plan_id=loaded.plan.pk,
            kind=_require(spec, "kind", where),
            title=text(spec.get("title")),
            text=text(_require(spec, "text", where)),
        )


def _load_org_units(loaded: LoadedPlan, name: str) -> None:
    units = _syncer(loaded, OrgUnit.objects.filter(defined_by=loaded.plan), ("slug",), name)
    for index, spec in enumerate(_list(loaded.document, "org_units", name)):
        where = f"{name}: org_units[{index}]"
        parent_slug = spec.get("parent")
        parent = loaded.org_units.get(parent_slug) if parent_slug else None
        if parent_slug and parent is None:
            raise FixtureError(f"{where}: parent {parent_slug!r} must be listed before its children")
        loaded.org_units[_require(spec, "slug", where)] = units.sync(
            {"slug": spec["slug"]},
            where=where,
            defined_by_id=loaded.plan.pk,
            kind=_require(spec, "kind", where),
            name=text(_require(spec, "name", where)),
            parent_id=parent.pk if parent else None,
            head=text(spec.get("head")),
            head_title=text(spec.get("head_title")),
            overview=text(spec.get("overview")),
            order=index,
        )


def _org_unit(loaded: LoadedPlan, slug: str | None, where: str) -> OrgUnit | None:
    if not slug:
        return None
    try:
        return loaded.org_units[slug]
    except KeyError:
        raise FixtureError(f"{where}: org_unit {slug!r} is not among this plan's org_units") from None


class _Counter:
    def __init__(self) -> None:
        self.value = -1

    def next(self) -> int:
        self.value += 1
        return self.value


def _load_priorities(loaded: LoadedPlan, name: str) -> None:
    plan = loaded.plan
    priorities = _syncer(loaded, Priority.objects.filter(plan=plan), ("number",), name)
    outcomes = _syncer(loaded, Outcome.objects.filter(priority__plan=plan), ("priority_id", "number"), name)
    actions = _syncer(loaded, Action.objects.filter(plan=plan), ("order",), name)
    risks = _syncer(loaded, Risk.objects.filter(plan=plan, outcome__isnull=False), ("order",), name)
    mitigations = _syncer(loaded, MitigatingAction.objects.filter(plan=plan), ("order",), name)
    resources = _syncer(loaded, ResourceStatement.objects.filter(plan=plan), ("order",), name)
    loaded.counters = {
        "action": _Counter(),
        "risk": _Counter(),
        "mitigation": _Counter(),
        "resource": _Counter(),
    }
    # A plan's pages for its units (/plans/<plan>/services/<unit>/) sit beside its outcomes
    # (/plans/<plan>/<priority>/<outcome>/): no priority may take the units' words as its slug.
    used_slugs: set[str] = set(URL_WORDS.values())
    for p_index, spec in enumerate(_list(loaded.document, "priorities", name)):
        where = f"{name}: priorities[{p_index}]"
        title = text(_require(spec, "title", where))
        slug = short_slug(title)
        if slug in used_slugs:
            slug = f"{slug}-{spec['number']}"
        used_slugs.add(slug)
        focus = [text(item) for item in _list(spec, "focus", where)]
        priority = priorities.sync(
            {"number": _require(spec, "number", where)},
            where=where,
            plan_id=plan.pk,
            slug=slug,
            title=title,
            description=text(spec.get("description")),
            focus=focus,
            org_unit_id=getattr(_org_unit(loaded, spec.get("org_unit"), where), "pk", None),
            order=p_index,
        )
        loaded.priorities[priority.number] = priority
        outcome_slugs: set[str] = set()
        for o_index, o_spec in enumerate(_list(spec, "outcomes", where)):
            o_where = f"{where}.outcomes[{o_index}]"
            o_title = text(_require(o_spec, "title", o_where))
            o_slug = short_slug(o_title) or f"outcome-{o_spec['number']}"
            if o_slug in outcome_slugs:
                o_slug = f"{o_slug}-{o_spec['number']}"
            outcome_slugs.add(o_slug)
            outcome = outcomes.sync(
                {"priority_id": priority.pk, "number": _require(o_spec, "number", o_where)},
                where=o_where,
                label=text(o_spec.get("label")),
                slug=o_slug,
                title=o_title,
                narrative=text(o_spec.get("narrative")),
                order=o_index,
            )
            for a_index, item in enumerate(_list(o_spec, "actions", o_where)):
                actions.sync(
                    {"order": loaded.counters["action"].next()},
                    where=f"{o_where}.actions[{a_index}]",
                    plan_id=plan.pk,
                    priority_id=priority.pk,
                    outcome_id=outcome.pk,
                    org_unit_id=None,
                    kind=ActionKind.ACTION,
                    text=text(item),
                )
            for r_index, item in enumerate(_list(o_spec, "risks", o_where)):
                r_where = f"{o_where}.risks[{r_index}]"
                risks.sync(
                    {"order": loaded.counters["risk"].next()},
                    where=r_where,
                    plan_id=plan.pk,
                    outcome_id=outcome.pk,
                    reference=f"{priority.number}.{outcome.number}.{r_index + 1}",
                    **_risk_values(item if isinstance(item, dict) else {"title": item}, r_where),
                )
            for m_index, item in enumerate(_list(o_spec, "risk_actions", o_where)):
                mitigations.sync(
                    {"order": loaded.counters["mitigation"].next()},
                    where=f"{o_where}.risk_actions[{m_index}]",
                    plan_id=plan.pk,
                    outcome_id=outcome.pk,
                    risk_id=None,
                    text=text(item),
                )
            for s_index, item in enumerate(_list(o_spec, "resources", o_where)):
                resources.sync(
                    {"order": loaded.counters["resource"].next()},
                    where=f"{o_where}.resources[{s_index}]",
                    plan_id=plan.pk,
                    outcome_id=outcome.pk,
                    text=text(item),
                )
            for i_index, ref in enumerate(_list(o_spec, "indicators", o_where)):
                loaded.indicator_requests.append(
                    IndicatorRequest(ref=ref, where=f"{o_where}.indicators[{i_index}]", plan=plan, outcome=outcome)
                )
        for a_index, a_spec in enumerate(_list(spec, "actions", where)):
            a_where = f"{where}.actions[{a_index}]"
            a_spec = a_spec if isinstance(a_spec, dict) else {"text": a_spec}
            action = actions.sync(
                {"order": loaded.counters["action"].next()},
                where=a_where,
                plan_id=plan.pk,
                priority_id=priority.pk,
                outcome_id=None,
                org_unit_id=getattr(_org_unit(loaded, a_spec.get("org_unit"), a_where), "pk", None),
                kind=a_spec.get("kind") or ActionKind.ACTION,
                text=text(_require(a_spec, "text", a_where)),
            )
            if a_spec.get("measure"):
                loaded.indicator_requests.append(
                    IndicatorRequest(
                        ref=a_spec["measure"],
                        where=f"{a_where}.measure",
                        plan=plan,
                        action=action,
                        inclusion="key_measure",
                        org_unit=action.org_unit,
                        priority=priority,
                    )
                )
    loaded.actions = actions


def _risk_values(spec: dict, where: str) -> dict:
    def score(key: str) -> int | None:
        value = spec.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise FixtureError(f"{where}.{key}: {value!r} is not a whole number")
        return value

    return {
        "number": spec.get("number"),
        "title": text(_require(spec, "title", where)),
        "description": text(spec.get("description")),
        "owner": text(spec.get("owner")),
        "initial_score": score("initial_score"),
        "initial_likelihood": score("initial_likelihood"),
        "initial_impact": score("initial_impact"),
        "residual_score": score("residual_score"),
        "residual_likelihood": score("residual_likelihood"),
        "residual_impact": score("residual_impact"),
        "controls": text(spec.get("controls")),
        "review_date": _date(spec["review_date"], f"{where}.review_date") if spec.get("review_date") else None,
    }


def _load_scorecard_domains(loaded: LoadedPlan, name: str) -> None:
    domains = _syncer(loaded, ScorecardDomain.objects.filter(plan=loaded.plan), ("name",), name)
    for index, spec in enumerate(_list(loaded.document, "scorecard_domains", name)):
        where = f"{name}: scorecard_domains[{index}]"
        domains.sync(
            {"name": text(_require(spec, "name", where))},
            where=where,
            plan_id=loaded.plan.pk,
            description=text(spec.get("description")),
            order=index,
        )


def _load_plan_indicators(loaded: LoadedPlan, name: str) -> None:
    domains = {text(spec.get("name")) for spec in _list(loaded.document, "scorecard_domains", name)}
    for index, ref in enumerate(_list(loaded.document, "plan_indicators", name)):
        where = f"{name}: plan_indicators[{index}]"
        domain = text(ref.get("scorecard_domain"))
        if domain and domain not in domains:
            raise FixtureError(f"{where}: scorecard_domain {domain!r} is not among this plan's scorecard_domains")
        loaded.indicator_requests.append(
            IndicatorRequest(
                ref=ref,
                where=where,
                plan=loaded.plan,
                inclusion=_require(ref, "inclusion", where),
                org_unit=_org_unit(loaded, ref.get("org_unit"), where),
                scorecard_domain=domain,
            )
        )


def _priority_for_theme(loaded: LoadedPlan, theme: Any, where: str) -> Priority | None:
    if theme in (None, ""):
        return None
    try:
        return loaded.priorities[int(theme)]
    except (KeyError, ValueError):
        raise FixtureError(f"{where}: theme {theme!r} is not one of this plan's priority numbers") from None


def _load_departmental_plans(loaded: LoadedPlan, name: str) -> None:
    plan = loaded.plan
    actions = loaded.actions
    strategies = _syncer(loaded, StrategyReference.objects.filter(plan=plan), ("order",), name)
    strategy_order = _Counter()
    for d_index, spec in enumerate(_list(loaded.document, "departmental_plans", name)):
        where = f"{name}: departmental_plans[{d_index}]"
        unit = _org_unit(loaded, _require(spec, "org_unit", where), where)
        for index, ref in enumerate(_list(spec, "key_performance_measures", where)):
            loaded.indicator_requests.append(
                IndicatorRequest(
                    ref=ref,
                    where=f"{where}.key_performance_measures[{index}]",
                    plan=plan,
                    inclusion="key_performance_measure",
                    org_unit=unit,
                )
            )
        for kind, key in (
            ("delivery_priority", "delivery_priorities"),
            ("efficiency_project", "efficiency_projects"),
        ):
            for index, item in enumerate(_list(spec, key, where)):
                i_where = f"{where}.{key}[{index}]"
                item = item if isinstance(item, dict) else {"text": item}
                priority = _priority_for_theme(loaded, item.get("theme"), i_where)
                actions.sync(
                    {"order": loaded.counters["action"].next()},
                    where=i_where,
                    plan_id=plan.pk,
                    priority_id=priority.pk if priority else None,
                    outcome_id=None,
                    org_unit_id=unit.pk,
                    kind=kind,
                    text=text(_require(item, "text", i_where)),
                )
        for index, item in enumerate(_list(spec, "cross_cutting_strategies", where)):
            strategies.sync(
                {"order": strategy_order.next()},
                where=f"{where}.cross_cutting_strategies[{index}]",
                plan_id=plan.pk,
                org_unit_id=unit.pk,
                title=text(item),
            )


def _load_risks(loaded: LoadedPlan, name: str) -> None:
    risks = _syncer(loaded, Risk.objects.filter(plan=loaded.plan, outcome__isnull=True), ("order",), name)
    # Register risks are numbered after any outcome risks so the two never share an order.
    offset = loaded.counters["risk"].value + 1
    for index, spec in enumerate(_list(loaded.document, "risks", name)):
        where = f"{name}: risks[{index}]"
        risks.sync(
            {"order": offset + index},
            where=where,
            plan_id=loaded.plan.pk,
            outcome_id=None,
            reference=str(spec.get("number") or index + 1),
            **_risk_values(spec, where),
        )


def _load_budget(loaded: LoadedPlan, name: str) -> None:
    tables = _syncer(loaded, BudgetTable.objects.filter(plan=loaded.plan), ("title",), name)
    lines = _syncer(loaded, BudgetLine.objects.filter(table__plan=loaded.plan), ("table_id", "order"), name)
    for t_index, spec in enumerate(_list(loaded.document, "budget", name)):
        where = f"{name}: budget[{t_index}]"
        table = tables.sync(
            {"title": text(_require(spec, "table", where))},
            where=where,
            plan_id=loaded.plan.pk,
            unit=text(spec.get("unit")),
            columns=[text(column) for column in _list(spec, "columns", where)],
            notes=[text(note) for note in _list(spec, "notes", where)],
            order=t_index,
        )
        for r_index, row in enumerate(_list(spec, "rows", where)):
            r_where = f"{where}.rows[{r_index}]"
            kind = row.get("kind") or LineKind.ROW
            if kind not in LineKind.values:
                raise FixtureError(f"{r_where}.kind: {kind!r} is not one of {', '.join(LineKind.values)}")
            lines.sync(
                {"table_id": table.pk, "order": r_index},
                where=r_where,
                kind=kind,
                note=text(row.get("note")),
                label=text(_require(row, "label", r_where)),
                cells=[None if cell is None else text(cell) for cell in _list(row, "cells", r_where)],
            )


def _load_timeline(loaded: LoadedPlan, name: str) -> None:
    milestones = _syncer(loaded, Milestone.objects.filter(plan=loaded.plan), ("order",), name)
    for index, spec in enumerate(_list(loaded.document, "timeline", name)):
        where = f"{name}: timeline[{index}]"
        milestones.sync(
            {"order": index},
            where=where,
            plan_id=loaded.plan.pk,
            period_label=text(_require(spec, "period", where)),
            text=text(_require(spec, "text", where)),
        )


def load_assessment(path: Path) -> Assessment:
    """Load a corporate assessment; its printed overall score must be what the printed rules give."""
    spec = _require(read_yaml(path), "assessment", path.name)
    where = f"{path.name}: assessment"
    themes = _list(spec, "themes", where)
    scores = [_require(theme, "score", f"{where}.themes[{i}]") for i, theme in enumerate(themes)]
    try:
        derived = overall_score(scores)
    except ValueError as error:
        raise FixtureError(f"{where}.themes: {error}") from error
    if derived != spec.get("overall_score"):
        raise FixtureError(
            f"{where}: overall_score is {spec.get('overall_score')!r} but the rules give {derived} for {scores}"
        )
    plan = Plan.objects.filter(slug=spec["plan"]).first() if spec.get("plan") else None
    assessments = Syncer(Assessment.objects.all(), ("slug",), where=where)
    assessment = assessments.sync(
        {"slug": _require(spec, "slug", where)},
        title=text(_require(spec, "title", where)),
        assessor=text(_require(spec, "assessor", where)),
        published=text(_require(spec, "published", where)),
        overall_score=derived,
        score_key=spec.get("score_key") or [],
        overall_rules=spec.get("overall_rules") or [],
        plan_id=plan.pk if plan else None,
    )
    theme_rows = Syncer(AssessmentTheme.objects.filter(assessment=assessment), ("theme",), where=where)
    for index, theme in enumerate(themes):
        theme_rows.sync(
            {"theme": text(theme["theme"])},
            where=f"{where}.themes[{index}]",
            assessment_id=assessment.pk,
            headline_question=text(theme.get("headline_question")),
            score=theme["score"],
            summary=text(theme.get("summary")),
            order=index,
        )
    findings = Syncer(AssessmentFinding.objects.filter(assessment=assessment), ("kind", "order"), where=where)
    for kind, key in (
        (FindingKind.SUMMARY, "summary"),
        (FindingKind.AREA_FOR_IMPROVEMENT, "areas_for_improvement"),
    ):
        for index, item in enumerate(_list(spec, key, where)):
            findings.sync(
                {"kind": kind, "order": index},
                where=f"{where}.{key}[{index}]",
                assessment_id=assessment.pk,
                text=text(item),
            )
    theme_rows.finish()
    findings.finish()
    return assessment
