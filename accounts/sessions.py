"""How long a sign-in lasts: 30 minutes without a request, and 12 hours from signing in at most.

Django's own session expiry is neither (it counts from the last time the session was saved), so the
portal keeps both times in the session and signs the person out when either limit is passed. The
session cookie's own lifetime is the absolute limit, so a browser forgets it by then too.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "luton_signed_in_at"
LAST_SEEN = "luton_last_seen"
# The last-seen time is written at most this often, so that most requests do not save the session.
_LAST_SEEN_RESOLUTION = 60


def start(request: HttpRequest) -> None:
    """Start the clock of a new sign-in."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def on_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver of user_logged_in: every way of signing in starts the clock."""
    start(request)


def expired(request: HttpRequest, now: float) -> str | None:
    """Why this sign-in has ended, in words, or None while it lasts."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    last_seen = request.session.get(LAST_SEEN)
    if signed_in_at is None or last_seen is None:
        return None
    if now - signed_in_at > settings.LUTON_SESSION_MAX_HOURS * 3600:
        return f"You were signed out because you signed in more than {settings.LUTON_SESSION_MAX_HOURS} hours ago."
    if now - last_seen > settings.LUTON_SESSION_IDLE_MINUTES * 60:
        return f"You were signed out after {settings.LUTON_SESSION_IDLE_MINUTES} minutes without activity."
    return None


class SessionLimitsMiddleware:
    """Signs out a session past either limit; the request then goes on as an anonymous one (a private
    page sends the person to sign in again, with a message saying why)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            reason = expired(request, now)
            if reason is not None:
                logout(request)
                messages.info(request, reason)
            elif request.session.get(SIGNED_IN_AT) is None:
                start(request)  # a session from before these limits, or made without the sign-in page
            elif now - request.session[LAST_SEEN] >= _LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
