"""The pages people see when something fails: words, never a traceback (the details go to the log).

Django calls `server_error` for any exception a view or middleware did not handle (DEBUG off). A
database that went away or refused the query (OperationalError, InterfaceError: a restart, a
failover, a dropped connection) is a 503 "try again shortly"; anything else is a 500. Both pages
render from templates alone, without the request's context processors, because those query the
database. The transaction of the failed request was rolled back, and Django replaces a broken
connection before the next request (CONN_HEALTH_CHECKS), so the portal recovers by itself.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from core.logging import current_request_id

RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """Who: anyone whose request failed. 503 when the database is unavailable, else 500."""
    unavailable = database_unavailable(sys.exception())
    status = 503 if unavailable else 500
    request_id = getattr(request, "request_id", None) or current_request_id()
    if request.path.startswith("/api/"):
        detail = (
            "The service is unavailable for a moment. Nothing was changed by this request: try again shortly."
            if unavailable
            else "Something went wrong on our side. Nothing was changed by this request."
        )
        response = JsonResponse({"detail": detail, "request_id": request_id}, status=status)
    else:
        template = loader.get_template("503.html" if unavailable else "500.html")
        response = HttpResponse(template.render({"request_id": request_id}), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def not_found(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """Who: anyone asking for something that is not there. Under /api/ the answer is JSON, as every
    other API answer is (a path that matches no endpoint, e.g. a slug with a dot in it); elsewhere the
    404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found: no API endpoint or record has this address."}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
