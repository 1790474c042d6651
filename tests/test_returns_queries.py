"""The returns cycle's pages: their number of queries is pinned, and does not grow with the returns
owed, submitted or signed off (STYLE.md: every list page pins its query count)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, ReportingPeriod, Return
from returns import actions
from tests.conftest import OPEN_QUARTER

pytestmark = pytest.mark.django_db


def _submit(code: str, by, value="40") -> Return:
    return actions.do_save_return(
        indicator=Indicator.objects.get(code=code),
        period=ReportingPeriod.objects.get(label=OPEN_QUARTER),
        entered=actions.ReturnInput(numbers={"value": {"value": value}}, commentary="A figure.", change_confirmed=True),
        by=by,
        expected_version=0,
        submit=True,
    )


def _assign(codes: list[str], officer) -> None:
    for code in codes:
        Indicator.objects.get(code=code).officers.add(officer)


MORE = ["NI 181", "NI 192", "NI 193", "NI 16", "NI 19", "NI 30"]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    ("role", "url", "pinned"),
    [
        ("officer", "/returns/", 13),
        ("officer", "/returns/2010-11-q3/indicators/ni-156/", 12),
        ("officer", "/returns/2010-11-q3/upload/", 5),
        ("officer", "/returns/2010-11-q3/download.csv", 15),
        ("approver", "/returns/sign-off/", 6),
        ("approver", "/returns/rounds/", 5),
        ("approver", "/returns/completeness/", 13),
    ],
)
def test_returns_pages_pin_their_queries(client, people, open_round, role, url, pinned, django_assert_num_queries):
    client.force_login(people[role])
    client.get(url)  # the first request of a session reads what later ones have cached
    # Each signed-in request reads the session, the user, their roles and their second-factor device.
    with django_assert_num_queries(pinned):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("officer", "/returns/"),
        ("officer", "/returns/2010-11-q3/download.csv"),
        ("approver", "/returns/sign-off/"),
        ("approver", "/returns/completeness/"),
    ],
)
def test_returns_lists_do_not_grow_with_the_returns_in_them(client, people, open_round, role, url):
    client.force_login(people[role])
    _submit("NI 156", people["officer"])
    client.get(url)
    before = _count(client, url)
    _assign(MORE, people["officer"])
    for code in MORE:
        _submit(code, people["officer"])
    after = _count(client, url)
    assert after == before, f"{url}: {before} queries with one return, {after} with {1 + len(MORE)}"


def test_the_review_page_pins_its_queries(client, people, open_round, django_assert_num_queries):
    submission = _submit("NI 156", people["officer"])
    client.force_login(people["approver"])
    url = f"/returns/sign-off/indicators/{submission.pk}/"
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert "NI 156" in response.content.decode()
