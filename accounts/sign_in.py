"""The one sign-in page, for the site and the admin alike: the password (behind django-axes' lockout),
then the second factor where the account has or needs one (accounts.two_factor)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.two_factor import has_second_factor, needs_second_factor


class SignInView(auth_views.LoginView):
    """Who: anyone. Signs in with username and password; ten failures for one username from one address
    lock that pair for a while (django-axes answers 429 with accounts/locked_out.html)."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "lockout_failures": settings.AXES_FAILURE_LIMIT}

    def form_valid(self, form):
        response = super().form_valid(form)  # signs in: the session now belongs to the user
        user = form.get_user()
        if has_second_factor(user):
            step = "accounts:two-factor-code"
        elif needs_second_factor(user):
            step = "accounts:two-factor-set-up"
        else:
            return response
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': self.get_success_url()})}")
