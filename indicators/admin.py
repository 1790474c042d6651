from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import (
    Baseline,
    Breakdown,
    Indicator,
    IndicatorAlias,
    OutcomeIndicator,
    PlanIndicator,
    ReportingPeriod,
    Target,
    Value,
)
from indicators.resources import IndicatorResource, TargetResource, ValueResource
from luton_plan.importing import SafeImportExportAdmin


class OutcomeIndicatorInline(admin.TabularInline):
    model = OutcomeIndicator
    extra = 0
    fields = ["order", "indicator", "printed"]
    autocomplete_fields = ["indicator"]


class AliasInline(admin.TabularInline):
    model = IndicatorAlias
    extra = 0


class BreakdownInline(admin.TabularInline):
    model = Breakdown
    extra = 0
    fields = ["order", "dimension", "name", "slug", "label", "polarity"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["plan", "period", "breakdown", "text", "value", "designated"]
    autocomplete_fields = ["plan", "period"]


@admin.register(Indicator)
class IndicatorAdmin(SafeImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["code", "title", "indicator_set", "unit", "polarity", "frequency", "statutory"]
    list_filter = ["indicator_set", "unit", "polarity", "frequency", "statutory", "plan_links__plan"]
    search_fields = ["code", "title", "slug", "aliases__alias"]
    inlines = [AliasInline, BreakdownInline, TargetInline]


@admin.register(PlanIndicator)
class PlanIndicatorAdmin(admin.ModelAdmin):
    list_display = ["printed", "plan", "inclusion", "priority", "org_unit"]
    list_filter = ["plan", "inclusion"]
    search_fields = ["printed", "title", "indicator__code"]
    list_select_related = ["plan", "priority", "org_unit", "indicator"]
    autocomplete_fields = ["plan", "indicator", "priority", "action"]

    def get_inlines(self, request, obj):
        from partners.admin import SignUpInline  # partners depends on indicators, not the reverse

        return [SignUpInline]


@admin.register(OutcomeIndicator)
class OutcomeIndicatorAdmin(admin.ModelAdmin):
    list_display = ["printed", "indicator", "outcome"]
    list_filter = ["outcome__priority__plan"]
    search_fields = ["printed", "indicator__code"]
    list_select_related = ["indicator", "outcome"]
    autocomplete_fields = ["indicator", "outcome"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "start", "end", "parent"]
    list_filter = ["kind"]
    search_fields = ["label"]
    list_select_related = ["parent"]


@admin.register(Target)
class TargetAdmin(SafeImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [TargetResource]
    list_display = ["indicator", "plan", "period", "breakdown", "text", "value", "designated"]
    list_filter = ["plan", "designated", "period"]
    search_fields = ["indicator__code", "indicator__title", "text"]
    list_select_related = ["indicator", "plan", "period", "breakdown"]
    autocomplete_fields = ["indicator", "plan", "period"]


@admin.register(Baseline)
class BaselineAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "plan", "breakdown", "text", "value", "period"]
    list_filter = ["plan"]
    search_fields = ["indicator__code", "indicator__title", "text"]
    list_select_related = ["indicator", "plan", "period", "breakdown"]
    autocomplete_fields = ["indicator", "plan", "period"]


@admin.register(Value)
class ValueAdmin(SafeImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [ValueResource]
    list_display = ["indicator", "period", "breakdown", "value", "status", "confidence", "updated_at"]
    list_filter = ["status", "confidence", "is_demonstration", "period"]
    search_fields = ["indicator__code", "indicator__title", "commentary"]
    list_select_related = ["indicator", "period", "breakdown"]
    autocomplete_fields = ["indicator", "period"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(IndicatorAlias)
class IndicatorAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "indicator"]
    search_fields = ["alias", "indicator__code", "indicator__title"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]


@admin.register(Breakdown)
class BreakdownAdmin(admin.ModelAdmin):
    list_display = ["name", "dimension", "indicator", "label", "polarity"]
    list_filter = ["dimension"]
    search_fields = ["name", "indicator__code"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]
