from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import (
    Baseline,
    Breakdown,
    DataVersion,
    Indicator,
    IndicatorAlias,
    OutcomeIndicator,
    PlanIndicator,
    ReportingPeriod,
    ReportingRound,
    Return,
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


class ValueInline(admin.TabularInline):
    model = Value
    extra = 0
    fields = ["breakdown", "value", "numerator", "denominator"]


class VersionLockFirst:
    """For the rows returns entry and sign-off lock: take the data-version lock before the row's own,
    in the same order as they do, so an admin edit and a returns upload cannot deadlock (DataVersion)."""

    def save_model(self, request, obj, form, change):
        DataVersion.bump()
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        DataVersion.bump()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        DataVersion.bump()
        super().delete_queryset(request, queryset)


@admin.register(Return)
class ReturnAdmin(VersionLockFirst, SafeImportExportAdmin, SimpleHistoryAdmin):
    """Returns in the admin obey the cycle's rules: a locked quarter refuses changes (Return.clean),
    and every save raises the version so that a form opened earlier cannot overwrite it."""

    resource_classes = [ValueResource]
    list_display = [
        "indicator",
        "period",
        "status",
        "entered_by",
        "submitted_at",
        "reviewed_by",
        "is_demonstration",
    ]
    list_filter = ["status", "is_demonstration", "period__kind"]
    search_fields = ["indicator__code", "indicator__title", "commentary"]
    list_select_related = ["indicator", "period", "entered_by", "reviewed_by"]
    autocomplete_fields = ["indicator", "period"]
    readonly_fields = ["version", "updated_at"]
    inlines = [ValueInline]

    def has_import_permission(self, request):
        return False  # returns come in through the returns upload, which applies the entry rules

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.period_id:
            round_ = ReportingRound.objects.governing(obj.period)
            if round_ is not None and round_.is_locked:
                return False
        return super().has_delete_permission(request, obj)


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    list_display = ["period", "opens_on", "deadline", "state", "locked_by", "locked_at"]
    list_filter = ["state"]
    list_select_related = ["period", "locked_by"]
    autocomplete_fields = ["period"]


@admin.register(Value)
class ValueAdmin(VersionLockFirst, SafeImportExportAdmin, SimpleHistoryAdmin):
    resource_classes = [ValueResource]
    list_display = ["submission", "breakdown", "value", "numerator", "denominator"]
    list_filter = ["submission__status", "submission__is_demonstration"]
    search_fields = ["submission__indicator__code", "submission__indicator__title"]
    list_select_related = ["submission__indicator", "submission__period", "breakdown"]
    autocomplete_fields = ["submission"]

    def has_import_permission(self, request):
        return False  # figures come in through the returns upload, which applies the entry rules


@admin.register(DataVersion)
class DataVersionAdmin(admin.ModelAdmin):
    """Read only: the counter that caches of judged statuses are keyed on. It moves by itself."""

    list_display = ["number"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
