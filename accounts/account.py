"""The "Your account" page: who you are signed in as, and the settings that guard your account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from accounts.models import ApiToken
from accounts.tokens import do_create_token, do_revoke_token
from accounts.two_factor import app_device, needs_second_factor
from core.roles import is_performance_team, roles_of


@login_required
def account(request: HttpRequest, *, new_token: str = "") -> HttpResponse:
    """Who: any signed-in person, for their own account only."""
    user = request.user
    context = {
        "api_token": ApiToken.objects.filter(user=user).first(),
        "new_token": new_token,
        "roles": sorted(roles_of(user)),
        "device": app_device(user),
        "second_factor_required": needs_second_factor(user),
        "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
        "may_lift_locks": is_performance_team(user),
        "events": user.security_events.select_related("by")[:10],
    }
    return render(request, "accounts/account.html", context)


@require_POST
@login_required
def create_api_token(request: HttpRequest) -> HttpResponse:
    """Who: any signed-in person, for themselves. Shows the new key once, on this response only (never
    stored, never in a redirect or a message); any earlier key stops working."""
    key = do_create_token(user=request.user, by=request.user)
    return account(request, new_token=key)


@require_POST
@login_required
def revoke_api_token(request: HttpRequest) -> HttpResponse:
    """Who: any signed-in person, for their own key."""
    if do_revoke_token(user=request.user, by=request.user):
        messages.success(request, "Your API token is revoked: scripts using it are refused from now on.")
    return redirect("accounts:account")
