"""The API's throttles: anonymous clients by address, signed-in users by account, returns by their own
scope; past a limit, 429 with a message in words and Retry-After."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from tests.conftest import ROOT_DIR, Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    """Set rates as the environment would (settings.REST_FRAMEWORK, which DRF's throttles read)."""

    def set_rates(**rates: str) -> None:
        for scope, rate in rates.items():
            monkeypatch.setitem(django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope, rate)

    return set_rates


def test_anonymous_clients_are_limited_by_address_with_a_clear_429(rates):
    rates(anon="5/minute")
    client = Client()
    # Each a different address of the API: a response already in the public page cache is answered from
    # it without reaching the API, so it costs nothing and is not counted (portal/page_cache.py).
    for n in range(5):
        assert client.get(f"/api/v1/plans/?n={n}", REMOTE_ADDR="203.0.113.9").status_code == 200
    refused = client.get("/api/v1/plans/?n=5", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    wait = refused.json()["retry_after"]
    assert 0 < wait <= 60 and refused["Retry-After"] == str(wait)
    assert refused.json()["detail"] == (
        "Too many requests: the API limits how often it may be called for clients that are not signed in. "
        f"Try again in {wait} seconds."
    )
    # Another address has its own allowance; a forged X-Forwarded-For does not buy a new one.
    assert client.get("/api/v1/plans/?n=6", REMOTE_ADDR="198.51.100.9").status_code == 200
    forged = client.get("/api/v1/plans/?n=7", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert forged.status_code == 429


def test_signed_in_users_are_limited_per_account(rates, people):
    rates(user="3/minute")
    first, second = Client(), Client()
    first.force_login(people["member"])
    second.force_login(people["officer"])
    for _ in range(3):
        assert first.get("/api/v1/plans/").status_code == 200
    refused = first.get("/api/v1/plans/", REMOTE_ADDR="198.51.100.20")  # a new address changes nothing
    assert refused.status_code == 429
    assert "for your account" in refused.json()["detail"]
    assert second.get("/api/v1/plans/").status_code == 200


def test_returns_have_their_own_tighter_scope(rates, people, open_round):
    rates(returns="2/minute")
    client = Client()
    client.force_login(people["officer"])
    url = "/api/v1/returns/ni-156/2010-11-q3/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/plans/").status_code == 200  # other reads go on


def test_rates_come_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LUTON_API_"))}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])",
        ],
        cwd=ROOT_DIR,
        env={
            **env,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "LUTON_API_ANON_RATE": "7/second",
            "LUTON_API_USER_RATE": "8/second",
            "LUTON_API_RETURNS_RATE": "9/second",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "{'anon': '7/second', 'user': '8/second', 'returns': '9/second'}"
