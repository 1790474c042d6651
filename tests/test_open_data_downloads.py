"""The bulk downloads at /data/: a valid Frictionless Data Package whose figures are the API's, under
the Open Government Licence, with formula-like text neutralised, in UTF-8, remembered under the data
version."""

import csv
import io
import json
import zipfile
from decimal import Decimal

import frictionless
import pytest

from core.tables import unescape_formula
from partners.models import Partner
from plans.models import Risk
from portal import downloads
from portal.figures import PUBLIC_FIELDS
from tests.conftest import publish

pytestmark = pytest.mark.django_db

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@pytest.fixture
def published(people):
    approver = people["approver"]
    publish("NI 16", "2010/11 Q1", "30.5", by=approver)
    publish("NI 16", "2010/11 Q2", "36.0", by=approver)
    publish("NI 187", "2010/11", {"sap-below-35": "8.0", "sap-65-above": "28.0"}, by=approver)
    publish("NI 156", "2010/11 Q2", "999", by=approver, approve=False)  # submitted: never public


def _unzip(client, tmp_path) -> dict[str, bytes]:
    response = client.get(f"/data/{downloads.ZIP_NAME}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zipped:
        zipped.extractall(tmp_path)
        return {name: zipped.read(name) for name in zipped.namelist()}


def _rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_zip_is_a_valid_data_package_with_every_table(client, published, tmp_path):
    files = _unzip(client, tmp_path)
    assert set(files) == {
        "datapackage.json",
        *(f"{name}.csv" for name in ("plans", "priorities", "outcomes", "indicators", "targets", "figures")),
        *(f"{name}.csv" for name in ("partners", "sign-ups", "risks", "budgets")),
    }

    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    package = json.loads(files["datapackage.json"])
    figures = next(r for r in package["resources"] if r["name"] == "figures")
    assert figures["schema"]["primaryKey"] == ["id"]
    assert {"fields": "indicator", "reference": {"resource": "indicators", "fields": "slug"}} in figures["schema"][
        "foreignKeys"
    ]
    types = {field["name"]: field["type"] for field in figures["schema"]["fields"]}
    assert (types["value"], types["period_start"], types["is_demonstration"]) == ("number", "date", "boolean")
    assert all(field["description"] for r in package["resources"] for field in r["schema"]["fields"])


def test_the_validation_catches_a_broken_foreign_key(client, published, tmp_path):
    """The package test above can fail: a figure naming no indicator is reported."""
    _unzip(client, tmp_path)
    figures = tmp_path / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",ni-16,", ",ni-9999,"), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error_type for (error_type,) in report.flatten(["type"])}


def _api_figures(client) -> list[dict]:
    results, url = [], "/api/v1/figures/?page_size=200"
    while url:
        body = client.get(url).json()
        results.extend(body["results"])
        url = body["next"]
    return results


def _as_api(value: str, kind: str):
    """A CSV cell read back as the API writes the same field."""
    if value == "":
        return None if kind in ("number", "nullable") else ""
    if kind == "number":
        return Decimal(value)
    if kind == "boolean":
        return value == "true"
    if kind == "integer":
        return int(value)
    return unescape_formula(value)


def test_the_figures_csv_equals_the_apis_figures(client, published):
    api = _api_figures(client)
    rows = _rows(client.get("/data/figures.csv").content)
    assert list(rows[0]) == list(PUBLIC_FIELDS)
    assert len(rows) == len(api) == 4

    kinds = {"id": "integer", "value": "number", "target": "number", "target_compared": "number"}
    kinds |= {"is_demonstration": "boolean", "indicator_code": "nullable", "breakdown": "nullable"}
    for row, figure in zip(rows, api, strict=True):
        for name in PUBLIC_FIELDS:
            expected = figure[name]
            if kinds.get(name) == "number" and expected is not None:
                expected = Decimal(str(expected))
            assert _as_api(row[name], kinds.get(name, "string")) == expected, (name, row[name], figure[name])
    assert "999" not in client.get("/data/figures.csv").content.decode()


