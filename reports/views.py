"""Report packs on the web: the list, and each pack as a page, CSV, XLSX and PDF, all from one builder.

Packs of approved figures are public, like every other page of approved figures. A pack with the figures
still awaiting sign-off (`?figures=submitted`) is for the performance team only.
"""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from core.roles import is_performance_team
from indicators import charts
from indicators.charts.rollups import ROLLUP_KEY, rollup_chart
from indicators.models import PeriodKind, ReportingPeriod, Return
from partners.models import Partner
from plans.models import OrgUnit, Plan, PlanKind
from reports import formats, pdf
from reports.audiences import PRESETS, Audience
from reports.choices import BadChoice, PackChoice, choose, query_params
from reports.packs import Pack
from reports.tables import full_table


def _published_quarters() -> list[ReportingPeriod]:
    """The quarters with approved figures, newest first (an index lookup per quarter)."""
    approved = Return.objects.published().filter(period=OuterRef("pk"))
    return list(
        ReportingPeriod.objects.filter(Exists(approved), kind=PeriodKind.QUARTER)
        .select_related("parent")
        .order_by("-start")
    )


def pack_list(request: HttpRequest) -> HttpResponse:
    """Who: anyone; the performance team also sees the choice of packs with figures awaiting sign-off.
    The packs there are: each plan's for the latest quarter with approved figures, and a form to choose a
    plan and quarter. Choosing redirects to the pack; a choice that names nothing known says so."""
    plans = list(Plan.objects.order_by("order", "start"))
    quarters = _published_quarters()
    years = list(dict.fromkeys(q.parent for q in quarters))  # their year ends
    partners = list(Partner.objects.filter(sign_ups__isnull=False).distinct().order_by("name").only("slug", "name"))
    units = list(OrgUnit.objects.select_related("defined_by").only("slug", "name", "defined_by__title"))
    staff = is_performance_team(request.user)
    errors = {}
    if "plan" in request.GET or "quarter" in request.GET:
        plan = next((p for p in plans if p.slug == request.GET.get("plan")), None)
        quarter = next((q for q in [*quarters, *years] if q.slug == request.GET.get("quarter")), None)
        if plan is None:
            errors["plan"] = "Choose a plan from the list"
        if quarter is None:
            errors["quarter"] = "Choose a quarter from the list"
        audience = request.GET.get("audience", Audience.EVERYONE)
        if audience not in Audience:
            errors["audience"] = "Choose who the pack is for from the list"
        scope = {name: request.GET.get(name, "") for name in ("partner", "department")}
        if scope["partner"] and scope["partner"] not in {p.slug for p in partners}:
            errors["partner"] = "Choose a partner from the list"
        if scope["department"] and scope["department"] not in {u.slug for u in units}:
            errors["department"] = "Choose a department or directorate from the list"
        if scope["partner"] and scope["department"] and not errors:
            errors["partner"] = "Choose a partner or a department, not both"
        if not errors:
            url = reverse("reports:pack", kwargs={"plan": plan.slug, "period": quarter.slug})
            query = {"audience": audience} if audience != Audience.EVERYONE else {}
            query.update({name: slug for name, slug in scope.items() if slug})
            if staff and request.GET.get("figures") == "submitted":
                query["figures"] = "submitted"
            return redirect(url + ("?" + urlencode(query) if query else ""))
    return render(
        request,
        "reports/pack_list.html",
        {
            "plans": plans,
            "quarters": quarters,
            "years": years,
            "partners": partners,
            "units": units,
            "latest": quarters[0] if quarters else None,
            "staff": staff,
            "errors": errors,
            "chosen": request.GET,
            "audiences": [(audience.value, preset.label) for audience, preset in PRESETS.items()],
            "committees": _committee_packs(plans, quarters[0]) if quarters else [],
        },
        status=400 if errors else 200,
    )


def _committee_packs(plans: list[Plan], quarter: ReportingPeriod) -> list[tuple[str, Plan, str]]:
    """The packs each committee receives for `quarter`: the Executive and Overview and Scrutiny the
    corporate plan in force (else the latest), the Luton Forum the Local Area Agreement."""

    def in_force(kind: str) -> Plan | None:
        of_kind = [p for p in plans if p.kind == kind]
        current = [p for p in of_kind if p.start <= quarter.start <= p.end]
        return (current or sorted(of_kind, key=lambda p: p.start)[-1:] or [None])[0]

    corporate, laa = in_force(PlanKind.CORPORATE_PLAN), in_force(PlanKind.LOCAL_AREA_AGREEMENT)
    packs = []
    for audience, plan in ((Audience.EXECUTIVE, corporate), (Audience.SCRUTINY, corporate), (Audience.FORUM, laa)):
        if plan is not None:
            packs.append((PRESETS[audience].label, plan, audience.value))
    return packs


