"""Signing in and guarding an account, in Chromium: the second factor on first sign-in, the account
page, locks, and the page scripts running under the real content security policy."""

import base64
import re

import pytest
from django_otp.oath import TOTP

from accounts.models import SecurityEvent
from core.roles import Role
from tests.conftest import make_user


@pytest.fixture
def approver(committed_db):
    user = make_user("browser-new-approver", Role.PERFORMANCE_TEAM)
    yield user
    SecurityEvent.objects.filter(username=user.username).delete()
    user.delete()


def test_a_new_approver_sets_up_two_factor_sign_in_and_finds_the_locks(browser_page, approver):
    from axes.models import AccessAttempt

    page = browser_page.page
    browser_page.goto("/accounts/login/?next=/returns/sign-off/")
    page.get_by_label("Username").fill("browser-new-approver")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor sign-in"
    qr = page.get_by_role("img", name=re.compile("QR code for adding Luton Plan"))
    assert qr.evaluate("image => image.complete && image.naturalWidth > 100")  # drawn, under the real CSP
    browser_page.assert_accessible()
    key = base64.b32decode(page.locator(".luton-key").inner_text().replace(" ", ""))
    page.get_by_label("Code", exact=True).fill("12345")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert "Enter the 6-digit code your authenticator app shows" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Code", exact=True).fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    assert page.locator(".luton-recovery-codes li").count() == 10
    browser_page.assert_accessible()
    page.get_by_role("link", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Returns waiting for sign-off"

    page.get_by_role("link", name="Your account").click()
    assert "On: a code from your authenticator app" in page.locator(".govuk-summary-list").nth(1).inner_text()
    browser_page.assert_accessible()
    AccessAttempt.objects.create(
        username="someone", ip_address="203.0.113.5", user_agent="x", failures_since_start=10, get_data="", post_data=""
    )
    try:
        page.get_by_role("link", name="Sign-in locks").click()
        row = page.get_by_role("row").filter(has_text="someone")
        assert "203.0.113.5" in row.inner_text()
        browser_page.assert_accessible()
        row.get_by_role("button", name="Lift the lock on someone").click()
        assert "Lifted the lock on someone from 203.0.113.5" in page.locator(".govuk-notification-banner").inner_text()
    finally:
        AccessAttempt.objects.filter(username="someone").delete()

    browser_page.goto("/accounts/password/")
    browser_page.assert_accessible()


def test_the_locked_out_page_is_accessible(browser_page, committed_db):
    from axes.models import AccessAttempt

    page = browser_page.page
    try:
        for attempt in range(10):
            browser_page.goto("/accounts/login/")
            page.get_by_label("Username").fill("browser-nobody")
            page.get_by_label("Password").fill(f"wrong-password-{attempt}")
            page.get_by_role("button", name="Sign in").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Sign-in locked"
        browser_page.assert_accessible()
        # The browser reports the 429 status itself as a console error: it is what this page is.
        assert browser_page.console_errors == [
            "Failed to load resource: the server responded with a status of 429 (Too Many Requests)"
        ]
        browser_page.console_errors.clear()
    finally:
        AccessAttempt.objects.filter(username="browser-nobody").delete()
        SecurityEvent.objects.filter(username="browser-nobody").delete()


def test_the_page_scripts_run_under_the_real_content_security_policy(browser, server, committed_db):
    """Without axe's bypass: the inline script runs by its hash and GOV.UK Frontend starts from its file;
    any refusal by the policy would show as a console error."""
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(server.url + "/")
        assert "sha256-" in response.headers["content-security-policy"]
        classes = page.evaluate("document.body.className")
        assert "js-enabled" in classes and "govuk-frontend-supported" in classes
        page.wait_for_selector("[data-govuk-skip-link-init]", state="attached")  # initAll() ran
        assert errors == []
    finally:
        context.close()


def test_an_officer_makes_and_revokes_an_api_token_and_the_page_passes_axe(browser_page, committed_db):
    from accounts.models import ApiToken
    from core.roles import Role
    from tests.conftest import make_user

    user = make_user("token-officer", Role.OFFICER)
    try:
        page = browser_page.page
        browser_page.goto("/accounts/login/")
        page.get_by_label("Username").fill("token-officer")
        page.get_by_label("Password").fill("a-long-test-password")
        page.get_by_role("button", name="Sign in").click()
        browser_page.goto("/accounts/")
        page.get_by_role("button", name="Create a token").click()
        key = page.locator(".govuk-panel__body code").inner_text()
        assert key.startswith("lpt_") and ApiToken.objects.filter(user=user).exists()
        browser_page.assert_accessible()

        page.get_by_role("button", name="Revoke your token").click()
        assert "Your API token is revoked" in page.locator(".govuk-notification-banner").inner_text()
        assert not ApiToken.objects.filter(user=user).exists()
        browser_page.assert_accessible()
    finally:
        user.delete()
