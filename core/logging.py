"""Structured logs: one JSON line per request, and the request's id on every line logged while it runs.

The request id comes back to the client in the X-Request-ID header, and the 500 and 503 pages quote
it, so that a person reporting a problem can point to its lines in the log. Behind the council's load
balancer (DJANGO_BEHIND_PROXY=1) an X-Request-ID it sends is kept, so one id follows the request
through both; otherwise the portal makes its own.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.network import client_address

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

logger = logging.getLogger("luton.requests")


def current_request_id() -> str | None:
    """The id of the request being served on this thread, if any."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request: commands, start-up)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def _signed_in_user_id(request: HttpRequest) -> int | None:
    # Only a user the request already loaded: logging must not query the database (which may be
    # the thing that just failed). AuthenticationMiddleware keeps the loaded user here.
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """First in MIDDLEWARE: gives each request an id and logs one line when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        trusted = getattr(settings, "BEHIND_PROXY", False) and _VALID_ID.match(offered)
        request_id = offered if trusted else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _signed_in_user_id(request),
                    "client": client_address(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)
