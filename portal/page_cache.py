"""Public pages cached whole, under the publication version.

A public page (anything `core.middleware.is_public` lets a shared cache keep: an anonymous GET that
sets no cookie) is the same bytes for every visitor, and changes only when something published
changes (indicators/publication.py moves `DataVersion.published` then). So the first anonymous
request for a page after a publication renders it (or the warming task has: portal/warming.py); every
other is answered from the cache, gzip-compressed when the browser accepts it, with no database query
at all most of the time: the version is re-read at most every LUTON_PUBLICATION_POLL_MS (one second)
per process, so a publication reaches visitors within that second. Drafts and submissions do
not move the version: an officer's saving never empties the public cache.

The key holds everything a public page may depend on besides the data: the scheme and host (absolute
links), the path and query, the Accept header (the API's format), and today's date (deadlines and
"latest period" read the date). Entries of superseded versions are never read again and expire.

Signed-in people, requests with a session or messages cookie, and anything not public bypass it:
their pages are rendered every time, with their own finer caches (docs/decisions/0003). Requests that
may be public read from the read replica when there is one (core/routers.py).
"""

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from core.middleware import could_be_public, is_public
from core.routers import public_reads
from indicators.models import DataVersion

API_PATH = "/api/"
COMPRESSIBLE = ("text/", "application/json", "application/vnd.oai.openapi", "image/svg+xml")
MIN_COMPRESS_BYTES = 500


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes | None
    etag: str

    @classmethod
    def of(cls, response: HttpResponse) -> "CachedPage":
        body = response.content
        compress = len(body) >= MIN_COMPRESS_BYTES and response.get("Content-Type", "").startswith(COMPRESSIBLE)
        headers = tuple((name, value) for name, value in response.items() if name.lower() not in ("content-length",))
        return cls(
            status=response.status_code,
            headers=headers,
            body=body,
            # mtime=0: the same page compresses to the same bytes, so its ETag is stable across workers.
            gzipped=gzip.compress(body, compresslevel=6, mtime=0) if compress else None,
            etag=hashlib.blake2b(body, digest_size=16).hexdigest(),
        )

    def response(self, *, gzip_ok: bool) -> HttpResponse:
        compressed = gzip_ok and self.gzipped is not None
        response = HttpResponse(self.gzipped if compressed else self.body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        # Each representation its own strong ETag: the bytes differ.
        response["ETag"] = f'"{self.etag}-gzip"' if compressed else f'"{self.etag}"'
        if compressed:
            response["Content-Encoding"] = "gzip"
        if self.gzipped is not None:
            patch_vary_headers(response, ["Accept-Encoding"])
        response["Content-Length"] = str(len(response.content))
        return response


def page_key(request: HttpRequest, version: int) -> str:
    # Only the API answers in more than one format (JSON, or its browsable HTML), chosen by the Accept
    # header; every other page is the same whatever a browser accepts, so one entry serves them all
    # (browsers each send their own Accept) and warming (portal/warming.py) fills it for everyone.
    accept = request.META.get("HTTP_ACCEPT", "") if request.path.startswith(API_PATH) else ""
    parts = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            accept,
            timezone.localdate().isoformat(),
        ]
    )
    return f"page:{version}:{hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()}"


class PublicPageCacheMiddleware:
    """Answers public pages from the page cache (see the module's docstring).

    Sits just inside core.middleware.CacheHeadersMiddleware, which then adds Cache-Control and answers
    a conditional request with 304; and outside sessions and authentication, which a public page does
    not need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not could_be_public(request):
            return self.get_response(request)
        with public_reads():  # from the read replica, if there is one (core/routers.py)
            return self._public(request)

    def _public(self, request: HttpRequest) -> HttpResponse:
        if not settings.LUTON_PAGE_CACHE:
            return self.get_response(request)
        cache = caches["pages"]
        key = page_key(request, DataVersion.recent_publication())
        gzip_ok = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        page = _recent.get(key)
        if page is None:
            page = cache.get(key)
        if page is None:
            response = self.get_response(request)
            if response.streaming or not is_public(request, response):
                return response
            page = CachedPage.of(response)
            cache.set(key, page, timeout=settings.LUTON_PAGE_CACHE_SECONDS)
        _recent.put(key, page)
        return page.response(gzip_ok=gzip_ok)


class _Recent:
    """The pages this process served last, in front of the shared cache: a key holds its version, so an
    entry is never stale, and the busiest pages cost no trip to Redis. Bounded; least recent out first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[str, CachedPage] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> CachedPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


_recent = _Recent(size=200)


def forget_recent_pages() -> None:
    """Empty this process's front of the page cache (tests and the benchmark, which roll data back)."""
    _recent.clear()
