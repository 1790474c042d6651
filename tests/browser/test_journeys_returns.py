"""Issue 15's done-when for the signed-in returns pages, in Chromium at a 390 px phone and a 1280 px laptop:
no page scrolls sideways, wide tables stack or scroll in a named region, tags keep to one line, axe finds
nothing (tests/browser/layout.py, as for the public pages); the sign-off review's chart has readable text
and labels that never overlap; its reason box is revealed under "Return", and is there without JavaScript.
The members' and partners' dashboards are checked at both widths in tests/browser/test_journeys.py."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from core.roles import Role
from indicators.models import Indicator, ReportingPeriod, Return
from plans.models import Action, OrgUnit
from returns import actions
from returns.models import ReportingRound, RoundState
from tests.browser.conftest import BrowserPage
from tests.browser.layout import CHART_TEXT, check_layout, overlap
from tests.browser.test_returns_cycle import sign_in
from tests.conftest import give_app, make_user, publish

WIDTHS = [390, 1280]
OPEN = "2010/11 Q3"
HISTORY = [("2009/10 Q3", "640"), ("2010/11 Q1", "610"), ("2010/11 Q2", "600")]


@pytest.fixture(scope="module")
def returns_data(django_db_setup, django_db_blocker):
    """An open 2010/11 Q3 round; an officer owing NI 156 and an action's update; NI 156's published figures
    before it and its Q3 return, returned once and submitted again; a performance-team user with an app.
    Committed for the live server, and removed afterwards."""
    with django_db_blocker.unblock():
        quarters = [label for label, _ in HISTORY] + [OPEN]
        existing = set(ReportingRound.objects.filter(period__label__in=quarters).values_list("period__label", flat=True))
        officer = make_user(
            "j2-officer",
            Role.OFFICER,
            department=OrgUnit.objects.get(slug="housing-and-community-living-department"),
        )
        approver = make_user("j2-approver", Role.PERFORMANCE_TEAM)
        give_app(approver)
        indicator = Indicator.objects.get(code="NI 156")
        indicator.officers.add(officer)
        Action.objects.filter(plan__slug="corporate-plan-2008-14").order_by("order").first().officers.add(officer)
        made = [publish("NI 156", label, value, by=approver) for label, value in HISTORY]
        quarter = ReportingPeriod.objects.get(label=OPEN)
        round_ = actions.ensure_round(quarter)
        round_.state = RoundState.OPEN
        round_.opens_on = timezone.localdate() - dt.timedelta(days=3)
        round_.deadline = timezone.localdate() + dt.timedelta(days=10)
        round_.save()
        entered = actions.ReturnInput(numbers={"value": {"value": 700}}, commentary="Two hostels closed.")
        submission = actions.do_save_return(
            indicator=indicator, period=quarter, entered=entered, by=officer, expected_version=0, submit=True
        )
        submission = actions.do_review_return(
            submission=submission,
            by=approver,
            approve=False,
            reason="Check the figure against the housing register.",
            expected_version=submission.version,
        )
        entered = actions.ReturnInput(numbers={"value": {"value": 650}}, commentary="Corrected from the register.")
        submission = actions.do_save_return(
            indicator=indicator, period=quarter, entered=entered, by=officer, expected_version=submission.version,
            submit=True,
        )
    yield {"submission": submission, "officer": officer}
    with django_db_blocker.unblock():
        Return.objects.filter(pk__in=[r.pk for r in [*made, submission]]).delete()
        ReportingRound.objects.filter(period__label__in=set(quarters) - existing).delete()
        for round_ in ReportingRound.objects.filter(period__label__in=existing):
            round_.state, round_.outstanding_at_lock = RoundState.UPCOMING, None
            round_.save()
        officer.delete()
        approver.delete()


@pytest.fixture
def signed_in(browser, server, returns_data):
    """A page at a viewport width, signed in (with the app's code where the account has one)."""
    contexts, pages = [], []

    def open_as(username: str, width: int, *, javascript: bool = True) -> BrowserPage:
        context = browser.new_context(
            bypass_csp=True, base_url=server.url, viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = BrowserPage(context.new_page(), server.url)
        pages.append(page)
        sign_in(page, username)
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert [e for page in pages for e in page.console_errors] == []


def _pages(returns_data) -> dict[str, tuple[str, str]]:
    submission = returns_data["submission"]
    action = returns_data["officer"].actions.first()
    return {
        "my returns": ("j2-officer", "/returns/"),
        "entry": ("j2-officer", "/returns/2010-11-q3/indicators/ni-156/"),
        "action update": ("j2-officer", f"/returns/2010-11-q3/actions/{action.pk}/"),
        "sign-off": ("j2-approver", "/returns/sign-off/"),
        "review": ("j2-approver", f"/returns/sign-off/indicators/{submission.pk}/"),
        "rounds": ("j2-approver", "/returns/rounds/"),
        "completeness": ("j2-approver", "/returns/completeness/?round=2010-11-q3"),
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["my returns", "entry", "action update", "sign-off", "review", "rounds", "completeness"])
def test_done_when_the_signed_in_pages_fit_the_screen_and_pass_axe(signed_in, returns_data, name, width):
    username, path = _pages(returns_data)[name]
    browser_page = signed_in(username, width)
    browser_page.goto(path)
    check_layout(browser_page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_done_when_locking_with_returns_outstanding_fits_the_screen_and_passes_axe(signed_in, width):
    # 2010/11 Q2: every figure signed off, the officer's action update still owed (Q3 has a return waiting
    # for sign-off, which no confirmation can lock past).
    browser_page = signed_in("j2-approver", width)
    browser_page.goto("/returns/rounds/")
    browser_page.page.get_by_role("button", name="Lock 2010/11 Q2").click()
    browser_page.page.wait_for_url("**/rounds/2010-11-q2/lock/")
    assert browser_page.page.get_by_role("heading", level=1).inner_text() == "Lock 2010/11 Q2 with 1 return outstanding?"
    check_layout(browser_page, width)  # nothing is locked: the page only asks


@pytest.mark.parametrize("width", WIDTHS)
def test_4_the_reviews_chart_has_readable_text_and_labels_that_never_overlap(signed_in, returns_data, width):
    browser_page = signed_in("j2-approver", width)
    browser_page.goto(f"/returns/sign-off/indicators/{returns_data['submission'].pk}/")
    chart = browser_page.page.get_by_role(
        "img", name="NI 156: this figure and the published figures before it", exact=True
    )
    assert chart.count() == 1  # one drawing shown at each width
    texts = chart.evaluate(CHART_TEXT)
    axis = [t for t in texts if t["axis"]]
    for a, b in itertools.combinations(axis, 2):
        assert not overlap(a, b), f"axis labels {a['text']!r} and {b['text']!r} overlap at {width} px"
    assert min(t["px"] for t in texts) >= 12, f"chart text smaller than 12 px at {width} px"
    assert [t for t in texts if t["text"] == "650"]  # this return's figure, labelled


def test_4_the_reason_box_is_revealed_under_return_and_is_there_without_javascript(signed_in, returns_data):
    path = f"/returns/sign-off/indicators/{returns_data['submission'].pk}/"
    browser_page = signed_in("j2-approver", 1280)
    browser_page.goto(path)
    page = browser_page.page
    reason = page.get_by_label("Reason for returning it")
    assert not reason.is_visible()
    page.get_by_label("Return to the officer").check()
    assert reason.is_visible()
    page.get_by_label("Approve: publish these figures").check()
    assert not reason.is_visible()
    # Asked for a decision without one: the summary's link goes to the first radio.
    browser_page.goto(path)
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_decision_0"

    without_js = signed_in("j2-approver", 390, javascript=False)
    without_js.goto(path)
    assert without_js.page.get_by_label("Reason for returning it").is_visible()
