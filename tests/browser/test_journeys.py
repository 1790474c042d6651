"""Issue 15 in Chromium, on a 390 px phone and a 1280 px laptop: no page scrolls sideways, wide tables
stack or scroll in a labelled region with a hint, status tags keep to one line, axe finds nothing; the
chart's ticks are nice, its labels never overlap and its text is at least 12 px on a phone."""

import itertools
import re
from decimal import Decimal

import pytest

from core.roles import Role
from indicators.models import Return
from partners.models import Partner
from returns.models import ReportingRound
from tests.browser.layout import CHART_TEXT, check_layout, overlap
from tests.conftest import make_user, publish
from tests.page_types import DOCUMENT_PAGES

WIDTHS = [390, 1280]
PUBLIC = [
    "/",
    "/plans/laa-2008-11/",
    "/plans/corporate-plan-2011-14/",
    "/plans/laa-2008-11/scorecard/",
    "/plans/corporate-plan-2008-14/a-financially-sound-and-efficient-council/putting-customers-first/",
    "/indicators/ni-16/",
    "/partners/",
    "/partners/solutions/",
    "/plans/corporate-plan-2011-14/risks/",
    "/plans/corporate-plan-2008-14/risks/",
    "/plans/corporate-plan-2008-14/assessment/",
    "/plans/corporate-plan-2008-14/timeline/",
    *DOCUMENT_PAGES,
    "/data/",
    "/search/?q=crime",
    "/about/status/",
    "/accounts/login/",
]
SIGNED_IN = [("/dashboard/", "journey-member"), ("/partners/my-targets/", "journey-partner")]
NI_16 = ["35.2", "36.3", "36", "35.3", "38.4", "34", "33.6", "33.1", "31.4", "30.7"]
QUARTERS = [f"{year} Q{q}" for year in ("2008/09", "2009/10", "2010/11") for q in (1, 2, 3, 4)][: len(NI_16)]


@pytest.fixture(scope="module")
def journey_data(django_db_setup, django_db_blocker):
    """Ten quarters of NI 16, a figure of NI 192, and a member and a partner user (committed for the
    live server; removed afterwards)."""
    with django_db_blocker.unblock():
        approver = make_user("journey-approver", Role.PERFORMANCE_TEAM)
        users = [
            approver,
            make_user("journey-member", Role.MEMBER),
            make_user("journey-partner", Role.PARTNER, partner=Partner.objects.get(slug="solutions")),
        ]
        made = [publish("NI 16", quarter, value, by=approver) for quarter, value in zip(QUARTERS, NI_16, strict=True)]
        made.append(publish("NI 192", "2010/11 Q2", "43.0", by=approver))
    yield
    with django_db_blocker.unblock():
        Return.objects.filter(pk__in=[r.pk for r in made]).delete()
        ReportingRound.objects.filter(period__label__in=QUARTERS).delete()
        for user in users:
            user.delete()


@pytest.fixture
def at_width(browser, server, journey_data):
    """A page at a viewport width, signed in as a user if asked; console errors fail the test."""
    contexts, pages = [], []

    def open_at(width: int, *, user: str | None = None, javascript: bool = True):
        from tests.browser.conftest import BrowserPage

        context = browser.new_context(
            bypass_csp=True, base_url=server.url, viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = BrowserPage(context.new_page(), server.url)
        pages.append(page)
        if user:
            page.goto("/accounts/login/")
            page.page.get_by_label("Username").fill(user)
            page.page.get_by_label("Password").fill("a-long-test-password")
            page.page.get_by_role("button", name="Sign in").click()
            page.page.wait_for_load_state()
        return page

    yield open_at
    for context in contexts:
        context.close()
    assert [e for page in pages for e in page.console_errors] == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PUBLIC)
def test_1_public_pages_fit_the_screen_and_pass_axe(at_width, path, width):
    browser_page = at_width(width)
    browser_page.goto(path)
    check_layout(browser_page, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "user"), SIGNED_IN)
def test_1_the_dashboards_fit_the_screen_and_pass_axe(at_width, path, user, width):
    browser_page = at_width(width, user=user)
    browser_page.goto(path)
    check_layout(browser_page, width)


