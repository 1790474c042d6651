"""Issue 11 in Chromium: a member opens the LAA's pack from the list of packs, reads it on a phone and a
laptop (axe finds nothing, nothing scrolls sideways), and downloads its spreadsheet and its PDF."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.roles import Role
from indicators.models import Return
from returns.models import ReportingRound
from tests.browser.layout import check_layout
from tests.conftest import make_user, publish
from tests.test_reports import QUARTERS, SERIES


@pytest.fixture(scope="module")
def pack_data(django_db_setup, django_db_blocker):
    """A year of four LAA indicators' figures, a member and a pack issued to a meeting (committed for the live
    server; removed after)."""
    from django.core.files.storage import default_storage

    from reports.models import IssuedFile, IssuedPack
    from tests.test_reports_issuing import store_issued_file

    with django_db_blocker.unblock():
        approver = make_user("pack-approver", Role.PERFORMANCE_TEAM)
        users = [approver, make_user("pack-member", Role.MEMBER)]
        made = [
            publish(code, quarter, value, by=approver)
            for code, values in SERIES.items()
            for quarter, value in zip(QUARTERS, values, strict=True)
        ]
        issued = store_issued_file()  # its checksum must wrap on a phone
    yield
    with django_db_blocker.unblock():
        default_storage.delete(issued.file.name)
        IssuedFile.objects.filter(pk=issued.pk).delete()
        IssuedPack.objects.filter(pk=issued.pack_id).delete()
        issued.pack.issued_by.delete()
        Return.objects.filter(pk__in=[r.pk for r in made]).delete()
        ReportingRound.objects.filter(period__label__in=QUARTERS).delete()
        for user in users:
            user.delete()


@pytest.fixture
def member_page(browser, server, pack_data):
    from tests.browser.conftest import BrowserPage

    contexts = []

    def open_at(width: int) -> BrowserPage:
        context = browser.new_context(
            bypass_csp=True, base_url=server.url, viewport={"width": width, "height": 900}, accept_downloads=True
        )
        contexts.append(context)
        page = BrowserPage(context.new_page(), server.url)
        page.goto("/accounts/login/")
        page.page.get_by_label("Username").fill("pack-member")
        page.page.get_by_label("Password").fill("a-long-test-password")
        page.page.get_by_role("button", name="Sign in").click()
        page.page.wait_for_load_state()
        return page

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_member_opens_the_laa_pack_and_downloads_its_spreadsheet_and_pdf(member_page, width):
    browser_page = member_page(width)
    page = browser_page.page
    browser_page.goto("/reports/")
    check_layout(browser_page, width)  # the issued pack's checksum too
    assert page.get_by_role("heading", name="Issued to meetings").count() == 1
    page.get_by_role("link", name="Luton's Local Area Agreement 2008 – 2011 (2nd revision 2009-10), 2010/11 Q2").click()
    page.wait_for_url("**/reports/laa-2008-11/2010-11-q2/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Luton's Local Area Agreement")
    assert page.get_by_role("img", name="Luton's Local Area Agreement 2008 – 2011 (2nd revision 2009-10), "
                            "2010/11 Q2: indicators by status").count() == 1
    full_table = page.locator("section").filter(has=page.get_by_role("heading", name="All indicators", exact=True))
    row = full_table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="NI 156", exact=False))
    assert "Off track" in row.first.inner_text()
    check_layout(browser_page, width)
    assert browser_page.console_errors == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Spreadsheet (XLSX)").click()
    assert download.value.suggested_filename == "laa-2008-11-2010-11-q2.xlsx"
    with open(download.value.path(), "rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    assert "Indicators" in workbook.sheetnames

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "laa-2008-11-2010-11-q2.pdf"
    with open(download.value.path(), "rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    assert reader.metadata.title.endswith("performance report, 2010/11 Q2")


def test_the_pack_prints_each_section_on_a_new_page_without_the_sites_header(member_page):
    browser_page = member_page(1280)
    page = browser_page.page
    browser_page.goto("/reports/laa-2008-11/2010-11-q2/")
    page.emulate_media(media="print")
    assert not page.locator(".govuk-template__header").is_visible()
    assert not page.get_by_role("link", name="Spreadsheet (XLSX)").is_visible()
    breaks = page.locator(".luton-pack__section").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    # Summary, exceptions, reward grant (the LAA's), all indicators, actions, risks, data notes, how to read.
    assert breaks == ["page"] * 8
