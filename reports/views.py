"""Report packs on the web: the list, and each pack as a page, CSV, XLSX and PDF, all from one builder.

Packs of approved figures are public, like every other page of approved figures. A pack with the figures
still awaiting sign-off (`?figures=submitted`) is for the performance team only.
"""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.as_at import BadMoment
from core.roles import is_performance_team
from indicators.models import PeriodKind, ReportingPeriod, Return
from plans.models import Plan, PlanKind
from reports import formats, pdf
from reports.as_at import moments, moments_query
from reports.audiences import PRESETS, Audience
from reports.charts import summary_chart
from reports.issuing import issued_packs
from reports.packs import Pack, build_pack
from reports.tables import full_table

FIGURES = {"approved": True, "submitted": False}  # ?figures= → published only


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
    staff = is_performance_team(request.user)
    errors = {}
    if "plan" in request.GET or "quarter" in request.GET:
        plan = next((p for p in plans if p.slug == request.GET.get("plan")), None)
        quarter = next((q for q in quarters if q.slug == request.GET.get("quarter")), None)
        if plan is None:
            errors["plan"] = "Choose a plan from the list"
        if quarter is None:
            errors["quarter"] = "Choose a quarter from the list"
        audience = request.GET.get("audience", Audience.EVERYONE)
        if audience not in Audience:
            errors["audience"] = "Choose who the pack is for from the list"
        if not errors:
            url = reverse("reports:pack", kwargs={"plan": plan.slug, "period": quarter.slug})
            query = {"audience": audience} if audience != Audience.EVERYONE else {}
            if staff and request.GET.get("figures") == "submitted":
                query["figures"] = "submitted"
            return redirect(url + ("?" + urlencode(query) if query else ""))
    return render(
        request,
        "reports/pack_list.html",
        {
            "plans": plans,
            "quarters": quarters,
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


def _pack(request: HttpRequest, plan: str, period: str) -> Pack | HttpResponse:
    """The pack a URL names, if the person may see it; else the response that says why not."""
    figures = request.GET.get("figures", "approved")
    if figures not in FIGURES:
        return HttpResponseBadRequest(
            f"figures={figures[:40]!r} is not a choice: use figures=approved (the default) or figures=submitted.",
            content_type="text/plain; charset=utf-8",
        )
    audience = request.GET.get("audience", Audience.EVERYONE)
    if audience not in Audience:
        return HttpResponseBadRequest(
            f"audience={audience[:40]!r} is not a choice: use " + ", ".join(f"audience={a}" for a in Audience) + ".",
            content_type="text/plain; charset=utf-8",
        )
    try:
        as_at, revised_since = moments(request)
    except BadMoment as bad:
        return HttpResponseBadRequest(str(bad), content_type="text/plain; charset=utf-8")
    published_only = FIGURES[figures]
    if not published_only:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_performance_team(request.user):
            raise PermissionDenied
    chosen_plan = get_object_or_404(Plan, slug=plan)
    quarter = next(
        (
            q
            for q in ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER).select_related("parent")
            if q.slug == period
        ),
        None,
    )
    if quarter is None:
        raise Http404("Report packs are for a quarter, such as 2010-11-q2")
    return build_pack(
        chosen_plan,
        quarter,
        published_only=published_only,
        audience=Audience(audience),
        as_at=as_at,
        revised_since=revised_since,
    )


def _filename(pack: Pack, extension: str) -> str:
    audience = "" if pack.audience == Audience.EVERYONE else f"-{pack.audience}"
    draft = "" if pack.published_only else "-not-yet-approved"
    moment = "" if pack.as_at is None else f"-as-at-{timezone.localtime(pack.as_at):%Y%m%dT%H%M%S}"
    return f"{pack.plan.slug}-{pack.quarter.slug}{audience}{draft}{moment}.{extension}"


def _query(pack: Pack, *, fixed: bool = False) -> str:
    """The query string that names the pack's audience, figures and moments, for its downloads; `fixed`:
    as at the pack's own moment, for a link that gives the same figures later."""
    query = {}
    if pack.audience != Audience.EVERYONE:
        query["audience"] = pack.audience.value
    if not pack.published_only:
        query["figures"] = "submitted"
    query.update(moments_query(pack, fixed=fixed))
    return "?" + urlencode(query) if query else ""


def pack_page(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: anyone for approved figures; the performance team with ?figures=submitted. The pack as a web
    page, printable on A4 (its print stylesheet), with its downloads beside it."""
    pack = _pack(request, plan, period)
    if isinstance(pack, HttpResponse):
        return pack
    return render(request, "reports/pack.html", {"pack": pack, "chart": summary_chart(pack), **_page_context(pack)})


def _page_context(pack: Pack) -> dict:
    query = _query(pack)
    kwargs = {"plan": pack.plan.slug, "period": pack.quarter.slug}
    return {
        "as_at_url": reverse("reports:pack", kwargs=kwargs) + _query(pack, fixed=True),
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
