"""Public pages along the golden thread. Public by design: plans are published documents."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from plans.models import Action, Outcome, Plan, Risk


def home(request: HttpRequest) -> HttpResponse:
    """Who may use it: anyone. The plans, along the thread they serve."""
    plans = Plan.objects.select_related("serves").order_by("order", "start")
    return render(request, "plans/home.html", {"plans": plans})


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Who may use it: anyone. A plan with its priorities and their outcomes."""
    plan = get_object_or_404(Plan.objects.with_thread().prefetch_related("statements"), slug=slug)
    return render(request, "plans/plan_detail.html", {"plan": plan})


def outcome_detail(request: HttpRequest, plan: str, priority: str, slug: str) -> HttpResponse:
    """Who may use it: anyone. An outcome's narrative, actions, indicators and risks."""
    outcome = get_object_or_404(
        Outcome.objects.select_related("priority__plan").prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("order")),
            Prefetch("risks", queryset=Risk.objects.order_by("order")),
            "mitigating_actions",
            "resource_statements",
            "indicator_links__indicator",
        ),
        priority__plan__slug=plan,
        priority__slug=priority,
        slug=slug,
    )
    return render(request, "plans/outcome_detail.html", {"outcome": outcome, "plan": outcome.priority.plan})
