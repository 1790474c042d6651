"""Read-only open-data API for plans, risks and budget tables: public, because every field here is published."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from core.api import StandardPagination
from plans.budgets import TotalCheck, check_totals
from plans.models import BudgetLine, BudgetTable, Outcome, Plan, Priority, Risk
from plans.models.resources import LineKind


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
    kind = serializers.ChoiceField(
        choices=LineKind.choices, help_text="row; subtotal (of the rows since the last subtotal or total); total."
    )
    cells = serializers.ListField(
        child=serializers.CharField(allow_null=True),
        help_text='Each cell as printed, e.g. "256.62" or "50%", in the order of the columns; null for an empty cell.',
    )

    class Meta:
        model = BudgetLine
        fields = ["row", "kind", "note", "label", "cells"]


class TotalCheckSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The total's or subtotal's label, as printed.")
    column = serializers.IntegerField(help_text="The column, counting from 1.")
    printed = serializers.DecimalField(
        max_digits=16, decimal_places=4, coerce_to_string=False, help_text="The total as printed, in the table's unit."
    )
    summed = serializers.DecimalField(
        max_digits=16, decimal_places=4, coerce_to_string=False, help_text="The sum of the rows it totals."
    )
    agrees = serializers.BooleanField(help_text="The printed total is the sum of its rows. Nothing is corrected.")

    def to_representation(self, check: TotalCheck) -> dict:
        return {
            "label": check.label,
            "column": check.column + 1,
            "printed": check.printed,
            "summed": check.summed,
            "agrees": check.agrees,
        }


class BudgetTableSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    columns = serializers.ListField(
        child=serializers.CharField(allow_null=True), help_text="The column headings as printed (null: none printed)."
    )
    notes = serializers.ListField(child=serializers.CharField(), help_text="The footnotes as printed.")
    lines = BudgetLineSerializer(many=True, read_only=True, help_text="Every row as printed, in order.")
    totals = serializers.SerializerMethodField(
        help_text="Each printed total and subtotal that is an amount, against the sum of the rows it totals "
        "(plans/budgets.py): the printed figure is never changed."
    )

    class Meta:
        model = BudgetTable
        fields = ["id", "plan", "title", "unit", "columns", "notes", "lines", "totals"]

    @extend_schema_field(TotalCheckSerializer(many=True))
    def get_totals(self, table: BudgetTable) -> list[dict]:
        return TotalCheckSerializer(check_totals(table.lines.all(), unit=table.unit), many=True).data


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
