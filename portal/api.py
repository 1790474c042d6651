"""Read-only open-data API for indicators with their baselines, targets, partners and status.

With `?plan=<slug>` each indicator carries that plan's title, baseline, targets and sign-ups;
without it, targets from every plan (each naming its plan) and no single baseline. Each carries the
status of its latest approved figure as the pages judge it (`portal.judged`); the figures themselves
are at /api/v1/figures/.
"""

import re
from collections import defaultdict

from django.db.models import F, Min, Prefetch, Q
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from core.api import StandardPagination, number
from indicators.models import Baseline, Indicator, OutcomeIndicator, PlanIndicator, Target
from partners.models import SignUp
from plans.models import Plan
from portal.judged import StatusSerializer, judge

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _breakdown_name(row: Baseline | Target) -> str | None:
    return row.breakdown.name if row.breakdown_id else None


class IndicatorSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    baseline = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    status = StatusSerializer(
        source="judged", read_only=True, help_text="The latest approved figure judged, as the pages show it."
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "slug",
            "title",
            "unit",
            "unit_label",
            "polarity",
            "frequency",
            "indicator_set",
            "statutory",
            "baseline",
            "targets",
            "partners",
            "status",
            "url",
        ]

    def get_url(self, indicator: Indicator) -> str:
        return indicator.get_absolute_url()

    def get_title(self, indicator: Indicator) -> str:
        """The title as the requested plan prints it, else the catalogue title."""
        for link in (*indicator.plan_links_in_plan, *indicator.outcome_links_in_plan):
            return link.title
        return indicator.title

    def get_baseline(self, indicator: Indicator) -> dict | None:
        if not self.context.get("plan"):
            return None
        whole = next((b for b in indicator.baselines_in_plan if b.breakdown_id is None), None)
        parts = [b for b in indicator.baselines_in_plan if b.breakdown_id is not None]
        if whole is None and not parts:
            return None
        return {
            "value": number(whole.value) if whole else None,
            "text": whole.text if whole else " ".join(p.text for p in parts),
            "period": whole.period.label if whole and whole.period_id else None,
            "breakdowns": [{"breakdown": _breakdown_name(p), "value": number(p.value), "text": p.text} for p in parts],
        }

    def get_targets(self, indicator: Indicator) -> list[dict]:
        return [
            {
                "plan": plan,
                "period": period,
                "value": number(value),
                "text": text,
                "designated": designated,
                "breakdown": breakdown,
            }
            for plan, period, value, text, designated, breakdown in indicator.target_rows
        ]

    def get_partners(self, indicator: Indicator) -> list[dict]:
        partners = []
        for link in indicator.plan_links_in_plan:
            for sign_up in link.sign_ups.all():
                partners.append(
                    {
                        "name": sign_up.printed_name,
                        "lead": sign_up.lead,
                        "partner": sign_up.partner.name,
                        "slug": sign_up.partner.slug,
                    }
                )
        return partners


class IndicatorFilter(filters.FilterSet):
    plan = filters.CharFilter(method="filter_plan", help_text="A plan's slug, e.g. laa-2008-11.")
    code = filters.CharFilter(field_name="code", lookup_expr="iexact")

    class Meta:
        model = Indicator
        fields = ["plan", "code", "unit", "polarity", "indicator_set"]

    def filter_plan(self, queryset, name, value):
        return queryset.for_plan(value)


def _attach_targets(indicators: list[Indicator], plan: Plan | None) -> None:
    """Each indicator's targets (in the plan, or in every plan), as plain rows: one query, and no model
    instances for the thousands of targets a page of a long plan can hold; and its status (judging: five
    queries for the whole page)."""
    statuses = judge(indicators)
    for indicator in indicators:
        indicator.judged = statuses[indicator.pk]
    rows = defaultdict(list)
    targets = Target.objects.filter(indicator__in=indicators)
    if plan is not None:
        targets = targets.filter(plan=plan)
    for indicator_id, *row in targets.order_by("plan__start", "period__start", "breakdown__order").values_list(
        "indicator_id", "plan__slug", "period__label", "value", "text", "designated", "breakdown__name"
    ):
        rows[indicator_id].append(row)
    for indicator in indicators:
        indicator.target_rows = rows[indicator.pk]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicators and measures with their targets. Public: targets are published commitments."""

    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "slug"

    def _plan(self) -> Plan | None:
        slug = self.request.query_params.get("plan")
        if not slug:
            return None
        # A slug's characters only: PostgreSQL refuses text holding NUL, and no plan's slug holds anything else.
        plan = Plan.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None
        if plan is None:
            known = ", ".join(Plan.objects.values_list("slug", flat=True))
            raise ValidationError({"plan": f"No plan has the slug {slug!r}. Known plans: {known}."})
        return plan

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["plan"] = getattr(self, "_requested_plan", None)
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _attach_targets(page, self._requested_plan)
        return page

    def get_object(self):
        indicator = super().get_object()
        _attach_targets([indicator], self._requested_plan)
        return indicator

    def get_queryset(self):
        plan = self._requested_plan = self._plan()
        in_plan = Q(plan=plan) if plan else Q()
        links = (
            PlanIndicator.objects.filter(in_plan)
            .order_by("order")
            .prefetch_related(Prefetch("sign_ups", queryset=SignUp.objects.in_order()))
        )
        outcome_links = OutcomeIndicator.objects.filter(
            Q(outcome__priority__plan=plan) if plan else Q(pk__in=[])
        ).order_by("outcome__priority__order", "outcome__order", "order")
        indicators = Indicator.objects.prefetch_related(
            Prefetch("plan_links", queryset=links, to_attr="plan_links_in_plan"),
            Prefetch("outcome_links", queryset=outcome_links, to_attr="outcome_links_in_plan"),
            Prefetch(
                "baselines",
                queryset=Baseline.objects.filter(in_plan).select_related("period", "breakdown"),
                to_attr="baselines_in_plan",
            ),
        )
        if plan is None:
            return indicators.order_by("slug")
        return (
            indicators.for_plan(plan.slug)
            .annotate(position=Min("plan_links__order", filter=Q(plan_links__plan=plan)))
            .order_by(F("position").asc(nulls_last=True), "slug")
        )
