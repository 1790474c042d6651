"""When something fails: words for people and details in the log, never a traceback; a 503 when the
database goes away, with nothing half-written, and the portal carrying on once it is back."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.conftest import Client

SERVER_PATH = "/srv/luton-plan"


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.failing_urls"


@pytest.mark.django_db
def test_an_unexpected_error_is_a_page_in_words_and_the_details_go_to_the_log(failing_urls, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/fails/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert f"quote reference <strong>{response['X-Request-ID']}</strong>" in page
    assert "Traceback" not in page and SERVER_PATH not in page and "RuntimeError" not in page
    [logged] = [r for r in caplog.records if r.name == "django.request"]
    assert logged.exc_info[0] is RuntimeError and logged.request_id == response["X-Request-ID"]

    api = client.get("/api/v1/fails/")
    assert api.status_code == 500
    assert api.json() == {
        "detail": "Something went wrong on our side. Nothing was changed by this request.",
        "request_id": api["X-Request-ID"],
    }


@pytest.mark.django_db
def test_a_database_that_refuses_is_a_503_asking_to_try_again_shortly(failing_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/database-refuses/")
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in page
    assert "If you were saving or submitting something, it was not saved" in page
    assert "Connection refused" not in page
    api = client.get("/api/v1/database-refuses/")
    assert api.status_code == 503 and "try again shortly" in api.json()["detail"]


@pytest.mark.django_db
def test_the_admin_import_shows_what_was_wrong_without_a_traceback(admin_client, caplog):
    missing_columns = "indicator,period\nNI 16,2010/11\n"
    with caplog.at_level(logging.DEBUG, logger="import_export"):
        response = admin_client.post(
            "/admin/indicators/target/import/",
            {
                "format": "0",
                "resource": "0",
                "import_file": SimpleUploadedFile("t.csv", missing_columns.encode(), content_type="text/csv"),
            },
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file could not be imported: row 1: missing column(s) &#x27;plan&#x27;, &#x27;breakdown&#x27;" in page
    assert "Nothing was imported" in page
    assert "Traceback" not in page and ".py" not in page and 'class="traceback"' not in page
    # ... and the traceback is in the log, under the reference the page gives.
    [logged] = [r for r in caplog.records if r.name == "import_export.resources" and r.exc_info]
    assert logged.request_id == response["X-Request-ID"] and response["X-Request-ID"] in page


@pytest.mark.django_db
def test_health_check_reports_database_cache_and_migrations(client):
    response = client.get("/healthz?format=json")
    assert response.status_code == 200
    assert response.json() == {
        "Database(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "MigrationsApplied()": "OK",
    }


@pytest.mark.django_db
def test_health_check_fails_when_a_migration_is_not_applied():
    from django.db.migrations.recorder import MigrationRecorder
    from health_check.exceptions import ServiceUnavailable

    from core.health import MigrationsApplied

    MigrationsApplied().run()  # all applied: no complaint
    # The view runs each check on a thread of its own, which cannot see this test's uncommitted change,
    # so the check is run here, on the test's connection.
    # The app's latest migration (a leaf: an earlier one missing under an applied later one is not seen).
    MigrationRecorder.Migration.objects.filter(app="accounts").order_by("-name").first().delete()
    with pytest.raises(ServiceUnavailable, match=r"1 migration\(s\) not applied"):
        MigrationsApplied().run()


# ---- The database going away, for real (PostgreSQL) ------------------------------------------------


def _other_connection():
    """A connection of our own to the test database, outside Django's, as a second client would have."""
    import psycopg2

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    other = psycopg2.connect(**params)
    other.autocommit = True
    return other


def _wait_for_backend(admin, *, waiting_on: str, timeout: float = 20.0) -> int:
    """The pid of the backend that is blocked on a lock while running a statement containing `waiting_on`."""
    deadline = time.monotonic() + timeout
    with admin.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND wait_event_type = 'Lock' AND query LIKE %s",
                [f"%{waiting_on}%"],
            )
            row = cursor.fetchone()
            if row:
                return row[0]
            time.sleep(0.05)
    raise AssertionError(f"no backend waited on {waiting_on!r} within {timeout} s")


@pytest.fixture
def officer_with_open_round(committed_db):
    import datetime as dt

    from django.utils import timezone

    from core.roles import Role
    from indicators.models import Indicator, ReportingPeriod, Return
    from returns.actions import ensure_round
    from returns.models import RoundState
    from tests.conftest import make_user

    quarter = ReportingPeriod.objects.get(label="2010/11 Q3")
    round_ = ensure_round(quarter)
    round_.state = RoundState.OPEN
    round_.opens_on = timezone.localdate() - dt.timedelta(days=3)
    round_.deadline = timezone.localdate() + dt.timedelta(days=10)
    round_.save()
    officer = make_user("failure-officer", Role.OFFICER)
    Indicator.objects.get(code="NI 156").officers.add(officer)
    yield officer
    Return.objects.filter(indicator__code="NI 156", period=quarter).delete()
    round_.state = RoundState.UPCOMING
    round_.save()
    officer.delete()


