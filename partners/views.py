"""Public partner pages: who signed up to which LAA targets."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from partners.models import Partner, PartnerMembership, SignUp


def partner_list(request: HttpRequest) -> HttpResponse:
    """Who may use it: anyone."""
    partners = Partner.objects.order_by("name")
    return render(request, "partners/partner_list.html", {"partners": partners})


def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Who may use it: anyone. Every target the partner signed up to, leads first."""
    partner = get_object_or_404(
        Partner.objects.prefetch_related(
            "aliases",
            Prefetch("memberships", queryset=PartnerMembership.objects.select_related("member")),
            Prefetch("group_memberships", queryset=PartnerMembership.objects.select_related("group")),
            Prefetch(
                "sign_ups",
                queryset=SignUp.objects.select_related(
                    "plan_indicator__indicator", "plan_indicator__plan"
                ).order_by("-lead", "plan_indicator__order"),
            ),
        ),
        slug=slug,
    )
    return render(request, "partners/partner_detail.html", {"partner": partner})
