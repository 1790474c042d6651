"""Who a request came from: one rule for the sign-in lockout, the request log and the API's throttles."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    Behind the council's load balancer (DJANGO_BEHIND_PROXY=1) it is the last address in
    X-Forwarded-For, the one the balancer itself added; anything before it is the client's own claim.
    Otherwise X-Forwarded-For is ignored altogether, as DRF's throttles do with NUM_PROXIES=0.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")
