"""Generated requests against the API's own OpenAPI schema (schemathesis, in-process): no server
error, every response as the schema describes it, and no unapproved figure in any anonymous response.

Examples per operation and client: LUTON_FUZZ_EXAMPLES (default 25 for a developer's `make test`). CI
runs the issue's 100 once, in its SQLite pass, and sets 0 for its PostgreSQL pass, which then leaves out the
generated requests: read-only answers do not depend on the database, and what could (a NUL in a query,
which PostgreSQL refuses) is tested on both below. Generation without shrinking or an example database:
CI wants the first failure fast, not its smallest form; a failure prints its example, which `derandomize` makes repeatable."""

import functools
import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings

from tests.conftest import publish

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("LUTON_FUZZ_EXAMPLES", "25"))
UNAPPROVED = "ni-156"


@functools.cache
def _portal():
    # Made at the first request, inside a test: the middleware reads the test settings (plain HTTP) when
    # it is made, which is after this module is imported.
    return get_wsgi_application()


def _in_process(environ, start_response):
    return _portal()(environ, start_response)


# The schema /api/v1/schema/ serves, made without a request (schemathesis' fixture-based loading does
# not work under pytest 9), sent to the portal's WSGI application in-process.
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
)
schema.app = _in_process
schema.location = "/api/v1/schema/"


@pytest.fixture
def figures(people, monkeypatch):
    """An approved figure and a submitted one; throttles lifted (generated traffic is far above them)."""
    from django.conf import settings as django_settings

    for scope in ("anon", "user", "returns"):
        monkeypatch.setitem(django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope, "1000000/minute")
    publish("NI 16", "2010/11 Q1", "30.5", by=people["approver"])
    publish("NI 156", "2010/11 Q2", "999", by=people["approver"], approve=False)  # submitted, never public
    _unapproved_words()
    # Called as a server would call it, the application closes the database connection after each
    # request, and with it the test's transaction (on PostgreSQL). Django's test client keeps it open
    # the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


HIDDEN = "Words-not-yet-approved"


def _unapproved_words() -> None:
    """The submitted return's commentary, and an action's submitted update: words no anonymous answer holds."""
    from indicators.models import ReportingPeriod, Return
    from plans.models import Action
    from returns.models import ActionUpdate

    submitted = Return.objects.get(indicator__slug=UNAPPROVED)
    submitted.commentary = HIDDEN
    submitted.save()
    ActionUpdate.objects.create(
        action=Action.objects.order_by("plan__order", "order").first(),
        period=ReportingPeriod.objects.get(label="2010/11 Q2"),
        progress="off_track",
        commentary=HIDDEN,
        status="submitted",
    )


def _no_unapproved_figure(response, case) -> None:
    assert HIDDEN not in response.text, "words not yet approved were published"
    if response.status_code != 200:
        return
    if case.path.startswith("/api/v1/figures"):
        shown = {figure["indicator"] for figure in response.json().get("results", [])}
        assert UNAPPROVED not in shown, f"an unapproved figure of {UNAPPROVED} was published"
    if case.path.startswith("/api/v1/indicators"):
        body = response.json()
        for indicator in body.get("results", [body]):
            if indicator.get("slug") == UNAPPROVED:
                assert indicator["status"]["period"] is None, f"{UNAPPROVED} was judged on an unapproved figure"


@pytest.fixture(params=["anonymous", "token"])
def client_headers(request, people, figures) -> dict:
    """An anonymous client, or an officer's script with an API token."""
    if request.param == "anonymous":
        return {}
    from accounts.tokens import do_create_token

    return {"Authorization": f"Token {do_create_token(user=people['officer'], by=people['officer'])}"}


@pytest.mark.fuzz  # left out (deselected, not skipped) when LUTON_FUZZ_EXAMPLES=0: see tests/conftest.py
@schema.parametrize()
@settings(
    max_examples=max(EXAMPLES, 1),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
def test_the_api_answers_generated_requests_as_its_schema_says(case, client_headers):
    # Every check but two, which judge how strict the input is rather than whether the answer conforms:
    # DRF and django-filter read an empty or malformed optional parameter (page_size=null, since=) as
    # absent, by design, where one wants a 400; and a well-formed filter naming no record (plan=arun)
    # is a 400 in words (declared in the schema), where the other wants a 2xx.
    response = case.call_and_validate(
        # In process nothing decompresses: ask the page cache for the plain bytes, not its gzip copy.
        headers={**client_headers, "Accept-Encoding": "identity"},
        excluded_checks=[schemathesis.checks.negative_data_rejection, schemathesis.checks.positive_data_acceptance],
    )
    assert response.status_code < 500
    if not client_headers:
        _no_unapproved_figure(response, case)


def test_the_schema_is_valid_and_made_without_a_warning(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    assert "tokenAuth" in text and "name: Open Government Licence v3.0" in text
    for path in PUBLIC_LISTS:
        assert f"{path}:" in text


PUBLIC_LISTS = [
    "/api/v1/plans/",
    "/api/v1/indicators/",
    "/api/v1/risks/",
    "/api/v1/figures/",
    "/api/v1/departments/",
    "/api/v1/services/",
    "/api/v1/budgets/",
    "/api/v1/actions/",
    "/api/v1/partners/",
    "/api/v1/glossary/",
]


@pytest.mark.parametrize("path", PUBLIC_LISTS)
def test_a_nul_in_any_filter_or_address_is_a_400_or_404_on_either_database(client, path):
    """PostgreSQL refuses text holding NUL where SQLite stores it: every filter and lookup refuses it first."""
    from django.urls import resolve

    filterset = getattr(resolve(path).func.cls, "filterset_class", None)
    for name in filterset.base_filters if filterset else []:
        assert client.get(path, {name: "a\x00b"}).status_code == 400, name
    for name in ("page", "page_size"):  # not a number: no such page (404), or the default size
        assert client.get(path, {name: "a\x00b"}).status_code in (200, 404), name
    assert client.get(f"{path}a%00b/").status_code == 404


def test_an_api_address_that_matches_nothing_is_a_json_404(client):
    response = client.get("/api/v1/risks/1.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "Not found" in response.json()["detail"]
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")
