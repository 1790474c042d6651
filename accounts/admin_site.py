"""The admin site's sign-in rule, which luton_plan/admin.py builds the portal's site on: reachable only by
staff who signed in with both factors, through the portal's sign-in."""

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class SecureAdminSite(AdminSite):
    site_header = "Luton Plan administration"
    site_title = "Luton Plan admin"

    def has_permission(self, request: HttpRequest) -> bool:
        verified = getattr(request.user, "is_verified", lambda: False)()
        return super().has_permission(request) and verified

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """The admin has no password form of its own: the portal's sign-in (with its lockout and second
        factor) serves both, so there is one door to guard. Nothing posted here is ever checked."""
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("login"))
