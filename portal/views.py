"""Public pages: plans, outcomes, indicators, partners, scorecards, risk registers. Anyone may use
them, and they show approved figures only; working figures appear on the signed-in dashboards."""

import csv
import functools
from collections import defaultdict
from dataclasses import dataclass, field

import markdown
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from core.importing import escape_formula
from core.numbers import plain
from core.roles import Role, is_council_staff
from indicators import charts
from indicators.history import indicator_history
from indicators.models import (
    Baseline,
    Indicator,
    OutcomeIndicator,
    PlanIndicator,
    Target,
)
from indicators.performance import CACHE_SECONDS, DIRECTION, LATEST, data_version, judge_indicators
from indicators.status import risk_band, risk_scale, rollup
from partners.models import GlossaryTerm, Partner, PartnerMembership, SignUp
from plans.models import Action, Milestone, Outcome, Plan, Risk
from portal.queries import published_commentary, published_series, thread_for
from portal.risks import build_register
from returns import permissions


def home(request: HttpRequest) -> HttpResponse:
    """Who: anyone. The plans along the thread, each with the status of its indicators."""
    plans = list(Plan.objects.select_related("serves").order_by("order", "start"))
    # Only the plans' roll-ups are needed here: remember those (small) rather than every status.
    version = data_version()
    key = f"home-rollups:{version}"
    summary = cache.get(key)
    if summary is None:
        thread = thread_for(version=version)
        summary = ({plan.pk: thread.plan_rollup(plan.pk) for plan in plans}, _demo(thread.statuses.values()))
        cache.set(key, summary, timeout=CACHE_SECONDS)
    rollups, demonstration = summary
    rows = [(plan, rollups.get(plan.pk) or rollup([])) for plan in plans]
    return render(request, "plans/home.html", {"rows": rows, "demonstration": demonstration})


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone. A plan's statements and priorities, each priority with its roll-up and outcomes."""
    plan = get_object_or_404(Plan.objects.with_thread().prefetch_related("statements"), slug=slug)
    thread = thread_for([plan.pk])
    # A priority with outcomes drills down to them; one without (the LAA's themes) to its indicators.
    priorities = [
        (
            priority,
            thread.priority_rollup(priority.pk),
            [(o, thread.outcome_rollup(o.pk)) for o in priority.outcomes.all()],
            [thread.statuses[i] for i in thread.by_priority.get(priority.pk, []) if i in thread.statuses]
            if not priority.outcomes.all()
            else [],
        )
        for priority in plan.priorities.all()
    ]
    # The plan's organisation: departments with their measures' roll-up, or directorates with their services.
    units = defaultdict(list)
    for unit in plan.org_units.order_by("order"):
        units[unit.parent_id].append(unit)
    departments = [(unit, thread.org_unit_rollup(unit.pk)) for unit in units[None] if not units[unit.pk]]
    directorates = [(unit, units[unit.pk]) for unit in units[None] if units[unit.pk]]
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "priorities": priorities,
            "departments": departments,
            "directorates": directorates,
            "rollup": thread.plan_rollup(plan.pk),
            "has_risks": plan.risks.exists(),
            "has_budget": plan.budget_tables.exists(),
            "has_timeline": plan.milestones.exists(),
            "assessments": list(plan.assessments.all()),
            "demonstration": _demo(thread.statuses.values()),
        },
    )


def outcome_detail(request: HttpRequest, plan: str, priority: str, slug: str) -> HttpResponse:
    """Who: anyone. An outcome's narrative, actions with status, indicators with status, and risks."""
    outcome = get_object_or_404(
        Outcome.objects.select_related("priority__plan").prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("order")),
            Prefetch("risks", queryset=Risk.objects.order_by("order")),
            "mitigating_actions",
            "resource_statements",
            Prefetch(
                "indicator_links",
                queryset=OutcomeIndicator.objects.select_related("indicator"),
            ),
        ),
        priority__plan__slug=plan,
        priority__slug=priority,
        slug=slug,
    )
    links = list(outcome.indicator_links.all())
    statuses = judge_indicators(list({link.indicator.pk: link.indicator for link in links}.values()), history=DIRECTION)
    risks = list(outcome.risks.all())
    scale = risk_scale([r.residual_score for r in risks if r.residual_score] or [0])
    return render(
        request,
        "plans/outcome_detail.html",
        {
            "outcome": outcome,
            "plan": outcome.priority.plan,
            "indicator_rows": [(link, statuses[link.indicator.pk]) for link in links],
            "risk_rows": [(risk, risk_band(risk.residual_score, scale=scale)) for risk in risks],
            "demonstration": _demo(statuses.values()),
        },
    )


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone; council staff also see the audit history of its targets and returns."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("department").prefetch_related(
            "aliases",
            Prefetch("targets", queryset=Target.objects.in_order().select_related("plan")),
            Prefetch(
                "plan_links",
                queryset=PlanIndicator.objects.select_related("plan", "priority").prefetch_related(
                    Prefetch("sign_ups", queryset=SignUp.objects.in_order())
                ),
            ),
            Prefetch("baselines", queryset=Baseline.objects.select_related("plan", "period", "breakdown")),
            Prefetch("outcome_links", queryset=OutcomeIndicator.objects.select_related("outcome__priority__plan")),
        ),
        slug=slug,
    )
    status = judge_indicators([indicator])[indicator.pk]
    series = published_series(indicator)
    chart = _chart(indicator, series)
    includes_returns = permissions.can_see_unapproved(request.user, indicator)
    history = indicator_history(indicator, include_returns=includes_returns) if is_council_staff(request.user) else None
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "status": status,
            "series": series,
            "chart": chart,
            "commentary": published_commentary(series),
            "history": history,
            "history_includes_returns": includes_returns,
            "outcomes": list({link.outcome_id: link.outcome for link in indicator.outcome_links.all()}.values()),
            "demonstration": status.is_demonstration or any(row["demonstration"] for row in series),
        },
    )


