"""Configuration comes from the environment and production is the safe default."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_debug_the_portal_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_placeholder_secret_key_is_refused():
    result = manage("check", DJANGO_SECRET_KEY="django-insecure-change-me")
    assert result.returncode != 0
    assert "too short or a placeholder" in result.stderr


def test_a_malformed_debug_flag_is_refused_rather_than_guessed():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="plan.luton.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked(settings):
    # pytest-django forces DEBUG off too; this checks the settings module's own default.
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://postgres@127.0.0.1:5432/luton", "django.db.backends.postgresql"),
        (None, "django.db.backends.sqlite3"),
    ],
)
def test_database_from_database_url_with_sqlite_by_default(url, engine):
    env = {"DJANGO_DEBUG": "1"}
    if url:
        env["DATABASE_URL"] = url
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == engine


def test_ci_runs_each_pass_on_the_database_it_says(db):
    """.ci/run names the database of each pass; a pass that silently fell back to SQLite fails here."""
    from django.db import connection

    expected = os.environ.get("LUTON_EXPECT_DB")
    if not expected:
        skip_or_fail("LUTON_EXPECT_DB is not set: only .ci/run says which database a pass must use")
    assert connection.vendor == expected
