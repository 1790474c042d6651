from django.urls import path

from accounts import account, locks, passwords, two_factor

app_name = "accounts"
urlpatterns = [
    path("", account.account, name="account"),
    path("password/", passwords.PasswordChangeView.as_view(), name="password-change"),
    path("two-factor/code/", two_factor.code, name="two-factor-code"),
    path("two-factor/set-up/", two_factor.set_up, name="two-factor-set-up"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="recovery-codes"),
    path("api-token/", account.create_api_token, name="create-api-token"),
    path("api-token/revoke/", account.revoke_api_token, name="revoke-api-token"),
    path("locks/", locks.locks, name="locks"),
    path("locks/<int:pk>/lift/", locks.lift_lock, name="lift-lock"),
]
