"""ETag and Last-Modified for the open data, from the data version: `304 Not Modified` in one query.

A public response of the open data (the API's public endpoints, the bulk downloads) is decided by the
URL, the representation asked for (Accept), the code and the data. The data version
(docs/decisions/0003) moves with every committed change to what they read, so a validator built from
it is known before the view runs: a client that already holds the response is answered 304 without
the view's queries. `core.middleware.CacheHeadersMiddleware` still decides Cache-Control; it keeps these
validators rather than hashing the body. Signed-in requests (a session, or an Authorization header)
are never answered from a validator: their responses are private.
"""

import functools
import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from core.middleware import signed_in
from core.release import code_release
from indicators.performance import data_version_and_changed_at


def validators(request: HttpRequest) -> tuple[str, int, str]:
    """The ETag (quoted) and Last-Modified (a timestamp in whole seconds, as HTTP dates are) of the
    public response to `request`, and the data version they were made from. One query."""
    version, data_changed_at = data_version_and_changed_at()
    release, code_changed_at = code_release()
    key = "|".join((release, version, request.get_full_path(), request.META.get("HTTP_ACCEPT", "")))
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    changed_at = max(filter(None, (data_changed_at, code_changed_at)))
    return etag, int(changed_at.timestamp()), version


def published_data(view):
    """Give the view's anonymous GET and HEAD responses validators from the data version, and answer a
    request that already holds the current response `304 Not Modified` before the view runs."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or signed_in(request):
            return view(request, *args, **kwargs)
        etag, last_modified, request.data_version = validators(request)  # the view may reuse the version
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _validated(not_modified, etag, last_modified)
        response = view(request, *args, **kwargs)
        return _validated(response, etag, last_modified) if response.status_code == 200 else response

    return wrapped


def _validated(response: HttpResponse, etag: str, last_modified: int) -> HttpResponse:
    # A 304 repeats the validators and Vary of the response it stands for.
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Accept"])
    return response
