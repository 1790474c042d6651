"""Shared test setup.

The Luton data is loaded once per test session into the test database (the loader is what
`make run` uses, so every test exercises the real fixtures); each test then runs in a transaction
that is rolled back, so tests may change data freely.
"""

import os

import pytest
from django.conf import settings
from django.core.management import call_command

REQUIRE_ALL = os.environ.get("LUTON_REQUIRE_ALL") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's laptop; in CI (LUTON_REQUIRE_ALL=1) a missing capability is a failure."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (CI requires it: LUTON_REQUIRE_ALL=1)")
    pytest.skip(reason)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run last: they drive a live server whose writes are committed, not rolled back."""
    browser = [item for item in items if item.get_closest_marker("browser")]
    items[:] = [item for item in items if not item.get_closest_marker("browser")] + browser


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_luton", verbosity=0)


@pytest.fixture(autouse=True)
def _plain_http_in_tests(settings):
    # Production settings redirect to HTTPS; the test client and live server speak plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def fixtures_dir():
    return settings.LUTON_FIXTURES_DIR
