from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, Profile, SecurityEvent
from accounts.tokens import do_revoke_token
from accounts.two_factor import do_reset_second_factor
from core.audit import Channel


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "partner"]
    list_filter = ["department", "partner"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "department", "partner"]
    autocomplete_fields = ["user", "partner"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """People's API tokens: who has one and when it was last used; an administrator may revoke one (a
    key left in a shared file, a leaver's script). Keys themselves are never stored, so never shown."""

    list_display = ["user", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        do_revoke_token(user=obj.user, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for token in queryset.select_related("user"):
            do_revoke_token(user=token.user, by=request.user)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The audit trail of sign-in security: read only."""

    list_display = ["at", "kind", "username", "by", "channel", "detail"]
    list_filter = ["kind", "channel"]
    search_fields = ["username", "detail"]
    list_select_related = ["by"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


User = get_user_model()


class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin, plus each account's two-factor state and the reset for a lost phone."""

    list_display = [*auth_admin.UserAdmin.list_display, "two_factor"]
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        confirmed_app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_app=Exists(confirmed_app))

    @admin.display(boolean=True, description="Two-factor", ordering="has_app")
    def two_factor(self, user) -> bool:
        return user.has_app

    @admin.action(description="Reset two-factor sign-in (lost phone)", permissions=["change"])
    def reset_second_factor(self, request, queryset) -> None:
        names = []
        for user in queryset:
            do_reset_second_factor(user=user, by=request.user, channel=Channel.ADMIN)
            self.log_change(request, user, "Reset two-factor sign-in (lost phone)")
            names.append(user.get_username())
        self.message_user(
            request,
            f"Reset two-factor sign-in for {', '.join(names)}: they will set up an authenticator app "
            "again when they next sign in.",
        )


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
