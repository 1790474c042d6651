"""Every page type is HTML that the Nu HTML Checker (the W3C validator) accepts without a warning."""

import pytest

from tests.html_validator import validate_html

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/plans/laa-2008-11/",
    "/plans/corporate-plan-2008-14/",
    "/plans/corporate-plan-2011-14/",
    "/plans/service-plans-2024/",
    "/plans/corporate-plan-2008-14/a-financially-sound-and-efficient-council/putting-customers-first/",
    "/indicators/ni-16/",
    "/indicators/ni-120/",
    "/partners/",
    "/partners/solutions/",
]


def test_public_pages_are_valid_html(client, tmp_path):
    pages = {}
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()

    assert validate_html(pages, tmp_path) == []
