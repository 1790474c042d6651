"""Last-Modified for the open data (the API's public endpoints and the bulk downloads).

ETags and `304 Not Modified` come from the mechanism every public page uses: the page cache keeps each
anonymous response whole under the publication version (`portal/page_cache.py`) with an ETag of its
bytes, and `core.middleware.CacheHeadersMiddleware` answers a request that names it with 304, in one
query. This adds the moment the response's data last changed, so that a client may ask with
If-Modified-Since too (the middleware honours it): when the publication version last moved
(`DataVersion.changed_at`), or when the code was deployed (`core.release`), whichever is later.

It also hands the view the version token it read and its moment (`request.data_version`,
`request.data_changed_at`), so that the view's own caches need no second query. A view that answers
with an earlier publication's data (the bulk downloads while the new files are built) sets its own.
Signed-in requests get neither: their responses are private.
"""

import functools

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from core.middleware import signed_in
from core.release import code_release
from indicators.performance import data_version_and_changed_at


def last_modified(data_changed_at) -> int:
    """Whole seconds, as HTTP dates are: the later of the data's last change and the code's."""
    _, code_changed_at = code_release()
    return int(max(filter(None, (data_changed_at, code_changed_at))).timestamp())


def published_data(view):
    """Give the view's anonymous successful GET and HEAD responses a Last-Modified from the publication
    version. One query (the version and when it moved), on a request the page cache did not answer."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or signed_in(request):
            return view(request, *args, **kwargs)
        request.data_version, changed_at = data_version_and_changed_at()
        request.data_changed_at = changed_at
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified(changed_at))
        return response

    return wrapped
