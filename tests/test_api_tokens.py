"""API tokens for officers' scripts: made and revoked on the account page, good for the returns API
only, as their owner and no more; the session with CSRF stays for the browser; never Basic auth."""

import base64
import json
import re

import pytest
from django.test import Client

from accounts.models import ApiToken, SecurityEvent
from indicators.models import Return

pytestmark = pytest.mark.django_db

API = "/api/v1/returns/ni-156/2010-11-q3/"  # NI 156 is the officer's; the 2010/11 Q3 round is open


def _make_token(client, user) -> str:
    client.force_login(user)
    page = client.post("/accounts/api-token/").content.decode()
    return re.search(r'<code class="govuk-!-text-break-word">(lpt_[^<]+)</code>', page).group(1)


def _put(key: str, value=555, *, url=API, version=0, scheme="Token"):
    return Client().put(
        url,
        json.dumps({"values": {"value": value}, "version": version}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"{scheme} {key}",
    )


def test_the_account_page_makes_a_token_shown_once_and_stores_only_its_digest(client, people):
    key = _make_token(client, people["officer"])
    assert key.startswith("lpt_") and len(key) > 40
    token = ApiToken.objects.get(user=people["officer"])
    assert key not in (token.digest, token.prefix) and key.startswith(token.prefix)

    again = client.get("/accounts/").content.decode()
    assert key not in again
    assert f"Starts <code>{token.prefix}</code>" in again and "Revoke your token" in again
    assert SecurityEvent.objects.filter(user=people["officer"], kind="api-token-created").exists()


def test_a_token_saves_and_submits_a_return_as_its_owner(client, people, open_round):
    key = _make_token(client, people["officer"])
    response = _put(key)
    assert response.status_code == 200, response.content
    assert response.json()["values"] == {"value": 555}
    saved = Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3")
    assert saved.entered_by == people["officer"]
    record = saved.history.order_by("-history_id").first()
    assert (record.history_user, record.channel) == (people["officer"], "api")
    assert ApiToken.objects.get(user=people["officer"]).last_used_at is not None

    submitted = Client().put(
        API,
        json.dumps({"values": {"value": 555}, "version": saved.version, "submit": True}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"


def test_a_revoked_token_is_refused_and_changes_nothing(client, people, open_round):
    key = _make_token(client, people["officer"])
    assert client.post("/accounts/api-token/revoke/").status_code == 302
    assert not ApiToken.objects.filter(user=people["officer"]).exists()
    assert SecurityEvent.objects.filter(user=people["officer"], kind="api-token-revoked").exists()

    response = _put(key)
    assert response.status_code == 403
    assert "not valid" in response.json()["detail"]
    assert not Return.objects.filter(indicator__code="NI 156", period__label="2010/11 Q3").exists()


def test_a_replaced_token_is_refused(client, people, open_round):
    old = _make_token(client, people["officer"])
    new = _make_token(client, people["officer"])
    assert _put(old).status_code == 403
    assert _put(new).status_code == 200


def test_a_token_reaches_nothing_its_owner_could_not(client, people, open_round):
    key = _make_token(client, people["other_officer"])  # not NI 156's officer
    refused = _put(key)
    assert refused.status_code == 403
    assert "may not enter" in refused.json()["detail"]
    assert not Return.objects.filter(indicator__code="NI 156", period__label="2010/11 Q3").exists()

    # The officer's draft exists: to the other officer it does not.
    assert _put(_make_token(Client(), people["officer"])).status_code == 200
    hidden = Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")
    assert hidden.status_code == 404

    # The token is for the returns API only: no page, no admin, no sign-in by it.
    for url in ("/returns/", "/dashboard/", "/accounts/", "/admin/"):
        response = Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 302 and "login/" in response["Location"], url


def test_a_token_of_a_deactivated_account_is_refused(client, people, open_round):
    key = _make_token(client, people["officer"])
    people["officer"].is_active = False
    people["officer"].save()
    assert _put(key).status_code == 403


def test_basic_authentication_is_never_accepted(people, open_round):
    credentials = base64.b64encode(b"olivia:a-long-test-password").decode()  # the officer's real password
    response = _put(credentials, scheme="Basic")
    assert response.status_code == 403
    assert not Return.objects.filter(indicator__code="NI 156", period__label="2010/11 Q3").exists()


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token lpt_made-up"])
def test_a_malformed_or_unknown_token_is_refused_in_words(people, open_round, header):
    response = Client().put(
        API,
        json.dumps({"values": {"value": 1}, "version": 0}),
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code == 403
    assert "token" in response.json()["detail"].lower()


def test_the_session_still_needs_csrf_and_token_requests_are_private(client, people, open_round):
    key = _make_token(client, people["officer"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["officer"])
    response = browser.put(API, json.dumps({"values": {"value": 1}, "version": 0}), content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]

    read = Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")
    assert read["Cache-Control"] == "private, no-store"


def test_token_requests_are_throttled_like_the_session(people, open_round, monkeypatch):
    from django.conf import settings

    monkeypatch.setitem(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "returns", "2/minute")
    key = _make_token(Client(), people["officer"])
    codes = [Client().get(API, HTTP_AUTHORIZATION=f"Token {key}").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the owner may read the return (not started), then the returns rate


def test_only_a_signed_in_person_makes_a_token_and_only_for_themselves(people):
    anonymous = Client().post("/accounts/api-token/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not ApiToken.objects.exists()
    client = Client()
    client.force_login(people["member"])
    client.post("/accounts/api-token/")
    assert list(ApiToken.objects.values_list("user", flat=True)) == [people["member"].pk]


def test_an_administrator_revokes_someones_token_in_the_admin(admin_client, people, open_round):
    key = _make_token(Client(), people["officer"])
    token = ApiToken.objects.get(user=people["officer"])
    page = admin_client.get("/admin/accounts/apitoken/").content.decode()
    assert token.prefix in page and token.digest not in page

    response = admin_client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _put(key).status_code == 403
    assert SecurityEvent.objects.filter(user=people["officer"], kind="api-token-revoked").exists()
