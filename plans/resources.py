"""Spreadsheet format for risks, matched on their plan and reference."""

from django.core.exceptions import ValidationError
from import_export import fields

from core.importing import LookupWidget, SafeResource
from plans.models import Plan, Risk


class RiskResource(SafeResource):
    plan = fields.Field(
        attribute="plan", column_name="plan", widget=LookupWidget(Plan, "slug", noun="plan with the slug")
    )

    class Meta(SafeResource.Meta):
        model = Risk
        fields = (
            "plan",
            "reference",
            "number",
            "title",
            "description",
            "owner",
            "initial_likelihood",
            "initial_impact",
            "initial_score",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "controls",
            "review_date",
        )
        import_id_fields = ("plan", "reference")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if not row.get("reference"):
            raise ValidationError({"reference": "every risk needs a reference (e.g. 3, or 2.4.1)"})

    def get_queryset(self):
        return Risk.objects.select_related("plan").order_by("plan__start", "order")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # Where each plan's register ends, read once: new risks are numbered on from there.
        self._next_order: dict[int, int] = {}
        for plan_id, order in Risk.objects.order_by("plan_id", "order").values_list("plan_id", "order"):
            self._next_order[plan_id] = order + 1

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None and instance.plan_id:
            # A new risk goes to the end of its plan's register, before it is checked (its order is unique).
            instance.order = self._next_order.get(instance.plan_id, 0)
            self._next_order[instance.plan_id] = instance.order + 1