def _pack(request: HttpRequest, plan: str, period: str) -> Pack | HttpResponse:
    """The pack a URL names, if the person may see it; else the response that says why not."""
    choice = _choice(request, plan, period)
    return choice if isinstance(choice, HttpResponse) else choice.build()


def _choice(request: HttpRequest, plan: str, period: str) -> PackChoice | HttpResponse:
    """What the URL asks for (reports/choices.py), if the person may see it; else the response that says why."""
    try:
        choice = choose(plan, period, request.GET)
    except BadChoice as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    return refusal(request, choice) or choice


def refusal(request: HttpRequest, choice: PackChoice) -> HttpResponse | None:
    """Who may see a pack (and a file drawn from it): anyone for approved figures; the performance team alone
    for one with figures awaiting sign-off. None when the person may; else the answer that says why not."""
    if choice.staff_only:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_performance_team(request.user):
            raise PermissionDenied
    return None


def _filename(pack: Pack, extension: str) -> str:
    audience = "" if pack.audience == Audience.EVERYONE else f"-{pack.audience}"
    scope = f"-{pack.partner.slug}" if pack.partner else f"-{pack.department.slug}" if pack.department else ""
    period = pack.year.slug + "-year-end" if pack.year_end else pack.quarter.slug
    draft = "" if pack.published_only else "-not-yet-approved"
    return f"{pack.plan.slug}-{period}{audience}{scope}{draft}.{extension}"


def _query(pack: Pack) -> str:
    """The query string that names the pack's audience, scope and figures, for its downloads."""
    query = query_params(pack)
    return "?" + urlencode(query) if query else ""


def pack_page(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: anyone for approved figures; the performance team with ?figures=submitted. The pack as a web
    page, printable on A4 (its print stylesheet), with its downloads beside it."""
    pack = _pack(request, plan, period)
    if isinstance(pack, HttpResponse):
        return pack
    return render(request, "reports/pack.html", {"pack": pack, "chart": summary_chart(pack), **_page_context(pack)})


def summary_chart(pack: Pack) -> dict:
    """The summary's chart of statuses by priority, drawn wide (a page, A4) and narrow (a phone)."""
    rows = [(group.title, group.rollup) for group in pack.groups]
    description = "; ".join(
        f"{title}: {r.green} on track, {r.amber} close to target, {r.red} off track, "
        f"{r.not_judged} without a numeric target, {r.no_data} without data"
        for title, r in rows
    )
    title = f"{pack.plan.title}, {pack.quarter.label}: indicators by status"
    drawn = {
        width_name: rollup_chart(
            rows, title=title, description=description, chart_id=f"summary-{width_name}", width=width
        )
        for width_name, width in (("wide", charts.WIDE), ("narrow", charts.NARROW))
    }
    return {**drawn, "key": ROLLUP_KEY}


def _page_context(pack: Pack) -> dict:
    query = _query(pack)
    kwargs = {"plan": pack.plan.slug, "period": pack.year.slug if pack.year_end else pack.quarter.slug}
    return {
        "downloads": [
            ("PDF", reverse("reports:pack-pdf", kwargs=kwargs) + query),
            ("Spreadsheet (XLSX)", reverse("reports:pack-xlsx", kwargs=kwargs) + query),
            ("Full table (CSV)", reverse("reports:pack-csv", kwargs=kwargs) + query),
        ],
    }


def pack_csv(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: as the pack's page. The full table as CSV."""
    pack = _pack(request, plan, period)
    if isinstance(pack, HttpResponse):
        return pack
    response = HttpResponse(formats.csv_text(full_table(pack)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(pack, "csv")}"'
    return response


def pack_xlsx(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: as the pack's page. The pack as a workbook, a sheet per section."""
    pack = _pack(request, plan, period)
    if isinstance(pack, HttpResponse):
        return pack
    response = HttpResponse(
        formats.xlsx_bytes(pack), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(pack, "xlsx")}"'
    return response


def pack_pdf(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: as the pack's page. The pack as a tagged, accessible PDF (PDF/UA), drawn from the page's HTML."""
    pack = _pack(request, plan, period)
    if isinstance(pack, HttpResponse):
        return pack
    document = pdf.pdf_bytes(pack, chart=summary_chart(pack), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(pack, "pdf")}"'
    return response
