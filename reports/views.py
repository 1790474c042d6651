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

from core.as_at import BadMoment
from core.roles import is_performance_team
from indicators.models import PeriodKind, ReportingPeriod, Return
from partners.models import Partner
from plans.models import OrgUnit, Plan, PlanKind
from reports import background
from reports.as_at import moments_query
from reports.audiences import PRESETS, Audience
from reports.charts import summary_chart
from reports.choices import BadChoice, PackChoice, choose, query_params
from reports.files import FORMATS, filename
from reports.issuing import issued_packs
from reports.packs import Pack


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
    The packs there are: each plan's for the latest quarter with approved figures, a form to choose a
    plan and quarter, and the packs issued to meetings. Choosing redirects to the pack; a choice that names
    nothing known says so."""
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
            "issued": issued_packs(),
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


def _choice(request: HttpRequest, plan: str, period: str) -> PackChoice | HttpResponse:
    """What the URL asks for (reports/choices.py), if the person may see it; else the response that says why."""
    try:
        choice = choose(plan, period, request.GET)
    except (BadChoice, BadMoment) as error:
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


def _query(pack: Pack, *, fixed: bool = False) -> str:
    """The query string that names the pack's audience, scope, figures and moments, for its downloads;
    `fixed`: as at the pack's own moment, for a link that gives the same figures later."""
    query = {**query_params(pack), **moments_query(pack, fixed=fixed)}
    return "?" + urlencode(query) if query else ""


def pack_page(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: anyone for approved figures; the performance team with ?figures=submitted. The pack as a web
    page, printable on A4 (its print stylesheet), with its downloads beside it."""
    choice = _choice(request, plan, period)
    if isinstance(choice, HttpResponse):
        return choice
    pack = choice.build()
    context = _page_context(pack, background.runs_in_background(choice, "pdf"))
    return render(request, "reports/pack.html", {"pack": pack, "chart": summary_chart(pack), **context})


def _page_context(pack: Pack, background: bool) -> dict:
    """The pack's downloads: (words, address, drawn in the background). A file drawn in the background opens
    its progress page, so its link is not a download."""
    query = _query(pack)
    kwargs = {"plan": pack.plan.slug, "period": pack.year.slug if pack.year_end else pack.quarter.slug}
    return {
        "as_at_url": reverse("reports:pack", kwargs=kwargs) + _query(pack, fixed=True),
        "downloads": [
            ("PDF", reverse("reports:pack-pdf", kwargs=kwargs) + query, background),
            ("Spreadsheet (XLSX)", reverse("reports:pack-xlsx", kwargs=kwargs) + query, False),
            ("Full table (CSV)", reverse("reports:pack-csv", kwargs=kwargs) + query, False),
        ],
    }


def _file(request: HttpRequest, plan: str, period: str, extension: str) -> HttpResponse:
    """The pack's file drawn now, or, when it takes too long for a request (reports/background.py), the
    progress page of the task drawing it."""
    choice = _choice(request, plan, period)
    if isinstance(choice, HttpResponse):
        return choice
    base_url = request.build_absolute_uri("/")
    if background.runs_in_background(choice, extension):
        return redirect("reports:file", task=background.asked_for(choice, extension, base_url=base_url))
    pack = choice.build()
    drawn = FORMATS[extension]
    response = HttpResponse(drawn.draw(pack, base_url), content_type=drawn.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(pack, extension)}"'
    return response


def pack_csv(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: as the pack's page. The full table as CSV."""
    return _file(request, plan, period, "csv")


def pack_xlsx(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: as the pack's page. The pack as a workbook, a sheet per section."""
    return _file(request, plan, period, "xlsx")


def pack_pdf(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: as the pack's page. The pack as a tagged, accessible PDF (PDF/UA), drawn from the page's HTML; a
    large plan's in the background, with a page that follows its progress."""
    return _file(request, plan, period, "pdf")
