"""/data/ and its files. Anyone may use them: everything here is published.

While the files of the latest publication are being built in the background, the previous build is
served (`portal.downloads.builds`), marked so that it is not kept as the current version's: the page
cache passes over a response with its own Cache-Control, and clients revalidate it on every use
(`no-cache`) against the earlier build's ETag and Last-Modified."""

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from portal.conditional import last_modified, published_data
from portal.downloads import builds
from portal.downloads.package import ZIP_NAME
from portal.downloads.tables import LICENCE, TABLES

CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json", ".zip": "application/zip"}


def _build(request: HttpRequest) -> builds.Build:
    # The version portal.conditional read for the validators, if it did: no second query.
    if hasattr(request, "data_version"):
        return builds.current_build(version=request.data_version, changed_at=request.data_changed_at)
    return builds.current_build()


def _as_previous(request: HttpRequest, response: HttpResponse, build: builds.Build) -> HttpResponse:
    """An earlier publication's file or page: validators of its own, and for no cache to keep as current."""
    response["Cache-Control"] = "public, no-cache"
    response["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
    response["Last-Modified"] = http_date(last_modified(build.changed_at))
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified(build.changed_at), response=response
    )


@published_data
def open_data(request: HttpRequest) -> HttpResponse:
    """Who: anyone. The bulk downloads: each table's CSV, the ZIP with its data package, the licence."""
    build = _build(request)
    response = render(
        request,
        "portal/open_data.html",
        {
            "tables": [(table, len(build.files[table.filename])) for table in TABLES],
            "zip_name": ZIP_NAME,
            "zip_size": build.size,
            "licence": LICENCE,
            "build": build,
        },
    )
    return response if build.current else _as_previous(request, response, build)


@published_data
def open_data_file(request: HttpRequest, filename: str) -> HttpResponse:
    """Who: anyone. One file of the bulk download: a table's CSV, datapackage.json or the ZIP."""
    build = _build(request)
    if filename not in build.files:
        raise Http404("No such file in the open data.")
    response = HttpResponse(build.files[filename], content_type=CONTENT_TYPES[filename[filename.rindex(".") :]])
    if not filename.endswith(".json"):
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response if build.current else _as_previous(request, response, build)
