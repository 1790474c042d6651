from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default = True

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import (
            locks,  # noqa: F401 - connects the receivers that log failures and locks
            sessions,
        )

        user_logged_in.connect(sessions.on_sign_in, dispatch_uid="accounts.sessions.on_sign_in")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on the portal's own site class: one sign-in, and the second factor required."""

    default = False
    default_site = "accounts.admin_site.PortalAdminSite"
