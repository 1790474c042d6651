"""A report pack as a tagged PDF (PDF/UA-1), drawn by WeasyPrint from the pack's own HTML.

The document is the web page's body (templates/reports/pack_body.html) in a page of its own with the
site's stylesheet and the pack's print stylesheet: A4, each section on a new page, the full table on a
landscape page, the pack's title as a running header and "Page n of m" at the foot. PDF/UA gives the
structure tree (headings, tables with their header cells, figures), the document's language and title,
and bookmarks from the headings; each chart is an image named and described in words.

WeasyPrint fetches nothing but the portal's own static files (`StaticFilesOnly`): a pack's text cannot
make the server request a URL.
"""

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.contents import Pack

PDF_VARIANT = "pdf/ua-1"


class StaticFilesOnly(URLFetcher):
    """Serves the stylesheets the document links to from the static files; refuses any other URL."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = urlsplit(url).path
        if not path.startswith(settings.STATIC_URL):
            raise ValueError(f"report packs fetch only the portal's static files, not {url}")
        name = path.removeprefix(settings.STATIC_URL)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, static_file(name), {"Content-Type": content_type})


def static_file(name: str) -> bytes:
    """A static file's bytes: collected, or (DEBUG serves the plain names) from the source folders."""
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as file:
            return file.read()
    found = finders.find(name)
    if not found:
        raise ValueError(f"no static file {name}")
    with open(found, "rb") as file:
        return file.read()


STYLESHEETS = ("govuk/luton.css", "reports/pack.css")  # what the document links to, in order


def document_html(pack: Pack, *, chart: dict, inline_styles: bool = False) -> str:
    """The pack as a document of its own (the PDF's source): linking to the site's stylesheets, or with
    them inside it (`inline_styles`: an issued pack's HTML, readable without the site)."""
    styles = "\n".join(static_file(name).decode() for name in STYLESHEETS) if inline_styles else ""
    return render_to_string("reports/pack_document.html", {"pack": pack, "chart": chart, "styles": styles})


def pdf_from_html(html: str, *, base_url: str) -> bytes:
    """A document as PDF/UA. `base_url` (the site's address) makes the document's links absolute."""
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly(), media_type="print")
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def pdf_bytes(pack: Pack, *, chart: dict, base_url: str) -> bytes:
    """The pack as PDF/UA."""
    return pdf_from_html(document_html(pack, chart=chart), base_url=base_url)
