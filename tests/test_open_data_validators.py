"""ETag and Last-Modified on every public response of the open data: a client that holds the current
response is answered `304 Not Modified` in one query (the page cache, under the publication version),
and any change to what the response reads gives it new validators."""

import pytest
from django.utils.http import parse_http_date

from plans.models import Risk
from tests.conftest import publish

pytestmark = pytest.mark.django_db

PUBLIC_API = [
    "/api/v1/",
    "/api/v1/plans/",
    "/api/v1/plans/laa-2008-11/",
    "/api/v1/indicators/?plan=laa-2008-11",
    "/api/v1/indicators/ni-16/",
    "/api/v1/risks/",
    "/api/v1/figures/",
    "/api/v1/figures/?indicator=NI 16",
    "/api/v1/departments/",
    "/api/v1/departments/?plan=corporate-plan-2011-14",
    "/api/v1/departments/public-health-department/",
    "/api/v1/services/?directorate=inclusive-economy",
    "/api/v1/services/education/",
    "/api/v1/budgets/",
    "/api/v1/budgets/?plan=corporate-plan-2011-14",
    "/api/v1/actions/?kind=change",
    "/api/v1/partners/",
    "/api/v1/partners/nhs-luton/",
    "/api/v1/glossary/",
]


@pytest.mark.parametrize("url", PUBLIC_API)
def test_every_public_api_response_has_validators_and_answers_304_in_one_query(client, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and parse_http_date(last_modified) > 0

    with django_assert_num_queries(1):  # the publication version only: the view does not run
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag and unchanged["Last-Modified"] == last_modified
    assert unchanged["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in unchanged["Vary"]

    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_an_approval_changes_the_figures_validators(client, people):
    url = "/api/v1/figures/?indicator=NI 16"
    first = client.get(url)
    assert first.json()["count"] == 0
    publish("NI 16", "2010/11 Q1", "30.5", by=people["approver"])

    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after.json()["count"] == 1
    assert after["ETag"] != first["ETag"]
    assert parse_http_date(after["Last-Modified"]) >= parse_http_date(first["Last-Modified"])


def test_a_rescored_risk_changes_the_risks_validators(client):
    first = client.get("/api/v1/risks/")
    shown = first.json()["results"][0]
    risk = Risk.objects.get(pk=shown["id"]) if "id" in shown else Risk.objects.get(title=shown["title"])
    risk.residual_score = 1 if risk.residual_score != 1 else 2
    risk.residual_likelihood = risk.residual_impact = None
    risk.save()
    after = client.get("/api/v1/risks/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]


def test_json_and_the_browsable_api_have_different_validators(client):
    json_response = client.get("/api/v1/plans/", HTTP_ACCEPT="application/json")
    assert (
        client.get("/api/v1/plans/", HTTP_ACCEPT="text/html", HTTP_IF_NONE_MATCH=json_response["ETag"]).status_code
        == 200
    )


def test_a_signed_in_request_is_never_answered_304_from_a_public_validator(client, people):
    etag = client.get("/api/v1/plans/")["ETag"]
    client.force_login(people["member"])
    response = client.get("/api/v1/plans/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_code_release_in_the_validators_changes_with_the_code(tmp_path, settings):
    from core.release import code_release

    (tmp_path / "core").mkdir()
    source = tmp_path / "core" / "module.py"
    source.write_text("ANSWER = 1\n")
    settings.BASE_DIR = tmp_path
    code_release.cache_clear()
    try:
        first, _ = code_release()
        source.write_text("ANSWER = 2\n")
        code_release.cache_clear()
        assert code_release()[0] != first
    finally:
        code_release.cache_clear()
