"""The public site and the dashboards in Chromium: the journeys people take, axe-core on every page
type, no console errors, and the same pages working with JavaScript switched off."""

import pytest

from core.roles import Role
from indicators.models import Return
from returns.models import ReportingRound
from tests.conftest import make_user, publish
from tests.page_types import DOCUMENT_PAGES

PAGE_TYPES = [
    "/",
    "/plans/laa-2008-11/",
    "/plans/laa-2008-11/scorecard/",
    "/plans/corporate-plan-2008-14/a-financially-sound-and-efficient-council/putting-customers-first/",
    "/indicators/ni-16/",
    "/partners/",
    "/partners/solutions/",
    "/plans/corporate-plan-2011-14/risks/",
    "/plans/corporate-plan-2008-14/assessment/",
    "/plans/corporate-plan-2008-14/timeline/",
    *DOCUMENT_PAGES,
    "/search/?q=crime",
    "/about/status/",
]


@pytest.fixture
def figures(committed_db):
    approver = make_user("site-approver", Role.PERFORMANCE_TEAM)
    member = make_user("site-member", Role.MEMBER)
    made = [
        publish("NI 16", "2010/11 Q1", "30.5", by=approver),
        publish("NI 16", "2010/11 Q2", "36.0", by=approver),
        publish("NI 192", "2010/11 Q2", "43.0", by=approver),
    ]
    yield
    Return.objects.filter(pk__in=[r.pk for r in made]).delete()
    ReportingRound.objects.filter(period__label__in=["2010/11 Q1", "2010/11 Q2"]).delete()
    approver.delete()
    member.delete()


def test_home_plan_outcome_indicator_partner(browser_page, figures):
    page = browser_page.page
    browser_page.goto("/")
    page.get_by_role("link", name="Luton's Local Area Agreement 2008 – 2011 (2nd revision 2009-10)").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Luton's Local Area Agreement 2008 – 2011 (2nd revision 2009-10)"
    )
    page.get_by_role("link", name="Scorecard: every indicator, target and status").click()
    row = page.get_by_role("row").filter(has_text="NI 16: Serious acquisitive crime")
    assert "Off track" in row.inner_text() and "Worsening" in row.inner_text()
    row.get_by_role("link").click()

    targets = page.get_by_role("table", name="Targets by year, as printed").inner_text()
    for printed in ("35.65 (6,660 offences)", "33.37 (6,235 offences)", "31.10 (5,810 offences)"):
        assert printed in targets
    assert page.get_by_role("img", name="NI 16: published figures and targets").count() == 1
    page.get_by_role("link", name="SoLUTiONS").click()

    assert page.get_by_role("heading", level=1).inner_text() == "SoLUTiONs"
    leads = page.get_by_role("row").filter(has_text="Lead partner")
    assert leads.count() == 6
    lead_text = " ".join(leads.nth(i).inner_text() for i in range(leads.count()))
    assert "NI 16: Serious acquisitive crime rate per 1,000 population" in lead_text


def test_members_dashboard_filters_and_drills_down(browser_page, login_as_member):
    page = browser_page.page
    browser_page.goto("/dashboard/?quarter=2010-11-q2")
    first_row = page.get_by_role("table", name="Indicators, exceptions first").get_by_role("row").nth(1)
    assert "NI 16:" in first_row.inner_text() and "Off track" in first_row.inner_text()
    browser_page.assert_accessible()

    page.get_by_label("Status").select_option("green")
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_role("table", name="Indicators, exceptions first").inner_text()
    assert "NI 192:" in table and "NI 16:" not in table
    page.get_by_role("link", name="NI 192: % of household waste sent for reuse, recycling and composting").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "% of household waste sent for reuse, recycling and composting"
    )


@pytest.fixture
def login_as_member(browser_page, figures):
    page = browser_page.page
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username").fill("site-member")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


# axe on every page type, at a phone's width and a laptop's: tests/browser/test_journeys.py.


def test_the_pages_work_with_javascript_off(browser, server, figures):
    context = browser.new_context(java_script_enabled=False, base_url=server.url)
    page = context.new_page()
    try:
        for path in PAGE_TYPES:
            response = page.goto(server.url + path)
            assert response.ok, path
        page.goto(server.url + "/search/?q=")
        page.get_by_label("Indicator code or words", exact=True).fill("NI 192")
        page.locator("#main-content").get_by_role("button", name="Search").click()
        assert page.url.endswith("/indicators/ni-192/")
    finally:
        context.close()


def test_the_partner_dashboard_passes_axe(browser_page, figures, committed_db):
    from partners.models import Partner

    user = make_user("site-partner", Role.PARTNER, partner=Partner.objects.get(slug="solutions"))
    try:
        page = browser_page.page
        browser_page.goto("/accounts/login/")
        page.get_by_label("Username").fill("site-partner")
        page.get_by_label("Password").fill("a-long-test-password")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Our targets").click()
        assert "NI 16" in page.get_by_role("table", name="Every target we signed up to").inner_text()
        browser_page.assert_accessible()
    finally:
        user.delete()
