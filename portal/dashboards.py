"""Signed-in dashboards: members (and council staff) across the council, partners over their own targets."""

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.access import allowed
from core.numbers import format_figure
from indicators.models import PUBLISHED, Indicator, PeriodKind, PlanIndicator, ReportingPeriod, Return
from indicators.performance import (
    CACHE_SECONDS,
    DIRECTION,
    JUDGED_FIELDS,
    LATEST,
    TREND,
    IndicatorStatus,
    data_version,
    judge_indicators,
    judge_indicators_cached,
)
from indicators.status import SEVERITY, Direction, Rag, rollup
from partners.models import SignUp
from plans.models import Action, ActionStatus, OrgUnit, Plan, Priority
from portal import charts
from portal.queries import thread_for
from returns import permissions, queries
from returns.models import ReportingRound

ROWS_PER_PAGE = 50

STATUS_FILTERS = {
    "red": "Off track",
    "amber": "Close to target",
    "green": "On track",
    "no_data": "No data",
    "no_target": "No numeric target",
}


class Judged(NamedTuple):
    """What the dashboard needs of every indicator to filter, count and order them; remembered until the
    data change, since it means judging hundreds of indicators with their direction of travel."""

    indicator_id: int
    slug: str
    rag: Rag
    worsening: bool
    demonstration: bool
    plan_id: int | None
    priority_id: int | None
    directorate_id: int | None


@dataclass
class Row:
    judged: Judged
    plan: Plan | None
    priority: Priority | None
    directorate: OrgUnit | None
    late: bool
    # Read only for the rows on the page shown: the indicator, and its status with two years' trend.
    indicator: Indicator | None = None
    status: IndicatorStatus | None = None

    @property
    def exception(self) -> int:
        """Sort key: red first, then worsening, then late returns, then the rest."""
        if self.judged.rag == Rag.RED:
            return 0
        if self.judged.worsening:
            return 1
        if self.late:
            return 2
        return 3

    @property
    def sparkline(self):
        trend = self.status.main.trend
        if len(trend) < 2:
            return ""
        unit = self.indicator.unit
        words = ", ".join(f"{p.period.label} {format_figure(p.value, unit)}" for p in trend if p.value is not None)
        return charts.sparkline([p.value for p in trend], label=f"Trend: {words}")


