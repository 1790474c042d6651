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
        ("officer", "/returns/2010-11-q3/download.csv", 14),  # breakdowns as prefetched with the indicators
        ("approver", "/returns/sign-off/", 6),
        ("approver", "/returns/rounds/", 5),
        # the rounds; every return owed and who owes it (returns.queries.owed_in); the reminders sent
        ("approver", "/returns/completeness/", 19),
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
    # session, user, roles, device; the return and its figures; its round; judging it as published (five);
    # its history (tests/test_journeys_returns.py: and no more however long that history).
    with django_assert_num_queries(13):
        response = client.get(url)
    assert "NI 156" in response.content.decode()


def _upload_queries(client, rows: list[tuple[str, str]]) -> int:
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "period", "breakdown", "value", "commentary"])
    writer.writerows([code, OPEN_QUARTER, "", value, "A figure."] for code, value in rows)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/returns/2010-11-q3/upload/",
            {"file": SimpleUploadedFile("r.csv", out.getvalue().encode()), "then": "submit"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return len(queries.captured_queries)


def test_an_uploads_queries_do_not_grow_with_its_rows(client, people, open_round):
    """A file of one return and a file of seven: the same number of queries (read, check, write in bulk)."""
    _assign(MORE, people["officer"])
    client.force_login(people["officer"])
    one = _upload_queries(client, [("NI 156", "560")])
    Return.objects.filter(period__label=OPEN_QUARTER).delete()
    seven = _upload_queries(client, [(code, "40") for code in ["NI 156", *MORE]])
    assert Return.objects.filter(period__label=OPEN_QUARTER, status="submitted").count() == 7
    assert seven == one


def test_an_imports_queries_do_not_grow_with_its_rows(tmp_path):
    """import_records: 2 target rows and 40 cost the same number of queries."""
    import csv

    from django.core.management import call_command

    codes = list(
        Indicator.objects.filter(plan_links__plan__slug="laa-2008-11", breakdowns__isnull=True, unit="count")
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    )

    def import_queries(first: int, count: int) -> int:
        path = tmp_path / f"targets-{count}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["plan", "indicator", "period", "breakdown", "text", "value", "designated"])
            years = [f"{y}{q}" for y in ("2008/09", "2009/10", "2010/11") for q in ("", " Q1", " Q2", " Q3", " Q4")]
            rows = [(code, year) for code in codes for year in years]
            for code, year in rows[first : first + count]:  # rows no earlier import wrote
                writer.writerow(["laa-2008-11", code, year, "", "12", "12", "no"])
        with CaptureQueriesContext(connection) as queries:
            call_command("import_records", "targets", str(path), verbosity=0)
        return len(queries.captured_queries)

    assert len(codes) * 8 >= 40
    assert import_queries(0, 2) == import_queries(2, 40)
