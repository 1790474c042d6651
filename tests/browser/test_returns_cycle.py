"""The quarterly cycle in Chromium, as the demo users would walk it, with axe-core on every page type."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from indicators.models import Indicator, ReportingPeriod, Return
from plans.models import Action
from returns.actions import ensure_round
from returns.models import RoundState
from tests.conftest import app_code, give_app, make_user


@pytest.fixture
def cycle(committed_db):
    from plans.models import OrgUnit

    quarter = ReportingPeriod.objects.get(label="2010/11 Q3")
    round_ = ensure_round(quarter)
    round_.state = RoundState.OPEN
    round_.opens_on = timezone.localdate() - dt.timedelta(days=3)
    round_.deadline = timezone.localdate() + dt.timedelta(days=10)
    round_.save()
    officer = make_user(
        "browser-officer",
        Role.OFFICER,
        department=OrgUnit.objects.get(slug="housing-and-community-living-department"),
    )
    approver = make_user("browser-approver", Role.PERFORMANCE_TEAM)
    give_app(approver)  # the performance team signs in with a second factor
    Indicator.objects.get(code="NI 156").officers.add(officer)
    # An action whose update the officer owes, and leaves outstanding: locking then asks to confirm.
    Action.objects.filter(plan__slug="corporate-plan-2008-14").order_by("order").first().officers.add(officer)
    yield round_
    Return.objects.filter(indicator__code="NI 156", period=quarter).delete()
    round_.state = RoundState.UPCOMING
    round_.save()
    officer.delete()
    approver.delete()


def sign_in(browser_page, username: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = browser_page.page
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        assert page.get_by_role("heading", level=1).inner_text() == "Enter your security code"
        page.get_by_label("Code", exact=True).fill(app_code(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def sign_out(browser_page) -> None:
    browser_page.page.get_by_role("button", name="Sign out").click()
    browser_page.page.wait_for_load_state()


def test_submit_return_fix_approve_lock(browser_page, cycle):
    page = browser_page.page

    sign_in(browser_page, "browser-officer")
    page.get_by_role("link", name="My returns").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My returns"
    browser_page.assert_accessible()
    page.get_by_role("link", name="NI 156: Number of households living in temporary accommodation").click()
    browser_page.assert_accessible()

    page.get_by_label("Figure for 2010/11 Q3").fill("700")
    page.get_by_role("button", name="Submit for sign-off").click()
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert "Explain the performance: the value (700 against a target of 570) is off target" in summary.inner_text()
    assert page.title().startswith("Error: ")
    browser_page.assert_accessible()
    summary.get_by_role("link").first.click()  # the summary link takes you to the field
    assert page.evaluate("document.activeElement.id") == "id_commentary"

    page.get_by_label("Commentary").fill("Two hostels closed in November.")
    page.get_by_role("button", name="Submit for sign-off").click()
    assert "submitted for sign-off" in page.locator(".govuk-notification-banner").inner_text()
    assert "Submitted" in page.locator(".govuk-task-list").first.inner_text()
    sign_out(browser_page)

    sign_in(browser_page, "browser-approver")
    page.get_by_role("link", name="Sign-off", exact=True).click()
    browser_page.assert_accessible()
    page.get_by_role("link", name="Number of households living in temporary accommodation").click()
    browser_page.assert_accessible()
    page.get_by_label("Return to the officer").check()
    page.get_by_label("Reason for returning it").fill("Check the figure against the housing register.")
    page.get_by_role("button", name="Record decision").click()
    assert "returned to the officer" in page.locator(".govuk-notification-banner").inner_text()
    sign_out(browser_page)

    sign_in(browser_page, "browser-officer")
    browser_page.goto("/returns/")
    assert "Returned: Check the figure against the housing register." in page.locator(".govuk-task-list").first.inner_text()
    page.get_by_role("link", name="NI 156: Number of households living in temporary accommodation").click()
    page.get_by_label("Figure for 2010/11 Q3").fill("650")
    page.get_by_label("Commentary").fill("Corrected against the housing register.")
    page.get_by_role("button", name="Submit for sign-off").click()
    assert "Submitted" in page.locator(".govuk-task-list").first.inner_text()
    sign_out(browser_page)

    sign_in(browser_page, "browser-approver")
    browser_page.goto("/returns/sign-off/")
    page.get_by_role("link", name="Number of households living in temporary accommodation").click()
    page.get_by_label("Approve: publish these figures").check()
    page.get_by_role("button", name="Record decision").click()
    assert "approved" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("link", name="Rounds").click()
    browser_page.assert_accessible()
    page.get_by_role("button", name="Lock 2010/11 Q3").click()
    # The officer's action update is still owed: it is listed, and locking asks to confirm the number.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Lock 2010/11 Q3 with \d+ returns? outstanding\?$"))
    browser_page.assert_accessible()
    page.get_by_role("button", name=re.compile(r"^Lock with \d+ returns? outstanding$")).click()
    assert "2010/11 Q3 is locked with" in page.locator(".govuk-notification-banner").inner_text()
    browser_page.goto("/returns/completeness/")
    browser_page.assert_accessible()
    sign_out(browser_page)

    sign_in(browser_page, "browser-officer")
    browser_page.goto("/returns/2010-11-q3/indicators/ni-156/")
    assert "can no longer be edited" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Submit for sign-off").count() == 0
    submission = Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3")
    assert (submission.status, submission.values.get().value) == ("approved", 650)
