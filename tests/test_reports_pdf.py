"""Report packs as tagged PDF (issue 11): read back with pypdf and checked against the database and the
indicator pages: PDF/UA-1, structure tree, language, title, bookmarks following the headings, table
header cells, the chart's text alternative, page numbers, and each figure and target as the site shows
them."""

import io

import pytest
from pypdf import PdfReader

from core.roles import Role
from indicators.models import Return
from reports.pdf import StaticFilesOnly
from tests.conftest import make_user, publish
from tests.test_reports import QUARTERS, SERIES, change


@pytest.fixture
def figures(db):
    approver = make_user("pdf-approver", Role.PERFORMANCE_TEAM)
    for code, values in SERIES.items():
        for quarter, value in zip(QUARTERS, values, strict=True):
            publish(code, quarter, value, by=approver)
    change(
        Return.objects.filter(indicator__code="NI 156", period__label="2010/11 Q2"),
        commentary="Applications rose after the Luton Road closures.",
    )


def read(response) -> PdfReader:
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def structure(reader: PdfReader) -> list:
    """Every structure element's type (and, for figures, its alternative text), depth first."""
    found = []

    def visit(node):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                found.append((node["/S"], node.get("/Alt")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                visit(kid)

    visit(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def outline(reader: PdfReader) -> list[tuple[int, str]]:
    titles = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                titles.append((depth, item.title))

    walk(reader.outline, 0)
    return titles


def test_the_laa_pack_is_a_tagged_accessible_pdf(client, figures):
    response = client.get("/reports/laa-2008-11/2010-11-q2.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="laa-2008-11-2010-11-q2.pdf"'
    reader = read(response)
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])  # pypdf's BooleanObject
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])  # viewers show the title, not the file name
    assert reader.metadata.title == (
        "Luton's Local Area Agreement 2008 – 2011 (2nd revision 2009-10): performance report, 2010/11 Q2"
    )
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data()
    elements = structure(reader)
    kinds = {kind for kind, _ in elements}
    assert {"/Document", "/H1", "/H2", "/Table", "/TH", "/TD", "/Caption", "/L", "/Figure"} <= kinds
    (chart_alt,) = [alt for kind, alt in elements if kind == "/Figure"]
    assert chart_alt.endswith("2010/11 Q2: indicators by status")
    # Bookmarks follow the headings: the sections under the title, the full table's headings under its own.
    titles = outline(reader)
    sections = [title for depth, title in titles if depth == 1]
    assert sections[-8:] == ["Summary", "Exceptions", "Reward grant", "All indicators", "Actions", "Risks",
                             "Data notes", "How to read this report"]
    assert titles[titles.index((1, "All indicators")) + 1] == (2, "Safer Stronger Communities")
    assert (3, "NI 156: Number of households living in temporary accommodation") in titles  # an exception


def test_the_pdf_holds_each_figure_and_target_as_the_indicator_pages_show_them(client, figures):
    reader = read(client.get("/reports/laa-2008-11/2010-11-q2.pdf"))
    # Words as the reader sees them: a cell's text may wrap onto a second line.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    pages = len(reader.pages)

    for code, latest, target in (("NI 16", "30.7", "31.10 (5,810 offences)"), ("NI 156", "660", "570"),
                                 ("NI 192", "42%", "42.57%"), ("NI 117", "6.2%", "6.2%")):
        indicator_page = client.get(f"/indicators/{code.lower().replace(' ', '-')}/").content.decode()
        assert latest in indicator_page, (code, latest)
        assert target in indicator_page, (code, target)
        assert latest in text and target in text, code
    assert "Applications rose after the Luton Road closures." in text
    assert "28.6: Likely to meet" in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert text.count("performance report, 2010/11 Q2") >= pages  # the running header on every page


def test_the_corporate_plan_2011_14_pack_is_a_pdf_too(client, figures):
    reader = read(client.get("/reports/corporate-plan-2011-14/2010-11-q2.pdf"))
    text = reader.pages[0].extract_text()
    assert "Corporate Plan" in text and "2010/11 Q2" in text
    assert any(title == "Housing and Community Living Department" for _, title in outline(reader))


def test_the_pdf_fetches_nothing_but_the_portals_static_files():
    fetcher = StaticFilesOnly()
    assert b".luton-pack" in fetcher.fetch("http://testserver/static/reports/pack.css").read()
    for url in ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "http://testserver/admin/"):
        with pytest.raises(ValueError, match="fetch only the portal's static files"):
            fetcher.fetch(url)
