"""Public indicator pages: definitions and published targets."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from indicators.history import indicator_history
from indicators.models import Indicator, PlanIndicator, Target
from luton_plan.roles import is_council_staff
from partners.models import SignUp


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Who may use it: anyone; council staff also see the audit history of its targets and returns."""
    indicator = get_object_or_404(
        Indicator.objects.prefetch_related(
            "aliases",
            Prefetch("targets", queryset=Target.objects.in_order().select_related("plan")),
            Prefetch(
                "plan_links",
                queryset=PlanIndicator.objects.select_related("plan", "priority").prefetch_related(
                    Prefetch("sign_ups", queryset=SignUp.objects.in_order())
                ),
            ),
            "baselines__breakdown",
            "outcome_links__outcome__priority__plan",
        ),
        slug=slug,
    )
    history = indicator_history(indicator) if is_council_staff(request.user) else None
    return render(request, "indicators/indicator_detail.html", {"indicator": indicator, "history": history})
