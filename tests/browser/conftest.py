"""Browser tests: Debian's Chromium driven by Playwright against a live server, with axe-core.

The live server shares the session's test database, into which the Luton data was loaded once.
Writes made through the browser are committed (not rolled back), which is why these tests run
after all others (see tests/conftest.py) and each test works on its own objects.
"""

import os
import shutil

import pytest

from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are
# nonetheless synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("LUTON_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path, server):
    # Depends on the server so that it closes first: connections Chromium keeps alive must end before
    # the live server stops sharing the test database's connection with its request threads.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker):
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    # The security middleware reads SECURE_SSL_REDIRECT when the server starts; the live server
    # speaks plain HTTP (Chromium treats localhost as secure, so secure cookies still work).
    with django_db_blocker.unblock(), override_settings(SECURE_SSL_REDIRECT=False):
        live = LiveServer("localhost", start=False)
        # Serve static files the way production does (WhiteNoise, hashed names from collectstatic),
        # not through the test server's own finder-based handler.
        live.thread.static_handler = lambda application: application
        live.start()
        yield live
        live.stop()


class BrowserPage:
    """A page plus what the browser said: console errors and failed requests fail the test."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        return response

    def assert_accessible(self) -> None:
        """axe-core finds no WCAG 2.x A/AA violations on the current page, but for GOV.UK Frontend's one known
        issue (_known_govuk_issue)."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(
            self.page,
            options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}},
        )
        results.response["violations"] = [v for v in results.response["violations"] if not _known_govuk_issue(v)]
        assert results.violations_count == 0, results.generate_report()


def _known_govuk_issue(violation: dict) -> bool:
    """GOV.UK Frontend's radios script puts aria-expanded on a radio that reveals a conditional question
    (the sign-off's "Return" and its reason): axe reports it, and GOV.UK keeps it on purpose, because
    screen readers announce it (alphagov/govuk-frontend#979, listed as a known issue). Only that: the
    rule, on GOV.UK radios that control a conditional, about aria-expanded alone."""
    return violation["id"] == "aria-allowed-attr" and all(
        'class="govuk-radios__input"' in node["html"]
        and 'aria-controls="conditional-' in node["html"]
        and all("aria-expanded" in check["message"] for check in node["any"] + node["all"] + node["none"])
        for node in violation["nodes"]
    )


@pytest.fixture
def browser_page(browser, server, committed_db):
    # bypass_csp lets axe-core's injected script run under the portal's strict content policy.
    context = browser.new_context(bypass_csp=True, base_url=server.url)
    page = BrowserPage(context.new_page(), server.url)
    yield page
    context.close()
    assert page.console_errors == [], page.console_errors


@pytest.fixture
def login(browser_page):
    def log_in(username: str, password: str = "luton-demo-password") -> None:
        page = browser_page.page
        browser_page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return log_in
