"""GET /api/v1/actions/: what the plans say the council will do (an outcome's actions, a department's
delivery priorities and efficiency projects, a service's changes), each with its latest approved update.
An update not yet approved is never shown, whoever asks."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from core.api import StandardPagination, slug_filter
from plans.models import Action, ActionKind, ActionStatus, OrgUnit, Plan
from returns.models import ActionUpdate


class UpdateSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", help_text='The quarter it reports on, e.g. "2010/11 Q2".')
    approved_at = serializers.DateTimeField(source="reviewed_at", allow_null=True, help_text="When it was approved.")

    class Meta:
        model = ActionUpdate
        fields = ["period", "progress", "percent_complete", "commentary", "revised_date", "approved_at"]


class ActionSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.slug", help_text="The plan's slug.")
    priority = serializers.IntegerField(
        source="priority.number", allow_null=True, default=None, help_text="The number of its priority or theme."
    )
    priority_title = serializers.CharField(source="priority.title", allow_null=True, default=None)
    outcome = serializers.IntegerField(
        source="outcome_id", allow_null=True, help_text="The id of the outcome it serves (outcomes.csv), if any."
    )
    outcome_title = serializers.CharField(source="outcome.title", allow_null=True, default=None)
    org_unit = serializers.CharField(
        source="org_unit.slug", allow_null=True, default=None, help_text="The department or service it belongs to."
    )
    status = serializers.ChoiceField(
        choices=ActionStatus.choices, help_text="Its progress as of its latest approved update."
    )
    latest_update = UpdateSerializer(allow_null=True, help_text="Its latest approved update; null if none.")

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "kind",
            "text",
            "owner",
            "due_date",
            "priority",
            "priority_title",
            "outcome",
            "outcome_title",
            "org_unit",
            "status",
            "latest_update",
        ]


class ActionFilter(filters.FilterSet):
    plan = slug_filter(Plan.objects.all(), noun="plan", help_text="A plan's slug, e.g. service-plans-2024.")
    kind = filters.ChoiceFilter(choices=ActionKind.choices, help_text="Only actions of this kind.")
    org_unit = slug_filter(
        OrgUnit.objects.all(),
        noun="department, directorate or service",
        help_text="A department's or service's slug, e.g. housing-and-community-living-department.",
    )
    status = filters.ChoiceFilter(choices=ActionStatus.choices, help_text="Only actions with this progress.")

    class Meta:
        model = Action
        fields = ["plan", "kind", "org_unit", "status"]


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Actions, delivery priorities, efficiency projects and changes, in their plans' order, each with its
    latest approved update. Public: the plans are published, and only approved updates are shown."""

    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        updates = ActionUpdate.objects.published().select_related("period").order_by("-period__start", "-pk")
        return (
            Action.objects.select_related("plan", "priority", "outcome", "org_unit")
            .prefetch_related(Prefetch("updates", queryset=updates, to_attr="published_updates"))
            .order_by("plan__order", "plan__start", "order", "pk")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _latest(page)
        return page

    def get_object(self):
        action = super().get_object()
        _latest([action])
        return action


def _latest(actions: list[Action]) -> None:
    for action in actions:
        action.latest_update = action.published_updates[0] if action.published_updates else None