def _chart(indicator: Indicator, series: list[dict]) -> dict | None:
    """The published figures as a chart (charts.chart_for_page). None when there are fewer than two
    figures of the whole indicator."""
    figures = charts.indicator_figures(series, aggregation=indicator.quarter_aggregation)
    if len(figures) < 2:
        return None
    return charts.chart_for_page(
        figures,
        indicator=indicator,
        chart_id=f"chart-{indicator.slug}",
        title=f"{indicator.code or indicator.title}: published figures and targets",
    )


def indicator_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone. The published figures and targets of an indicator as CSV."""
    indicator = get_object_or_404(Indicator.objects.prefetch_related("targets"), slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.slug}-published-figures.csv"'
    writer = csv.writer(response)
    writer.writerow(["indicator", "period", "breakdown", "value", "target", "target_as_printed", "demonstration"])
    for row in published_series(indicator):
        target = row["target"]
        writer.writerow(
            [
                escape_formula(indicator.code or indicator.slug),
                row["period"].label,
                escape_formula(row["breakdown"]),
                plain(row["value"]),
                plain(target.value) if target else "",
                escape_formula(target.text) if target else "",
                "yes" if row["demonstration"] else "no",
            ]
        )
    return response


def partner_list(request: HttpRequest) -> HttpResponse:
    """Who: anyone. The partner directory, with how many targets each signed and leads."""
    partners = Partner.objects.annotate(
        signed=Count("sign_ups", distinct=True), leads=Count("sign_ups", filter=Q(sign_ups__lead=True), distinct=True)
    ).order_by("name")
    return render(request, "partners/partner_list.html", {"partners": partners})


def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone. Every target the partner signed up to, leads first, each with its current status."""
    partner = get_object_or_404(
        Partner.objects.prefetch_related(
            "aliases",
            Prefetch("memberships", queryset=PartnerMembership.objects.select_related("member")),
            Prefetch("group_memberships", queryset=PartnerMembership.objects.select_related("group")),
            Prefetch(
                "sign_ups",
                queryset=SignUp.objects.select_related("plan_indicator__indicator", "plan_indicator__plan").order_by(
                    "-lead", "plan_indicator__plan__order", "plan_indicator__order"
                ),
            ),
        ),
        slug=slug,
    )
    sign_ups = list(partner.sign_ups.all())
    statuses = judge_indicators(
        list({s.plan_indicator.indicator_id: s.plan_indicator.indicator for s in sign_ups}.values()), history=LATEST
    )
    rows = [(sign_up, statuses[sign_up.plan_indicator.indicator_id]) for sign_up in sign_ups]
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "glossary_term": GlossaryTerm.objects.filter(term=partner.abbreviation).first()
            if partner.abbreviation
            else None,
            "rows": rows,
            "leads_rollup": rollup([status.rag for sign_up, status in rows if sign_up.lead]),
            "signed_rollup": rollup([status.rag for _s, status in rows]),
            "demonstration": _demo(statuses.values()),
        },
    )


def scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone. Every indicator of a plan in one table: baseline, latest figure, target, status."""
    plan = get_object_or_404(Plan, slug=slug)
    domains = list(plan.scorecard_domains.all())
    links = list(
        PlanIndicator.objects.filter(plan=plan)
        .select_related("indicator", "priority", "org_unit")
        .prefetch_related(Prefetch("sign_ups", queryset=SignUp.objects.filter(lead=True)))
        .order_by("order")
    )
    if not links:
        raise Http404("This plan has no scorecard of indicators")
    indicators = list({link.indicator_id: link.indicator for link in links}.values())
    statuses = judge_indicators(indicators, history=DIRECTION)
    baselines = {b.indicator_id: b for b in plan.baselines.filter(breakdown__isnull=True).select_related("period")}
    # Measures under the plan's scorecard domains (every domain, in printed order, even one the plan lists
    # no measures for), else under their priority or organisation unit.
    groups = {domain.name: ScorecardGroup(domain.name, domain.description, domain.anchor) for domain in domains}
    for link in links:
        title = link.scorecard_domain or (
            link.priority.title if link.priority else (link.org_unit.name if link.org_unit else "Other measures")
        )
        group = groups.setdefault(title, ScorecardGroup(title))
        group.rows.append((link, statuses[link.indicator_id], baselines.get(link.indicator_id)))
    return render(
        request,
        "plans/scorecard.html",
        {"plan": plan, "groups": list(groups.values()), "demonstration": _demo(statuses.values())},
    )


@dataclass
class ScorecardGroup:
    title: str
    description: str = ""
    anchor: str = ""
    rows: list = field(default_factory=list)


def risk_register(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone. A plan's risks by residual score, with initial and residual heat maps side by side;
    a cell's count lists its risks (?stage=...&score=... or &likelihood=...&impact=...)."""
    plan = get_object_or_404(Plan, slug=slug)
    risks = list(plan.risks.select_related("outcome__priority__plan").by_residual_score())
    if not risks:
        raise Http404("This plan has no risks recorded")
    register = build_register(risks, request.GET)
    return render(
        request,
        "plans/risk_register.html",
        {
            "plan": plan,
            "register": register,
            "rows": [
                (
                    risk,
                    risk_band(risk.initial_score, scale=register.scale),
                    risk_band(risk.residual_score, scale=register.scale),
                )
                for risk in register.shown
            ],
        },
    )


def assessment(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone. The corporate assessment behind a plan: theme scores and the rule for the overall."""
    plan = get_object_or_404(Plan, slug=slug)
    assessments = list(plan.assessments.prefetch_related("themes", "findings"))
    if not assessments:
        raise Http404("No assessment belongs to this plan")
    return render(request, "plans/assessment.html", {"plan": plan, "assessments": assessments})


def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    """Who: anyone. A plan's outcome timeline, year by year."""
    plan = get_object_or_404(Plan, slug=slug)
    milestones = list(Milestone.objects.filter(plan=plan).order_by("period_label", "order"))
    if not milestones:
        raise Http404("This plan has no timeline")
    years = defaultdict(list)
    for milestone in milestones:
        years[milestone.period_label].append(milestone)
    return render(request, "plans/timeline.html", {"plan": plan, "years": list(years.items())})


@functools.cache
def _methodology_html() -> str:
    text = (settings.BASE_DIR / "docs" / "status-rules.md").read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables"])
    for tag, css in GOVUK_CLASSES.items():
        html = html.replace(f"<{tag}>", f'<{tag} class="{css}">')
    return html


GOVUK_CLASSES = {
    "h1": "govuk-heading-xl",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "table": "govuk-table",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "tr": "govuk-table__row",
    "code": "luton-code",
}


def methodology(request: HttpRequest) -> HttpResponse:
    """Who: anyone. How statuses are decided: docs/status-rules.md, as written for the public."""
    # docs/status-rules.md is this repository's own file, rendered by Markdown: no visitor's text is in it.
    body = mark_safe(_methodology_html())  # noqa: S308  # nosec
    return render(request, "portal/methodology.html", {"body": body})


def landing(request: HttpRequest) -> HttpResponse:
    """Who: anyone (it only redirects). Where signing in leads when no page was asked for: each role's
    own starting page. Administrators: the admin; the performance team: the sign-off queue; officers:
    My returns; partner users: their organisation's targets; members: the dashboard; others: home."""
    user = request.user
    if not user.is_authenticated:
        return redirect("home")
    if user.is_staff and permissions.has_role(user, Role.ADMINISTRATOR):
        return redirect("admin:index")
    if permissions.is_performance_team(user):
        return redirect("returns:sign-off")
    if permissions.is_officer(user):
        return redirect("returns:my-returns")
    if permissions.partner_of(user) is not None:
        return redirect("partners:partner-dashboard")
    if permissions.can_read_internal(user):
        return redirect("dashboard")
    return redirect("home")


def _demo(statuses) -> bool:
    return any(status.is_demonstration for status in statuses)
