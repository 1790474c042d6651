"""The "Your account" page: who you are signed in as, and the settings that guard your account."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_otp.plugins.otp_static.models import StaticToken

from accounts.two_factor import app_device, needs_second_factor
from core.roles import is_performance_team, roles_of


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Who: any signed-in person, for their own account only."""
    user = request.user
    context = {
        "roles": sorted(roles_of(user)),
        "device": app_device(user),
        "second_factor_required": needs_second_factor(user),
        "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
        "may_lift_locks": is_performance_team(user),
        "events": user.security_events.select_related("by")[:10],
    }
    return render(request, "accounts/account.html", context)