def test_the_licence_is_stated_on_the_page_in_the_descriptor_and_in_the_api_root(client):
    page = client.get("/data/").content.decode()
    assert f'<a class="govuk-link" rel="license" href="{OGL}">Open Government Licence v3.0</a>' in page
    package = json.loads(client.get("/data/datapackage.json").content)
    assert package["licenses"] == [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0", "path": OGL}]
    root = client.get("/api/v1/").json()
    assert root["licence"]["path"] == OGL and root["bulk_downloads"] == "http://testserver/data/"


def test_the_page_links_every_file_and_the_api_docs_and_the_footer_links_the_page(client):
    page = client.get("/data/").content.decode()
    for table in downloads.TABLES:
        assert f'href="/data/{table.filename}"' in page
    assert f'href="/data/{downloads.ZIP_NAME}"' in page and 'href="/data/datapackage.json"' in page
    assert 'href="/api/v1/docs/"' in page
    home = client.get("/").content.decode()
    assert 'href="/data/"' in home and 'href="/api/v1/docs/"' in home


def test_formula_like_text_is_neutralised_and_text_is_utf8(client):
    risk = Risk.objects.first()
    risk.title = '=HYPERLINK("http://example.invalid","click")'
    risk.save()
    partner = Partner.objects.first()
    partner.description = "Café — £5 ‘quoted’"
    partner.save()

    risks = _rows(client.get("/data/risks.csv").content)
    assert '\'=HYPERLINK("http://example.invalid","click")' in {row["title"] for row in risks}
    assert not any(value.startswith(("=", "+", "@")) for row in risks for value in row.values())
    partners = client.get("/data/partners.csv")
    assert partners["Content-Type"] == "text/csv; charset=utf-8"
    assert "Café — £5 ‘quoted’" in partners.content.decode("utf-8")


def test_after_a_publication_the_previous_files_are_served_until_the_background_build(client, people):
    first = client.get("/data/figures.csv")  # no build yet: made there and then, and kept
    assert "ni-192" not in first.content.decode() and first["Cache-Control"] == "public, max-age=300"
    publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])

    meanwhile = client.get("/data/figures.csv")
    assert meanwhile.content == first.content
    # Marked as not the current version's: no cache keeps it, and clients revalidate it every time.
    assert meanwhile["Cache-Control"] == "public, no-cache"
    assert meanwhile["Last-Modified"] == first["Last-Modified"]
    assert client.get("/data/figures.csv", HTTP_IF_NONE_MATCH=meanwhile["ETag"]).status_code == 304
    assert "The files for the latest publication are being prepared" in client.get("/data/").content.decode()

    from portal.tasks import build_open_data

    build_open_data.call()  # what the worker does
    after = client.get("/data/figures.csv")
    assert "ni-192" in after.content.decode() and after["Cache-Control"] == "public, max-age=300"
    assert "being prepared" not in client.get("/data/").content.decode()


def test_with_no_build_since_the_wait_a_request_builds_the_files_itself(client, people, settings):
    settings.LUTON_OPEN_DATA_WAIT_SECONDS = 0  # the worker is not running, say
    client.get("/data/figures.csv")
    publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])
    assert "ni-192" in client.get("/data/figures.csv").content.decode()


def test_a_committed_publication_enqueues_one_build_that_the_worker_runs(
    client, people, django_capture_on_commit_callbacks, run_task_worker
):
    from django_tasks_db.models import DBTaskResult

    client.get("/data/figures.csv")
    queued = DBTaskResult.objects.filter(task_path="portal.tasks.build_open_data")
    before = queued.count()
    with django_capture_on_commit_callbacks(execute=True):
        publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])  # a save, a submission, an approval
    assert queued.count() == before + 1  # one build, enqueued once the approval is committed
    assert "ni-192" not in client.get("/data/figures.csv").content.decode()

    run_task_worker()
    assert queued.filter(status="SUCCESSFUL").count() == before + 1
    assert "ni-192" in client.get("/data/figures.csv").content.decode()


def test_a_few_builds_are_kept_and_older_ones_removed(client, people):
    from django.core.files.storage import default_storage

    from portal.downloads import builds

    for quarter in ("2010/11 Q1", "2010/11 Q2", "2010/11 Q3", "2010/11 Q4"):
        publish("NI 192", quarter, "43.0", by=people["approver"])
        builds.ensure_current()
    _, kept = default_storage.listdir(builds.build_name("", None).rsplit("/", 1)[0])
    assert len(kept) == builds.KEEP


def test_an_unknown_file_is_a_404(client):
    assert client.get("/data/secrets.csv").status_code == 404


def test_downloads_are_remembered_and_validated_by_the_data_version(client, published, django_assert_num_queries):
    first = client.get("/data/figures.csv")
    # The page cache's version, the version and its moment; the files come from the cache.
    with django_assert_num_queries(2):
        assert client.get("/data/plans.csv").status_code == 200
    with django_assert_num_queries(1):  # the page cache answers, the middleware says 304
        unchanged = client.get("/data/figures.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged["Last-Modified"] == first["Last-Modified"]
    assert client.get("/data/figures.csv", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    with django_assert_num_queries(2):
        assert client.get("/data/").status_code == 200


def test_building_the_files_takes_a_fixed_number_of_queries(client, published, django_assert_num_queries):
    # the page cache's version; the version and its moment; plans, priorities, outcomes, indicators,
    # targets, partners, sign-ups, risks and budget lines (one each); the figures (indicators, four for
    # judging: figures, their periods, targets, breakdowns; the returns' commentary)
    with django_assert_num_queries(17):
        assert client.get("/data/").status_code == 200
