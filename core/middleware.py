"""Who may keep a copy of a response: the one place where the portal decides Cache-Control.

The rule, in order:

1. A response to a signed-in user, or to a request that carries credentials, is
   `Cache-Control: private, no-store`, whatever the view said: it may hold draft figures, names,
   queues for sign-off or a CSRF token, and must not stay in a shared cache, nor on the disk of a
   shared computer.
2. A response that sets a cookie or carries a CSRF token (the sign-in form, say) belongs to one
   visitor: `private, no-store` too.
3. A view that chose its own Cache-Control keeps it (the admin's never_cache pages, /healthz).
4. Any other successful GET or HEAD (the public pages and the open-data API, read anonymously) is
   `public, max-age=LUTON_PUBLIC_MAX_AGE` with `Vary: Cookie`, and gets an ETag of its body (unless
   it has one); a request whose If-None-Match names it, or whose If-Modified-Since is no older than
   its Last-Modified (the open data's: `portal.conditional`), is answered `304 Not Modified`.
5. Anything else (redirects, errors, form posts) is `private, no-store`.

Public pages are byte-identical for everyone (the content security policy allows the one inline
script by its hash, not a per-request nonce), so their ETag is meaningful. A whole-page cache of
public pages should store exactly what `is_public` lets through.
"""

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe

PRIVATE = {"private": True, "no_store": True}


def signed_in(request: HttpRequest) -> bool:
    """A signed-in user, or a request carrying credentials (an API token): its responses are private."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    if user is None:  # answered before authentication ran: judge by the session cookie
        return settings.SESSION_COOKIE_NAME in request.COOKIES
    try:
        return user.is_authenticated
    except DatabaseError:  # cannot tell, so treat it as private
        return True


def _personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Sets a cookie (a session, a message, the CSRF cookie) or used the CSRF token: one visitor's."""
    return bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def could_be_public(request: HttpRequest) -> bool:
    """Before anything runs (no session read yet): could the answer to this request be a public page?
    A GET or HEAD without credentials, a session, or a message waiting to be shown."""
    return request.method in ("GET", "HEAD") and not signed_in(request) and "messages" not in request.COOKIES


def is_public(request: HttpRequest, response: HttpResponse) -> bool:
    """May a shared cache keep this response and give it to anyone?"""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not signed_in(request)
        and not _personal(request, response)
        and not response.has_header("Cache-Control")
    )


def _set_private(response: HttpResponse) -> None:
    # Replace rather than merge: "public, max-age=..." from a view must not survive beside no-store.
    if response.has_header("Cache-Control"):
        del response["Cache-Control"]
    patch_cache_control(response, **PRIVATE)


class CacheHeadersMiddleware:
    """Sets Cache-Control (and ETag, with 304 answers) by the rule in this module's docstring.

    Placed before SessionMiddleware and CsrfViewMiddleware so that it sees the cookies they set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if signed_in(request) or _personal(request, response):
            _set_private(response)
            return response
        if response.has_header("Cache-Control"):
            return response
        if not is_public(request, response):
            _set_private(response)
            return response
        patch_cache_control(response, public=True, max_age=settings.LUTON_PUBLIC_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        if response.streaming:
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        modified = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
        return get_conditional_response(request, etag=response["ETag"], last_modified=modified, response=response)
