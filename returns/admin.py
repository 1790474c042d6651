from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from returns.models import ActionUpdate, Profile, ReminderLog


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "partner"]
    list_filter = ["department", "partner"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "department", "partner"]
    autocomplete_fields = ["user", "partner"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "period", "progress", "percent_complete", "status", "entered_by"]
    list_filter = ["status", "progress"]
    search_fields = ["action__text", "commentary"]
    list_select_related = ["action", "period", "entered_by"]
    autocomplete_fields = ["action", "period"]
    readonly_fields = ["version", "updated_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["user", "round", "kind", "sent_on"]
    list_filter = ["kind"]
    list_select_related = ["user", "round__period"]
