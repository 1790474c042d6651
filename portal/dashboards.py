"""Signed-in dashboards: members (and council staff) across the council, partners over their own targets."""

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from core.access import allowed
from core.numbers import format_figure
from indicators import charts
from indicators.models import PUBLISHED, Indicator, PeriodKind, ReportingPeriod, Return
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
    sort_name: tuple  # its code (or title) in natural order: NI 16 before NI 156
    rag: Rag
    direction: Direction
    demonstration: bool
    latest_start: dt.date | None  # the start of the period its figure is for
    priority_ids: tuple[int, ...]  # every priority it serves (through plan and outcome links), first first
    unit_ids: tuple[int, ...]  # every organisation unit it belongs to, and their directorates

    @property
    def worsening(self) -> bool:
        return self.direction == Direction.WORSENING


@dataclass
class Row:
    judged: Judged
    priority: Priority | None
    unit: OrgUnit | None  # the unit the documents name first (its department or service)
    late: bool
    # Read only for the rows on the page shown: the indicator, its status with two years' trend, and
    # the council's approved commentary on the figure shown.
    indicator: Indicator | None = None
    status: IndicatorStatus | None = None
    commentary: str = ""

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


DIRECTION_ORDER = {Direction.WORSENING: 0, Direction.NO_CHANGE: 1, Direction.IMPROVING: 2, Direction.NOT_COMPARABLE: 3}

# The columns a member may sort by (?sort=name, or ?sort=-name for the other way), with their keys.
SORTS = {
    "indicator": lambda row: row.judged.sort_name,
    "priority": lambda row: (
        (row.priority.plan.order, row.priority.order) if row.priority else (10**6, 0),
        row.judged.sort_name,
    ),
    "period": lambda row: (-(row.judged.latest_start or dt.date.min).toordinal(), row.judged.sort_name),
    "status": lambda row: (SEVERITY[row.judged.rag], row.judged.sort_name),
    "direction": lambda row: (DIRECTION_ORDER[row.judged.direction], row.judged.sort_name),
}
SORT_LABELS = {
    "indicator": "Indicator",
    "priority": "Where",
    "period": "Period",
    "status": "Status",
    "direction": "Direction",
}


