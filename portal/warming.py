"""Warming the page cache after a publication, so that no visitor pays for the first request.

When the publication version moves (indicators.models.versions.publication_moved, sent once the change
is committed), a background task (portal/tasks.py) renders every page the sitemap lists through the
whole middleware stack, as an anonymous visitor at the site's public address (LUTON_PUBLIC_URL), and
the page cache keeps each under the new version, exactly as if a visitor had asked.

Only worth doing when the page cache is shared (Redis, REDIS_URL): a worker's own memory is no use to
the web servers. Without it nothing is enqueued.
"""

import io
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import WSGIHandler

from indicators.models import DataVersion
from portal.sitemaps import public_paths

logger = logging.getLogger(__name__)


def page_cache_is_shared() -> bool:
    return settings.LUTON_PAGE_CACHE and not isinstance(caches["pages"], LocMemCache)


@dataclass(frozen=True)
class Warmed:
    version: int
    pages: int = 0
    failed: int = 0
    superseded: bool = False  # a newer publication came along: its own task warms for it


def warm_public_pages(version: int) -> Warmed:
    """Render the public pages for publication `version`; stop early once it is no longer current."""
    base = urlsplit(settings.LUTON_PUBLIC_URL)
    handler = WSGIHandler()
    warmed = failed = 0
    started = time.monotonic()
    for path in public_paths():
        if DataVersion.current_publication() != version:
            return Warmed(version, warmed, failed, superseded=True)
        status = _get(handler, base, path)
        if status == 200:
            warmed += 1
        else:
            failed += 1
            logger.warning("Warming %s answered %s", path, status)
    logger.info("Warmed %s public pages for publication %s in %.1f s", warmed, version, time.monotonic() - started)
    return Warmed(version, warmed, failed)


def _get(handler: WSGIHandler, base, path: str) -> int:
    """One anonymous GET through the whole stack, as a browser at the public address sends it."""
    secure = base.scheme == "https"
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": base.hostname,
        "SERVER_PORT": str(base.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": base.netloc,
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "HTTP_X_FORWARDED_PROTO": base.scheme,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": base.scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    answered: list[str] = []
    body = handler(environ, lambda status, headers, exc_info=None: answered.append(status))
    try:
        b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(answered[0].split()[0])
