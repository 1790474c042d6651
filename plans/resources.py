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

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            # A new risk goes to the end of its plan's register.
            last = Risk.objects.filter(plan=instance.plan).order_by("-order").values_list("order", flat=True).first()
            instance.order = 0 if last is None else last + 1
        super().before_save_instance(instance, row, **kwargs)