def natural(text: str) -> tuple:
    """A sort key in which numbers count as numbers: "NI 16" < "NI 156", "LBC 2" < "LBC 10"."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


@allowed(permissions.can_read_internal)
def members_dashboard(request: HttpRequest) -> HttpResponse:
    """Who: members, officers, the performance team and administrators. Approved figures for a chosen
    quarter by priority and by department or directorate, exceptions first (or sorted by a column),
    with filters, the council's commentary and drill-down.

    What it shows is the same for every reader and depends only on what is published, the filters, the
    date and which returns are late (which drafts do not move): it is rendered once per combination and
    kept in the page cache; a request finds it with a handful of queries (docs/decisions/0003)."""
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
    round_ = ReportingRound.objects.filter(period=quarter).select_related("period__parent").first() if quarter else None
    late = queries.late_indicator_ids(round_, timezone.localdate()) if round_ else set()
    version = data_version()
    key = f"dashboard:{_fragment_key(version, request, late)}"
    shown = caches["pages"].get(key)
    if shown is None:
        context = _dashboard(request, quarters, quarter, late, version)
        shown = (render_to_string("portal/dashboard_body.html", context, request), context["demonstration"])
        caches["pages"].set(key, shown, timeout=CACHE_SECONDS)
    body, demonstration = shown
    return render(
        request,
        "portal/dashboard.html",
        {"body": body, "demonstration": demonstration, "quarter_label": quarter.label if quarter else ""},
    )


def _dashboard(request: HttpRequest, quarters: list, quarter: ReportingPeriod | None, late: set[int], version: str):
    """What the dashboard's body shows (see members_dashboard)."""
    plans = list(Plan.objects.order_by("order"))
    plan = next((p for p in plans if p.slug == request.GET.get("plan")), None)
    judged = _judged(plan, quarter, version, plans)
    plans_by_id = {p.pk: p for p in plans}
    priority_by_id = Priority.objects.in_bulk({i for j in judged for i in j.priority_ids})
    for priority in priority_by_id.values():
        priority.plan = plans_by_id[priority.plan_id]
    unit_by_id = OrgUnit.objects.in_bulk({i for j in judged for i in j.unit_ids})
    rows = [
        Row(
            judged=j,
            priority=priority_by_id.get(j.priority_ids[0]) if j.priority_ids else None,
            unit=unit_by_id.get(j.unit_ids[0]) if j.unit_ids else None,
            late=j.indicator_id in late,
        )
        for j in judged
    ]
    by_priority = defaultdict(list)
    by_unit = defaultdict(list)
    for row in rows:
        for priority_id in row.judged.priority_ids:
            by_priority[priority_id].append(row.judged.rag)
        for unit_id in row.judged.unit_ids:
            by_unit[unit_id].append(row.judged.rag)

    filters = {key: request.GET.get(key, "") for key in ("priority", "unit", "status")}
    shown = [
        row
        for row in rows
        if (not filters["priority"] or filters["priority"] in map(str, row.judged.priority_ids))
        and (not filters["unit"] or filters["unit"] in map(str, row.judged.unit_ids))
        and (not filters["status"] or row.judged.rag.value == filters["status"])
    ]
    sort = request.GET.get("sort", "")
    column = sort.lstrip("-")
    if column in SORTS:
        shown.sort(key=SORTS[column], reverse=sort.startswith("-"))
    else:
        # Exceptions first; then the rest by status, so that indicators with figures come before those without.
        sort = ""
        shown.sort(key=lambda row: (row.exception, SEVERITY[row.judged.rag], row.judged.sort_name))
    paginator = Paginator(shown, ROWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # Sparklines need two years of figures: fetch them only for the rows on this page.
    on_page = Indicator.objects.only(*JUDGED_FIELDS).in_bulk([row.judged.indicator_id for row in page])
    trends = judge_indicators_cached(on_page, as_of=quarter, history=TREND, version=version)
    commentary = _commentary({pk: status.latest_period for pk, status in trends.items()})
    for row in page:
        row.indicator = on_page[row.judged.indicator_id]
        row.status = trends[row.judged.indicator_id]
        row.commentary = commentary.get(row.judged.indicator_id, "")
    priorities = sorted((priority_by_id[pk] for pk in by_priority), key=lambda p: (p.plan.order, p.order))
    units = _units_in_order(unit_by_id, by_unit)
    return {
        "quarters": quarters,
        "quarter": quarter,
        "plans": plans,
        "plan": plan,
        "priorities": priorities,
        "units": units,
        "filters": filters,
        "status_filters": STATUS_FILTERS,
        "priority_rollups": [(p, rollup(by_priority[p.pk])) for p in priorities],
        "unit_rollups": [(u, depth, rollup(by_unit[u.pk])) for u, depth in units],
        "rows": page,
        "page": page,
        "shown": len(shown),
        "query": _query_without(request, "page"),
        "sort": sort,
        "sort_label": SORT_LABELS.get(sort.lstrip("-"), "").lower(),
        "sort_links": _sort_links(request, sort),
        "exceptions": sum(1 for row in shown if row.exception < 3),
        "actions": _action_summary(plan),
        # The sparklines reach further back than the judged rows' direction of travel.
        "demonstration": any(j.demonstration for j in judged) or any(s.is_demonstration for s in trends.values()),
        "worsening": Direction.WORSENING,
    }


def _fragment_key(version: str, request: HttpRequest, late: set[int]) -> str:
    """What the dashboard's tables are rendered from, besides the request's path: the publication version,
    the filters, sort and page, today's date, and which returns are late (which drafts do not move)."""
    parts = f"{version}|{timezone.localdate()}|{sorted(request.GET.lists())}|{sorted(late)}"
    return hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()


def _judged(plan: Plan | None, quarter: ReportingPeriod | None, version: str, plans: list[Plan]) -> list[Judged]:
    """Every indicator along the thread (or one plan's), judged at the quarter, with every priority it
    serves and every organisation unit it belongs to. Cached under the data's version, so never stale.

    Priorities come from plan links (the LAA's themes, the 2024 service plans) and from outcome links
    (the 2008-14 plan's outcomes sit under its priorities). Organisation units come from the documents
    first (the 2011-14 departmental plans' key performance measures, the 2024 services' measures), then
    from the indicator's assigned department; each unit's directorate (its parent) counts it too.
    """
    key = f"dashboard-judged:{version}:{plan.pk if plan else ''}:{quarter.pk if quarter else ''}"
    judged = cache.get(key)
    if judged is not None:
        return judged
    thread = thread_for([plan.pk] if plan else None, as_of=quarter, history=DIRECTION, version=version)
    # Each indicator's places in plan order (the thread read them already), first place first.
    plan_order = {p.pk: p.order for p in plans}
    ordered = sorted(thread.places, key=lambda place: (plan_order.get(place[1], 0), place[2]))
    priority_ids: dict[int, list[int]] = defaultdict(list)
    unit_ids: dict[int, list[int]] = defaultdict(list)
    for indicator_id, _plan, _order, priority_id, unit_id in ordered:
        if priority_id and priority_id not in priority_ids[indicator_id]:
            priority_ids[indicator_id].append(priority_id)
        if unit_id and unit_id not in unit_ids[indicator_id]:
            unit_ids[indicator_id].append(unit_id)
    facts = {
        pk: (slug, code, title, department_id)
        for pk, slug, code, title, department_id in Indicator.objects.filter(pk__in=list(thread.statuses)).values_list(
            "pk", "slug", "code", "title", "department_id"
        )
    }
    parent_of = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    judged = []
    for indicator_id, status in thread.statuses.items():
        slug, code, title, department_id = facts[indicator_id]
        units = unit_ids[indicator_id] + ([department_id] if department_id else [])
        # A unit's directorate counts its indicators too.
        with_parents = [*units, *(parent_of[u] for u in units if parent_of.get(u))]
        latest = status.latest_period
        judged.append(
            Judged(
                indicator_id=indicator_id,
                slug=slug,
                sort_name=natural(code or title),
                rag=status.rag,
                direction=status.since_last,
                demonstration=status.is_demonstration,
                latest_start=latest.start if latest else None,
                priority_ids=tuple(priority_ids[indicator_id]),
                unit_ids=tuple(dict.fromkeys(with_parents)),
            )
        )
    cache.set(key, judged, timeout=CACHE_SECONDS)
    return judged


def _units_in_order(unit_by_id: dict[int, OrgUnit], counted: dict) -> list[tuple[OrgUnit, int]]:
    """The units with indicators, each directorate followed by its departments or services (depth 1)."""
    units = [u for u in unit_by_id.values() if u.pk in counted]
    top = sorted((u for u in units if u.parent_id not in counted), key=lambda u: (u.defined_by_id or 0, u.order))
    ordered = []
    for unit in top:
        ordered.append((unit, 0))
        children = sorted((u for u in units if u.parent_id == unit.pk), key=lambda u: u.order)
        ordered.extend((child, 1) for child in children)
    return ordered


def _commentary(periods: dict[int, ReportingPeriod | None]) -> dict[int, str]:
    """The approved commentary on the figure each indicator shows: one query for the page's rows, with
    one condition per period shown (usually one or two), not one per row."""
    by_period: dict[int, list[int]] = defaultdict(list)
    for indicator_id, period in periods.items():
        if period is not None:
            by_period[period.pk].append(indicator_id)
    if not by_period:
        return {}
    wanted = Q()
    for period_id, indicator_ids in by_period.items():
        wanted |= Q(period_id=period_id, indicator_id__in=indicator_ids)
    found = Return.objects.published().filter(wanted).exclude(commentary="")
    return dict(found.values_list("indicator_id", "commentary"))


def _query_without(request: HttpRequest, *keys: str) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


def _sort_links(request: HttpRequest, sort: str) -> dict[str, dict]:
    """Each sortable column's link (sorting by it; again, the other way) and its aria-sort."""
    base = _query_without(request, "page", "sort")
    links = {}
    for column, label in SORT_LABELS.items():
        current = sort.lstrip("-") == column
        descending = sort.startswith("-")
        next_sort = (column if descending else f"-{column}") if current else column
        links[column] = {
            "label": label,
            "href": "?" + (f"{base}&" if base else "") + f"sort={next_sort}",
            "aria_sort": ("descending" if descending else "ascending") if current else "",
        }
    return links


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