def _state():
    from indicators.models import DataVersion, Return, Value

    returns = Return.objects.filter(indicator__code="NI 156", period__label="2010/11 Q3")
    return {
        "returns": list(returns.values_list("pk", "status")),
        "values": Value.objects.filter(submission__in=returns).count(),
        "history": Return.history.filter(indicator__code="NI 156", period__label="2010/11 Q3").count(),
        "publication version": DataVersion.current_publication(),
    }


@pytest.mark.postgres
def test_a_submission_cut_off_mid_write_saves_nothing_and_the_portal_recovers(officer_with_open_round):
    from indicators.models import Value

    entry = "/returns/2010-11-q3/indicators/ni-156/"
    submission = {"value": "560", "version": "0", "submit": "1"}
    before = _state()
    # One worker thread plays the web server: its requests share one thread, and so one connection.
    server = ThreadPoolExecutor(max_workers=1)
    client = Client(raise_request_exception=False)
    client.force_login(officer_with_open_round)
    admin = _other_connection()
    blocker = _other_connection()
    blocker.autocommit = False
    try:
        # Another session holds the figures table, so the submission stops after it has bumped the data
        # version and written its return (and the return's history), at the insert of the figure.
        with blocker.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{Value._meta.db_table}" IN SHARE MODE')
        pending = server.submit(client.post, entry, submission)
        pid = _wait_for_backend(admin, waiting_on=f'INSERT INTO "{Value._meta.db_table}"')
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])  # the database goes away mid-write
        blocker.rollback()
        response = pending.result(timeout=30)

        assert response.status_code == 503
        assert "Sorry, the service is unavailable" in response.content.decode()
        assert _state() == before  # no return, no figure, no history, the same data version

        # The same server thread, the database back: the next request works without anyone's help.
        again = server.submit(client.post, entry, submission).result(timeout=30)
        assert again.status_code == 302, again.content.decode()[:500]
        after = _state()
        assert [status for _, status in after["returns"]] == ["submitted"]
        assert after["values"] == 1
    finally:
        blocker.close()
        admin.close()
        server.submit(lambda: connection.close()).result()
        server.shutdown()


class WsgiServer:
    """Requests through Django's WSGI handler, as a real server makes them (the test client skips the
    start-of-request connection checks), all on one worker thread, as one server process's would be."""

    def __init__(self, session_cookie: str) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.cookie = session_cookie
        self.thread = ThreadPoolExecutor(max_workers=1)

    def _get(self, path: str) -> tuple[int, str]:
        from wsgiref.util import setup_testing_defaults

        environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", "HTTP_COOKIE": f"sessionid={self.cookie}"}
        setup_testing_defaults(environ)
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])

        result = self.handler(environ, start_response)
        try:
            body = b"".join(result).decode()
        finally:
            result.close()  # ends the request: Django's end-of-request connection handling runs here
        return answer["status"], body

    def get(self, path: str) -> tuple[int, str]:
        return self.thread.submit(self._get, path).result(timeout=30)

    def run(self, function):
        return self.thread.submit(function).result(timeout=30)

    def stop(self) -> None:
        self.run(lambda: connection.close())
        self.thread.shutdown()


@pytest.mark.postgres
def test_a_kept_connection_that_died_between_requests_is_replaced_without_an_error(officer_with_open_round):
    """CONN_MAX_AGE keeps a connection between requests; after a database restart the kept one is dead.
    CONN_HEALTH_CHECKS notices at the next request, which simply reconnects: no error for anyone."""
    client = Client()
    client.force_login(officer_with_open_round)
    admin = _other_connection()
    kept_for = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60  # as in production (the test settings close after each)
    server = WsgiServer(client.cookies["sessionid"].value)
    try:
        assert server.get("/returns/")[0] == 200

        def backend_pid():
            return connection.connection.info.backend_pid if connection.connection else None

        pid = server.run(backend_pid)
        assert pid is not None  # kept open after the request
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])  # as a database restart would

        status, page = server.get("/returns/")
        assert status == 200
        assert "NI 156" in page
        assert server.run(backend_pid) not in (None, pid)  # a new connection, kept in turn
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = kept_for
        admin.close()
        server.stop()
