"""Who may keep a copy of a response (Cache-Control, ETag), the content security policy, and the
request id and JSON log line every response leaves behind."""

import base64
import hashlib
import json
import logging
import re

import pytest

from tests.conftest import Client

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/plans/laa-2008-11/", "/indicators/ni-16/", "/partners/", "/about/status/", "/api/v1/plans/"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_may_be_cached_briefly_and_answer_304_when_unchanged(client, url):
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in first["Vary"]
    etag = first["ETag"]

    again = client.get(url)
    assert again.content == first.content  # byte-identical for everyone: the ETag means something
    assert again["ETag"] == etag

    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    changed = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert changed.status_code == 200


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("member", "/"),
        ("member", "/dashboard/"),
        ("officer", "/returns/"),
        ("officer", "/api/v1/returns/ni-156/2010-11-q3/"),
        ("approver", "/returns/sign-off/"),
        ("officer", "/indicators/ni-156/"),
        ("officer", "/api/v1/plans/"),
        ("admin", "/admin/"),
        ("officer", "/no-such-page/"),
    ],
)
def test_every_response_to_a_signed_in_user_is_private_and_not_stored(client, people, open_round, role, url):
    client.force_login(people[role])
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")


def test_the_sign_in_form_and_anything_setting_a_cookie_is_private(client):
    assert client.get("/accounts/login/")["Cache-Control"] == "private, no-store"
    redirect = client.get("/dashboard/")
    assert redirect.status_code == 302 and redirect["Cache-Control"] == "private, no-store"


def test_a_request_with_credentials_is_private_even_before_anyone_reads_them(client):
    response = client.get("/api/v1/plans/", HTTP_AUTHORIZATION="Token abc")
    assert response["Cache-Control"] == "private, no-store"


def test_the_health_check_is_never_cached(client):
    assert "no-store" in client.get("/healthz")["Cache-Control"]


def test_the_one_inline_script_is_allowed_by_its_hash_and_there_is_no_nonce(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "nonce-" not in policy
    inline = re.findall(r"<script>(.*?)</script>", response.content.decode(), flags=re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    # If this fails, templates/base.html's inline script changed: put this hash in SECURE_CSP.
    assert f"'sha256-{digest}'" in policy, f"script-src needs 'sha256-{digest}'"
    assert "script-src 'self' 'sha256-" in policy
    # Every other script is a file from this site.
    assert re.findall(
        r'<script type="module" src="(/static/js/init\.[0-9a-f]+\.js|/static/js/init\.js)">', response.content.decode()
    )


def test_each_response_names_its_request_and_a_client_cannot_choose_the_id(client, settings):
    first, second = client.get("/"), client.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/", HTTP_X_REQUEST_ID="chosen-by-me-123")["X-Request-ID"] != "chosen-by-me-123"
    settings.BEHIND_PROXY = True  # the council's load balancer may pass its own id on
    assert client.get("/", HTTP_X_REQUEST_ID="lb-0123456789")["X-Request-ID"] == "lb-0123456789"
    assert client.get("/", HTTP_X_REQUEST_ID="bad id; with spaces")["X-Request-ID"] != "bad id; with spaces"


def test_one_json_log_line_per_request_with_id_user_method_path_status_and_duration(client, people, caplog):
    client.force_login(people["member"])
    with caplog.at_level(logging.INFO, logger="luton.requests"):
        response = client.get("/dashboard/")
    [record] = [r for r in caplog.records if r.name == "luton.requests"]
    formatter = logging.getHandlerByName("console").formatter
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == response["X-Request-ID"]
    assert (entry["method"], entry["path"], entry["status"], entry["user_id"]) == (
        "GET",
        "/dashboard/",
        200,
        people["member"].pk,
    )
    assert entry["duration_ms"] > 0
    assert entry["level"] == "INFO" and entry["logger"] == "luton.requests" and "time" in entry


def test_a_line_logged_during_a_request_carries_its_id(client, caplog):
    with caplog.at_level(logging.INFO):
        response = Client().post("/accounts/login/", {"username": "nobody", "password": "wrong-password-here"})
    [failure] = [r for r in caplog.records if getattr(r, "event", "") == "sign-in-failed"]
    assert failure.request_id == response["X-Request-ID"]
    assert failure.username == "nobody"
