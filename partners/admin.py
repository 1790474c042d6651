from django.contrib import admin

from core.admin import add_inlines
from core.importing import SafeImportExportAdmin
from indicators.models import PlanIndicator
from partners.models import GlossaryTerm, Partner, PartnerAlias, PartnerMembership, SignUp
from partners.resources import PartnerResource


class SignUpInline(admin.TabularInline):
    model = SignUp
    extra = 0
    fields = ["order", "partner", "printed_name", "lead"]
    autocomplete_fields = ["partner"]


add_inlines(PlanIndicator, SignUpInline)


class AliasInline(admin.TabularInline):
    model = PartnerAlias
    extra = 0


class MembershipInline(admin.TabularInline):
    model = PartnerMembership
    fk_name = "group"
    extra = 0
    fields = ["order", "member", "printed"]
    autocomplete_fields = ["member"]


@admin.register(Partner)
class PartnerAdmin(SafeImportExportAdmin):
    resource_classes = [PartnerResource]
    list_display = ["name", "abbreviation", "kind", "expansion"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline, MembershipInline]


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin):
    list_display = ["printed_name", "partner", "lead", "plan_indicator"]
    list_filter = ["lead", "plan_indicator__plan"]
    search_fields = ["printed_name", "partner__name", "plan_indicator__indicator__code"]
    list_select_related = ["partner", "plan_indicator__indicator", "plan_indicator__plan"]
    autocomplete_fields = ["partner", "plan_indicator"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "expansion"]
    search_fields = ["term", "expansion"]


@admin.register(PartnerAlias)
class PartnerAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "partner"]
    search_fields = ["name", "partner__name"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "group", "printed"]
    list_filter = ["group"]
    list_select_related = ["member", "group"]
    autocomplete_fields = ["member", "group"]
