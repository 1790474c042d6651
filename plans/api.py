"""Read-only open-data API for plans, risks and budget tables: public, because every field here is published."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from core.api import StandardPagination
from plans.models import BudgetLine, BudgetTable, Outcome, Plan, Priority, Risk


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField(source="period_label")


class PlanSummarySerializer(serializers.ModelSerializer):
    period = serializers.SerializerMethodField()
    serves = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Plan
        fields = ["slug", "title", "kind", "status", "period", "serves", "summary"]

    def get_period(self, plan: Plan) -> dict:
        return PeriodSerializer(plan).data


class OutcomeSerializer(serializers.ModelSerializer):
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = Outcome
        fields = ["number", "label", "slug", "title", "narrative", "indicators"]

    def get_indicators(self, outcome: Outcome) -> list[str]:
        """Codes of the indicators the outcome monitors, in the order printed (measures without a code
        are identified by their slug)."""
        codes: list[str] = []
        for link in outcome.indicator_links.all():
            key = link.indicator.code or link.indicator.slug
            if key not in codes:
                codes.append(key)
        return codes


class PrioritySerializer(serializers.ModelSerializer):
    outcomes = OutcomeSerializer(many=True, read_only=True)
    org_unit = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Priority
        fields = ["number", "slug", "title", "org_unit", "outcomes"]


class PlanDetailSerializer(PlanSummarySerializer):
    priorities = PrioritySerializer(many=True, read_only=True)

    class Meta(PlanSummarySerializer.Meta):
        fields = [*PlanSummarySerializer.Meta.fields, "priorities"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans along the golden thread. Public: every plan here is a published document."""

    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    lookup_field = "slug"

    def get_queryset(self):
        plans = Plan.objects.select_related("serves")
        if self.action == "retrieve":
            outcomes = Outcome.objects.order_by("order", "number").prefetch_related("indicator_links__indicator")
            priorities = (
                Priority.objects.select_related("org_unit")
                .order_by("order", "number")
                .prefetch_related(Prefetch("outcomes", queryset=outcomes))
            )
            plans = plans.prefetch_related(Prefetch("priorities", queryset=priorities))
        return plans

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSummarySerializer


class RiskSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    outcome = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Risk
        fields = [
            "plan",
            "outcome",
            "number",
            "title",
            "description",
            "owner",
            "initial_score",
            "initial_likelihood",
            "initial_impact",
            "residual_score",
            "residual_likelihood",
            "residual_impact",
            "controls",
            "review_date",
        ]


class RiskFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="plan__slug", help_text="A plan's slug, e.g. corporate-plan-2011-14.")

    class Meta:
        model = Risk
        fields = ["plan"]


class RiskViewSet(viewsets.ReadOnlyModelViewSet):
    """Risks in plans' risk registers, in register order. Public: the registers are published."""

    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    queryset = Risk.objects.select_related("plan", "outcome").order_by("plan__order", "plan__start", "order")


class BudgetLineSerializer(serializers.ModelSerializer):
    row = serializers.IntegerField(source="order", help_text="The row's place in its table, from 0.")
    cells = serializers.ListField(
        child=serializers.CharField(allow_null=True),
        help_text='Each cell as printed, e.g. "256.62" or "50%", in the order of the columns; null for an empty cell.',
    )
    is_total = serializers.BooleanField(
        source="is_printed_total", help_text="The table's printed total (as printed, not recomputed)."
    )

    class Meta:
        model = BudgetLine
        fields = ["row", "note", "label", "cells", "is_total"]


class BudgetTableSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    columns = serializers.ListField(
        child=serializers.CharField(allow_null=True), help_text="The column headings as printed (null: none printed)."
    )
    notes = serializers.ListField(child=serializers.CharField(), help_text="The footnotes as printed.")
    lines = BudgetLineSerializer(many=True, read_only=True, help_text="Every row as printed, in order.")
    total = serializers.SerializerMethodField(help_text="The printed total row, if the table prints one.")

    class Meta:
        model = BudgetTable
        fields = ["id", "plan", "title", "unit", "columns", "notes", "lines", "total"]

    @extend_schema_field(BudgetLineSerializer(allow_null=True))
    def get_total(self, table: BudgetTable) -> dict | None:
        total = next((line for line in table.lines.all() if line.is_printed_total), None)
        return BudgetLineSerializer(total).data if total else None


class BudgetTableFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="plan__slug", help_text="A plan's slug, e.g. corporate-plan-2011-14.")

    class Meta:
        model = BudgetTable
        fields = ["plan"]


class BudgetTableViewSet(viewsets.ReadOnlyModelViewSet):
    """The plans' revenue and capital tables, each row and total as printed (never recomputed). Public: the
    tables are printed in the published plans."""

    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    serializer_class = BudgetTableSerializer
    filterset_class = BudgetTableFilter
    queryset = (
        BudgetTable.objects.select_related("plan")
        .prefetch_related(Prefetch("lines", queryset=BudgetLine.objects.order_by("order")))
        .order_by("plan__order", "plan__start", "order", "pk")
    )
