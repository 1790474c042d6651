"""Issuing packs to meetings (the performance team) and downloading the issued files (anyone: an issued
pack holds approved figures only, like every public pack)."""

import base64

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.access import allowed
from core.roles import is_performance_team
from indicators.models import PeriodKind, ReportingPeriod
from plans.models import Plan
from reports.audiences import PRESETS, Audience
from reports.forms import IssueForm
from reports.issuing import IssuedFileDamaged, do_issue_pack, read_issued
from reports.models import CONTENT_TYPES, IssuedFile


@allowed(is_performance_team)
def issue_pack(request: HttpRequest, plan: str, period: str) -> HttpResponse:
    """Who: the performance team. The form to issue a pack of approved figures to a meeting; issuing stores
    every format as at that moment, then shows the list of issued packs."""
    chosen_plan = get_object_or_404(Plan, slug=plan)
    quarters = ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER).select_related("parent")
    quarter = next((q for q in quarters if q.slug == period), None)
    if quarter is None:
        raise Http404("Report packs are for a quarter, such as 2010-11-q2")
    audience = request.GET.get("audience", Audience.EVERYONE)
    if audience not in Audience:
        return HttpResponseBadRequest(
            f"audience={audience[:40]!r} is not a choice: use " + ", ".join(f"audience={a}" for a in Audience) + ".",
            content_type="text/plain; charset=utf-8",
        )
    form = IssueForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        issued = do_issue_pack(
            plan=chosen_plan,
            quarter=quarter,
            audience=Audience(audience),
            meeting=form.cleaned_data["meeting"],
            meeting_date=form.cleaned_data["meeting_date"],
            by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(request, f"Issued to {issued.meeting}: {chosen_plan.title}, {quarter.label}.")
        return redirect(reverse("reports:list") + "#issued")
    return render(
        request,
        "reports/issue.html",
        {"form": form, "plan": chosen_plan, "quarter": quarter, "audience": PRESETS[Audience(audience)].label},
        status=400 if form.errors else 200,
    )


def issued_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Who: anyone. An issued pack's file, byte for byte as issued, once its checksum is checked; never
    a file that no longer matches it."""
    file = get_object_or_404(IssuedFile.objects.select_related("pack"), pack_id=pk, format=fmt)
    try:
        content = read_issued(file)
    except IssuedFileDamaged as damaged:
        return HttpResponse(
            f"This issued file cannot be given out: {damaged}. It has been logged for the portal's administrators; "
            "the other formats of the pack may still be downloaded.",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type=CONTENT_TYPES[file.format])
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(file.sha256)).decode()}:"
    # Never changes: caches may keep it (a signed-in person's copy is still private: core/middleware.py).
    response["Cache-Control"] = "public, max-age=86400, immutable"
    return response
