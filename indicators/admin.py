from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import add_inlines
from core.importing import SafeImportExportAdmin
from indicators.models import (
    Baseline,
    Breakdown,
    DataVersion,
    Indicator,
    IndicatorAlias,
    OutcomeIndicator,
    PlanIndicator,
    ReportingPeriod,
    Target,
)
from indicators.resources import IndicatorResource, TargetResource
from plans.models import Outcome


class OutcomeIndicatorInline(admin.TabularInline):
    model = OutcomeIndicator
    extra = 0
    fields = ["order", "indicator", "printed"]
    autocomplete_fields = ["indicator"]


add_inlines(Outcome, OutcomeIndicatorInline, after=1)


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
    # partners/admin.py adds the partners signed up to each: higher apps extend lower apps' admin.


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


@admin.register(DataVersion)
class DataVersionAdmin(admin.ModelAdmin):
    """Read only: the publication version, which public caches are keyed on. It moves by itself."""

    list_display = ["published"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
