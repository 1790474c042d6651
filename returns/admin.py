"""The returns cycle in the admin. Workflow fields (a return's status, a round's state) are read-only
here: they change only through the cycle's own pages and actions, which check who may do what. The
admin may correct figures and dates, and refuses to while the quarter is locked."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.importing import SafeImportExportAdmin
from indicators.models import Return, Value
from indicators.resources import ValueResource
from returns.models import ActionUpdate, ReminderLog, ReportingRound

WORKFLOW_FIELDS = ["status", "entered_by", "submitted_at", "reviewed_by", "reviewed_at", "return_reason"]


class RefuseWhenLockedForm(forms.ModelForm):
    """A change to anything of a locked quarter is refused, whichever admin page it comes from."""

    def clean(self):
        data = super().clean()
        period = self._period(data)
        if period is not None:
            ReportingRound.objects.refuse_if_locked(period)
        return data

    def _period(self, data):
        if isinstance(self.instance, Value):
            submission = data.get("submission") or (self.instance.submission if self.instance.submission_id else None)
            return submission.period if submission else None
        return data.get("period") or (self.instance.period if self.instance.period_id else None)


class ValueInline(admin.TabularInline):
    model = Value
    form = RefuseWhenLockedForm
    extra = 0
    fields = ["breakdown", "value", "numerator", "denominator"]


def _locked(period) -> bool:
    round_ = ReportingRound.objects.governing(period) if period is not None else None
    return round_ is not None and round_.is_locked


@admin.register(Return)
class ReturnAdmin(SafeImportExportAdmin, SimpleHistoryAdmin):
    """Corrections to a return's figures and words. Its status changes only through sign-off
    (/returns/sign-off/); a locked quarter refuses changes; every save raises the version so that a
    form opened earlier cannot overwrite it."""

    form = RefuseWhenLockedForm
    resource_classes = [ValueResource]
    list_display = ["indicator", "period", "status", "entered_by", "submitted_at", "reviewed_by", "is_demonstration"]
    list_filter = ["status", "is_demonstration", "period__kind"]
    search_fields = ["indicator__code", "indicator__title", "commentary"]
    list_select_related = ["indicator", "period", "entered_by", "reviewed_by"]
    autocomplete_fields = ["indicator", "period"]
    readonly_fields = [*WORKFLOW_FIELDS, "version", "updated_at"]
    inlines = [ValueInline]

    def has_import_permission(self, request):
        return False  # returns come in through the returns upload, which applies the entry rules

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.period_id and _locked(obj.period):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Value)
class ValueAdmin(SafeImportExportAdmin, SimpleHistoryAdmin):
    form = RefuseWhenLockedForm
    resource_classes = [ValueResource]
    list_display = ["submission", "breakdown", "value", "numerator", "denominator"]
    list_filter = ["submission__status", "submission__is_demonstration"]
    search_fields = ["submission__indicator__code", "submission__indicator__title"]
    list_select_related = ["submission__indicator", "submission__period", "breakdown"]
    autocomplete_fields = ["submission"]

    def has_import_permission(self, request):
        return False  # figures come in through the returns upload, which applies the entry rules

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _locked(obj.submission.period):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    """Dates only: opening, locking and reopening happen on /returns/rounds/, which checks that nothing
    waits for sign-off and records the reason for a reopening."""

    list_display = ["period", "opens_on", "deadline", "state", "locked_by", "locked_at"]
    list_filter = ["state"]
    list_select_related = ["period", "locked_by"]
    autocomplete_fields = ["period"]
    readonly_fields = ["state", "locked_at", "locked_by", "reopen_reason"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    """Corrections to an update's words and dates; its status changes only through sign-off."""

    list_display = ["action", "period", "progress", "percent_complete", "status", "entered_by"]
    list_filter = ["status", "progress"]
    search_fields = ["action__text", "commentary"]
    list_select_related = ["action", "period", "entered_by"]
    autocomplete_fields = ["action", "period"]
    readonly_fields = [*WORKFLOW_FIELDS, "version", "updated_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["user", "round", "kind", "sent_on"]
    list_filter = ["kind"]
    list_select_related = ["user", "round__period"]
