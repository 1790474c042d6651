"""GET /api/v1/departments/ and /api/v1/services/: the council's departments and services as their plans
describe them (`portal.units`), each key measure with its status as the pages judge it."""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from core.api import StandardPagination, slug_filter
from plans.models import OrgUnit, Plan
from plans.models.organisation import OrgUnitKind
from portal import units
from portal.judged import StatusSerializer, judge_links


class MeasureSerializer(serializers.Serializer):
    """A measure as its plan prints it, with its indicator and that indicator's status."""

    indicator = serializers.CharField(
        source="indicator.slug", help_text="The indicator's slug: /api/v1/indicators/<slug>/ and its page."
    )
    code = serializers.CharField(source="indicator.code", allow_null=True, help_text='E.g. "NI 59"; null if uncoded.')
    printed = serializers.CharField(help_text="The entry exactly as printed, code and all.")
    title = serializers.CharField(help_text="The title as this plan prints it.")
    status = StatusSerializer(source="judged", help_text="Its latest approved figure judged, as the pages show it.")


class ThemedItemSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="As printed.")
    theme = serializers.IntegerField(
        source="priority.number", allow_null=True, default=None, help_text="The number of the plan's theme, if any."
    )
    theme_title = serializers.CharField(
        source="priority.title", allow_null=True, default=None, help_text="The theme's title, if any."
    )


class DepartmentSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(
        source="defined_by.slug", allow_null=True, help_text="The slug of the plan that describes it."
    )
    key_measures = MeasureSerializer(many=True, help_text="Its key performance measures, in the order printed.")
    delivery_priorities = ThemedItemSerializer(many=True, help_text="Its delivery priorities, in the order printed.")
    efficiency_projects = ThemedItemSerializer(many=True, help_text="Its efficiency projects, in the order printed.")
    cross_cutting_strategies = serializers.SerializerMethodField(
        help_text="The cross-cutting plans and strategies it names, as printed."
    )

    class Meta:
        model = OrgUnit
        fields = [
            "slug",
            "name",
            "head",
            "head_title",
            "plan",
            "key_measures",
            "delivery_priorities",
            "efficiency_projects",
            "cross_cutting_strategies",
        ]

    def get_cross_cutting_strategies(self, department: OrgUnit) -> list[str]:
        return [strategy.title for strategy in department.strategies]


class ServiceOutcomeSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField(help_text='As printed, e.g. "Outcome 1".')
    title = serializers.CharField(help_text="The 2040 outcome, as printed.")


class ChangeSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The change, as printed.")
    key_measure = MeasureSerializer(allow_null=True, help_text="How the change is measured, if the plan says.")


class DirectorateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ServiceSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(
        source="defined_by.slug", allow_null=True, help_text="The slug of the plan that describes it."
    )
    directorate = DirectorateSerializer(source="parent", allow_null=True, help_text="The directorate it sits in.")
    outcomes = ServiceOutcomeSerializer(many=True, help_text="The 2040 outcomes it contributes to, as printed.")
    changes = ChangeSerializer(many=True, help_text="The key changes it is making, in the order printed.")

    class Meta:
        model = OrgUnit
        fields = ["slug", "name", "overview", "plan", "directorate", "outcomes", "changes"]


class DepartmentFilter(filters.FilterSet):
    plan = slug_filter(
        Plan.objects.filter(org_units__kind=OrgUnitKind.DEPARTMENT).distinct(),
        field_name="defined_by",
        noun="plan with departments",
        help_text="The slug of the plan that describes the departments, e.g. corporate-plan-2011-14.",
    )

    class Meta:
        model = OrgUnit
        fields = ["plan"]


class ServiceFilter(filters.FilterSet):
    plan = slug_filter(
        Plan.objects.filter(org_units__kind=OrgUnitKind.SERVICE).distinct(),
        field_name="defined_by",
        noun="plan with services",
        help_text="The slug of the plan that describes the services, e.g. service-plans-2024.",
    )
    directorate = slug_filter(
        OrgUnit.objects.filter(kind=OrgUnitKind.DIRECTORATE),
        field_name="parent",
        noun="directorate",
        help_text="A directorate's slug, e.g. inclusive-economy.",
    )

    class Meta:
        model = OrgUnit
        fields = ["plan", "directorate"]


class _UnitViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    lookup_field = "slug"

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.prepare(page)
        return page

    def get_object(self):
        unit = super().get_object()
        self.prepare([unit])
        return unit

    def prepare(self, page: list[OrgUnit]) -> None:
        """Judge the page's key measures: five queries for them all."""
        judge_links(units.measures_of(page))


class DepartmentViewSet(_UnitViewSet):
    """The departments of the Corporate Plan 2011-14: key performance measures with their status, delivery
    priorities by theme, efficiency projects and cross-cutting strategies. Public: all as published."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self):
        return units.departments()


class ServiceViewSet(_UnitViewSet):
    """The services of the Service Plans 2024 under their directorates: overview, the 2040 outcomes each
    contributes to, and every change with its key measure and that measure's status. Public."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter

    def get_queryset(self):
        return units.services()

    def prepare(self, page: list[OrgUnit]) -> None:
        super().prepare(page)
        for service in page:
            service.outcomes = [outcome for plan in service.plans for outcome in plan.outcomes.all()]
            for change in service.changes:
                change.key_measure = change.key_measures[0] if change.key_measures else None
