from django.apps import AppConfig


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
