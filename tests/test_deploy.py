"""Running the portal as it is deployed (issue 13, docs/deploy.md): gunicorn with the production settings,
the read replica for public pages, and the compose file's services and settings."""

import gzip
import os
import re
import subprocess
import sys

import pytest
import yaml

from portal.bench_http import Server
from tests.conftest import ROOT_DIR

SECRET = "deploy-test-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    """A migrated SQLite file another process can open (the test database lives in this one's memory)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('deploy') / 'portal.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": SECRET}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT_DIR, env=env, check=True, timeout=300)
    return url


def test_gunicorn_serves_the_portal_with_production_settings_and_no_control_socket(database, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    server = Server(DATABASE_URL=database, DJANGO_SECRET_KEY=SECRET, HOME=str(home))
    server.start()
    try:
        status, _ms, _size = server.get("/healthz")
        assert status == 200
        status, _ms, size = server.get("/partners/")
        assert status == 200 and size > 0
        plain_http, _body = server.fetch("/partners/", {"Accept-Encoding": "gzip", "Host": "127.0.0.1"})
        assert plain_http.status == 301  # production settings: plain HTTP is sent to HTTPS
        page, body = server.fetch(
            "/partners/", {"Accept-Encoding": "gzip", "Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        )
        assert page.getheader("Content-Encoding") == "gzip"
        assert '<h1 class="govuk-heading-xl">Partners</h1>' in gzip.decompress(body).decode()
        assert page.getheader("Strict-Transport-Security", "").startswith("max-age=")
    finally:
        server.stop()
    assert list(home.rglob("*")) == []  # gunicorn 27 left no control socket in the home directory


REPLICA_PROBE = """
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

def count(path, **extra):
    with CaptureQueriesContext(connections["default"]) as primary:
        with CaptureQueriesContext(connections["replica"]) as replica:
            with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
                status = Client().get(path, **extra).status_code
    return f"{status}:{len(primary.captured_queries)}:{len(replica.captured_queries)}"

print(count("/partners/"), count("/partners/", HTTP_COOKIE="sessionid=x"))
"""


def test_public_pages_read_from_the_replica_and_everything_else_from_the_primary(database):
    """In its own process, with the primary and a 'replica' naming the same file (as a streaming replica
    would hold the same data), an anonymous page's reads go to the replica, a session's to the primary."""
    env = {**os.environ, "DATABASE_URL": database, "DATABASE_REPLICA_URL": database, "DJANGO_SECRET_KEY": SECRET}
    env.pop("REDIS_URL", None)
    probe = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", REPLICA_PROBE],
        cwd=ROOT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    anonymous, with_a_session = probe.stdout.split()[-2:]
    status, primary, replica = anonymous.split(":")
    assert (status, primary) == ("200", "0") and int(replica) > 0
    status, primary, replica = with_a_session.split(":")
    assert int(primary) > 0 and replica == "0"


# ---- The compose file ---------------------------------------------------------------------------------


def _compose() -> dict:
    return yaml.safe_load((ROOT_DIR / "compose.yaml").read_text())


def test_compose_runs_the_jobs_once_and_scales_only_the_web_servers():
    services = _compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "reminders", "balancer"}
    assert services["worker"]["command"][:3] == ["python", "manage.py", "db_worker"]  # packs, warming
    assert services["migrate"]["command"][-1] == "python manage.py migrate --no-input && python manage.py load_luton"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["web"]["deploy"]["replicas"] >= 2
    assert "replicas" not in services["reminders"].get("deploy", {})  # one instance: reminders go once
    portal = services["web"]["environment"]
    assert portal["REDIS_URL"].startswith("redis://redis:") and portal["DJANGO_BEHIND_PROXY"] == "1"
    dockerfile = (ROOT_DIR / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "--config", "luton_plan/gunicorn.conf.py", "luton_plan.wsgi"]' in dockerfile
    assert "--require-hashes" in dockerfile


def test_every_setting_the_deployment_names_is_one_the_portal_reads():
    names = re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT_DIR / "deploy" / "env.example").read_text(), re.MULTILINE)
    read = (ROOT_DIR / "luton_plan" / "settings.py").read_text() + (ROOT_DIR / "compose.yaml").read_text()
    outside = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # read by boto3 itself
    assert len(names) > 10
    unread = [name for name in names if name not in outside and name not in read]
    assert unread == []


def test_the_reminder_timer_waits_for_the_next_working_day_morning():
    import datetime as dt
    import runpy

    next_run = runpy.run_path(str(ROOT_DIR / "deploy" / "at.py"))["next_run"]
    friday_evening, saturday, monday_early = (
        dt.datetime(2026, 11, 27, 18),
        dt.datetime(2026, 11, 28, 9),
        dt.datetime(2026, 11, 30, 7),
    )
    assert next_run(friday_evening, 8, 0) == dt.datetime(2026, 11, 30, 8)  # Monday, not Saturday
    assert next_run(saturday, 8, 0) == dt.datetime(2026, 11, 30, 8)
    assert next_run(monday_early, 8, 0) == dt.datetime(2026, 11, 30, 8)  # later the same day
    assert next_run(dt.datetime(2026, 11, 30, 8), 8, 0) == dt.datetime(2026, 12, 1, 8)  # never twice at once
