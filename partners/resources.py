"""Spreadsheet format for partner organisations and the names they are printed under."""

from django.core.exceptions import ValidationError
from import_export import fields

from core.importing import SafeResource
from partners.models import Partner, PartnerAlias

ALIAS_SEPARATOR = ";"


class PartnerResource(SafeResource):
    aliases = fields.Field(column_name="aliases", attribute=None)

    class Meta(SafeResource.Meta):
        model = Partner
        use_bulk = False  # aliases are written after each partner, which needs its key first
        fields = ("slug", "name", "abbreviation", "expansion", "kind", "description", "aliases")
        import_id_fields = ("slug",)

    def get_queryset(self):
        return Partner.objects.prefetch_related("aliases").order_by("slug")

    def dehydrate_aliases(self, partner: Partner) -> str:
        return f"{ALIAS_SEPARATOR} ".join(alias.name for alias in partner.aliases.all())

    @staticmethod
    def _names(row) -> list[str]:
        return [name.strip() for name in (row.get("aliases") or "").split(ALIAS_SEPARATOR) if name.strip()]

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        taken = PartnerAlias.objects.filter(name__in=self._names(row)).exclude(partner__slug=row.get("slug"))
        if clash := taken.select_related("partner").first():
            raise ValidationError({"aliases": f"{clash.name!r} is already a name of {clash.partner.name}"})

    def skip_row(self, instance, original, row, import_validation_errors=None):
        unchanged = super().skip_row(instance, original, row, import_validation_errors)
        if not unchanged or "aliases" not in row or instance.pk is None:
            return unchanged
        return sorted(self._names(row)) == sorted(instance.aliases.values_list("name", flat=True))

    def after_save_instance(self, instance, row, **kwargs):
        if "aliases" not in row:
            return
        wanted = set(self._names(row))
        for alias in instance.aliases.exclude(name__in=wanted):
            alias.delete()
        for name in wanted - set(instance.aliases.values_list("name", flat=True)):
            PartnerAlias.objects.create(partner=instance, name=name)