@allowed(permissions.can_read_internal)
def members_dashboard(request: HttpRequest) -> HttpResponse:
    """Who: members, officers, the performance team and administrators. Approved figures for a chosen
    quarter by priority and directorate, exceptions first, with filters and drill-down."""
    # The quarters with approved figures: an index lookup per quarter, not a scan of every return.
    approved = Return.objects.published().filter(period=OuterRef("pk"))
    quarters = list(
        ReportingPeriod.objects.filter(Exists(approved), kind=PeriodKind.QUARTER)
        .select_related("parent")
        .order_by("-start")
    )
    # By default each indicator's latest published figure; at a chosen quarter, that quarter's.
    chosen_slug = request.GET.get("quarter", "")
    quarter = next((q for q in quarters if q.slug == chosen_slug), None)
    plans = list(Plan.objects.order_by("order"))
    plan = next((p for p in plans if p.slug == request.GET.get("plan")), None)
    version = data_version()
    judged = _judged(plan, quarter, version)
    plans_by_id = {p.pk: p for p in plans}
    priority_by_id = Priority.objects.in_bulk({j.priority_id for j in judged if j.priority_id})
    directorate_by_id = OrgUnit.objects.in_bulk({j.directorate_id for j in judged if j.directorate_id})
    round_ = ReportingRound.objects.filter(period=quarter).first() if quarter else None
    late = queries.late_indicator_ids(round_, timezone.localdate()) if round_ else set()
    rows = [
        Row(
            judged=j,
            plan=plans_by_id.get(j.plan_id),
            priority=priority_by_id.get(j.priority_id),
            directorate=directorate_by_id.get(j.directorate_id),
            late=j.indicator_id in late,
        )
        for j in judged
    ]
    by_priority = defaultdict(list)
    by_directorate = defaultdict(list)
    for row in rows:
        if row.priority:
            by_priority[(row.plan.title, row.priority.title, row.priority.pk)].append(row.judged.rag)
        if row.directorate:
            by_directorate[(row.directorate.name, row.directorate.pk)].append(row.judged.rag)

    filters = {key: request.GET.get(key, "") for key in ("priority", "directorate", "status")}
    shown = [
        row
        for row in rows
        if (not filters["priority"] or (row.priority and str(row.priority.pk) == filters["priority"]))
        and (not filters["directorate"] or (row.directorate and str(row.directorate.pk) == filters["directorate"]))
        and (not filters["status"] or row.judged.rag.value == filters["status"])
    ]
    # Exceptions first; then the rest by status, so that indicators with figures come before those without.
    shown.sort(key=lambda row: (row.exception, SEVERITY[row.judged.rag], row.judged.slug))
    paginator = Paginator(shown, ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # Sparklines need two years of figures: fetch them only for the rows on this page.
    on_page = Indicator.objects.only(*JUDGED_FIELDS).in_bulk([row.judged.indicator_id for row in page])
    trends = judge_indicators_cached(on_page, as_of=quarter, history=TREND, version=version)
    for row in page:
        row.indicator = on_page[row.judged.indicator_id]
        row.status = trends[row.judged.indicator_id]
    priorities = (
        Priority.objects.filter(pk__in=[key[2] for key in by_priority])
        .select_related("plan")
        .order_by("plan__order", "order")
    )
    directorates = sorted({(name, pk) for name, pk in by_directorate})
    return render(
        request,
        "portal/dashboard.html",
        {
            "quarters": quarters,
            "quarter": quarter,
            "plans": plans,
            "plan": plan,
            "priorities": priorities,
            "directorates": directorates,
            "filters": filters,
            "status_filters": STATUS_FILTERS,
            "priority_rollups": [(key, rollup(rags)) for key, rags in sorted(by_priority.items())],
            "directorate_rollups": [(key, rollup(rags)) for key, rags in sorted(by_directorate.items())],
            "rows": page,
            "page": page,
            "shown": len(shown),
            "query": _query_without_page(request),
            "exceptions": sum(1 for row in shown if row.exception < 3),
            "actions": _action_summary(plan),
            # The sparklines reach further back than the judged rows' direction of travel.
            "demonstration": any(j.demonstration for j in judged) or any(s.is_demonstration for s in trends.values()),
            "worsening": Direction.WORSENING,
        },
    )


def _judged(plan: Plan | None, quarter: ReportingPeriod | None, version: str) -> list[Judged]:
    """Every indicator along the thread (or one plan's), judged at the quarter, with its first place in
    the thread and its directorate. Cached under the data's version, so never stale."""
    key = f"dashboard-judged:{version}:{plan.pk if plan else ''}:{quarter.pk if quarter else ''}"
    judged = cache.get(key)
    if judged is not None:
        return judged
    thread = thread_for([plan.pk] if plan else None, as_of=quarter, history=DIRECTION, version=version)
    # Each indicator's first place in the thread.
    links = PlanIndicator.objects.values_list("indicator_id", "plan_id", "priority_id")
    if plan:
        links = links.filter(plan=plan)
    first_link: dict[int, tuple[int, int | None]] = {}
    for indicator_id, plan_id, priority_id in links.order_by("plan__order", "order"):
        first_link.setdefault(indicator_id, (plan_id, priority_id))
    facts = dict(
        (pk, (slug, department_id))
        for pk, slug, department_id in Indicator.objects.filter(pk__in=list(thread.statuses)).values_list(
            "pk", "slug", "department_id"
        )
    )
    # A department's directorate is its parent; a unit without one is its own.
    parent_of = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    judged = []
    for indicator_id, status in thread.statuses.items():
        plan_id, priority_id = first_link.get(indicator_id, (None, None))
        slug, department_id = facts[indicator_id]
        judged.append(
            Judged(
                indicator_id=indicator_id,
                slug=slug,
                rag=status.rag,
                worsening=status.worsening,
                demonstration=status.is_demonstration,
                plan_id=plan_id,
                priority_id=priority_id,
                directorate_id=(parent_of.get(department_id) or department_id) if department_id else None,
            )
        )
    cache.set(key, judged, timeout=CACHE_SECONDS)
    return judged


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _action_summary(plan: Plan | None):
    actions = Action.objects.all() if plan is None else Action.objects.filter(plan=plan)
    counts = dict(actions.values_list("status").annotate(count=Count("pk")).values_list("status", "count"))
    concerns = list(
        actions.filter(status__in=[ActionStatus.OFF_TRACK, ActionStatus.AT_RISK]).select_related(
            "plan", "outcome__priority"
        )[:50]
    )
    return {
        "counts": [(label, counts.get(value, 0), value) for value, label in ActionStatus.choices],
        "concerns": concerns,
    }


@allowed(lambda user: permissions.partner_of(user) is not None)
def partner_dashboard(request: HttpRequest) -> HttpResponse:
    """Who: partner users. Their organisation's targets with status, including its own returns not yet approved."""
    partner = permissions.partner_of(request.user)
    sign_ups = list(
        SignUp.objects.filter(partner=partner)
        .select_related("plan_indicator__indicator", "plan_indicator__plan")
        .order_by("-lead", "plan_indicator__order")
    )
    lead_ids = {s.plan_indicator.indicator_id for s in sign_ups if s.lead}
    # Its own unapproved returns exist only where the partner enters them.
    own_ids = lead_ids if partner.may_enter_returns else set()
    indicators = list({s.plan_indicator.indicator_id: s.plan_indicator.indicator for s in sign_ups}.values())
    statuses = judge_indicators(indicators, include_unapproved_for=own_ids, history=LATEST)
    pending = list(
        Return.objects.filter(indicator_id__in=own_ids)
        .exclude(PUBLISHED)
        .select_related("indicator", "period")
        .prefetch_related(Prefetch("values"))
        .order_by("-period__start")
    )
    return render(
        request,
        "partners/partner_dashboard.html",
        {
            "partner": partner,
            "rows": [(s, statuses[s.plan_indicator.indicator_id]) for s in sign_ups],
            "pending": pending,
            "rollup": rollup([statuses[i].rag for i in lead_ids]),
            "demonstration": any(status.is_demonstration for status in statuses.values()),
        },
    )