def test_1_a_wide_table_on_a_phone_scrolls_in_its_region_with_a_hint(at_width):
    browser_page = at_width(390)
    browser_page.goto("/indicators/ni-16/")
    region = browser_page.page.get_by_role("region", name="Published figures by period (the figures in the chart)")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # it does not fit: it scrolls, inside the region
    assert browser_page.page.get_by_text("Scroll the table sideways to see all its columns.").first.is_visible()
    region.focus()
    browser_page.page.keyboard.press("ArrowRight")
    # A keyboard can scroll it (the browser scrolls smoothly: wait for it).
    region.evaluate("r => new Promise(done => { const t = Date.now(); (function poll() { "
                    "r.scrollLeft > 0 || Date.now() - t > 3000 ? done() : requestAnimationFrame(poll); })(); })")
    assert region.evaluate("r => r.scrollLeft") > 0


def test_1_on_a_phone_the_scorecard_stacks_each_row_with_its_column_names(at_width):
    browser_page = at_width(390)
    browser_page.goto("/plans/laa-2008-11/scorecard/")
    page = browser_page.page
    row = page.get_by_role("row").filter(has_text="NI 16: Serious acquisitive crime").first
    # One cell under another, each led by its column's name (which stays in the accessible name).
    lefts = row.evaluate("r => Array.from(r.cells).map(c => Math.round(c.getBoundingClientRect().left))")
    assert len(set(lefts)) == 1
    assert row.get_by_role("cell", name="Status: On track").count() == 1
    assert row.get_by_role("cell", name="Target: 31.10 (5,810 offences)").count() == 1


# ---- 2 and 15: the chart --------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_2_the_chart_has_nice_ticks_labels_that_never_overlap_and_readable_text(at_width, width):
    browser_page = at_width(width)
    browser_page.goto("/indicators/ni-16/")
    page = browser_page.page
    chart = page.get_by_role("img", name="NI 16: published figures and targets", exact=True)
    assert chart.count() == 1  # one drawing shown at each width; its name is the title alone
    texts = chart.evaluate(CHART_TEXT)
    axis = [t for t in texts if t["axis"]]
    y_ticks = [Decimal(t["text"]) for t in axis if t["anchor"] == "end" and not t["rotated"]]
    steps = {b - a for a, b in itertools.pairwise(sorted(y_ticks))}
    assert len(y_ticks) >= 3 and len(steps) == 1
    step = steps.pop()
    assert step.scaleb(-step.adjusted()).normalize() in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
    years = [t["text"] for t in axis if re.fullmatch(r"\d{4}/\d\d", t["text"])]
    assert years == ["2008/09", "2009/10", "2010/11"]
    for a, b in itertools.combinations(axis, 2):
        assert not overlap(a, b), f"axis labels {a['text']!r} and {b['text']!r} overlap at {width} px"
    latest = [t for t in texts if t["text"] == "30.7"]
    assert latest and not any(overlap(latest[-1], t) for t in axis)  # the latest figure, labelled, clear
    assert min(t["px"] for t in texts) >= 12, f"chart text smaller than 12 px at {width} px"
    figure = page.get_by_role("figure")
    assert "The dashed blue line is the target" in figure.inner_text()


def test_2_the_chart_shows_without_javascript_at_phone_size(at_width):
    browser_page = at_width(390, javascript=False)
    browser_page.goto("/indicators/ni-16/")
    chart = browser_page.page.get_by_role("img", name="NI 16: published figures and targets", exact=True)
    assert chart.count() == 1 and chart.bounding_box()["width"] <= 360


# ---- 10: search from the header of any page ---------------------------------------------------------


def test_10_the_header_searches_from_any_page_on_a_phone(at_width):
    browser_page = at_width(390)
    browser_page.goto("/partners/solutions/")
    page = browser_page.page
    page.get_by_role("search", name="Site").get_by_label("Search by indicator code or words").fill("NI 192")
    page.keyboard.press("Enter")
    page.wait_for_url("**/indicators/ni-192/")
    assert page.get_by_role("heading", level=1).inner_text() == "% of household waste sent for reuse, recycling and composting"
