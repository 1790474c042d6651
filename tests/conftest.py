"""Shared test setup.

The Luton data is loaded once per test session into the test database (the loader is what
`make run` uses, so every test exercises the real fixtures); each test then runs in a transaction
that is rolled back, so tests may change data freely.
"""

import os
import time
from pathlib import Path

import django.test
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

REQUIRE_ALL = os.environ.get("LUTON_REQUIRE_ALL") == "1"
ROOT_DIR = Path(__file__).resolve().parent.parent


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's laptop; in CI (LUTON_REQUIRE_ALL=1) a missing capability is a failure."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (CI requires it: LUTON_REQUIRE_ALL=1)")
    pytest.skip(reason)


def redis_url_for_tests() -> str:
    """The Redis database tests may write to (keys under their own prefix); skip or fail without it."""
    url = os.environ.get("LUTON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # any failure means: no Redis here
        skip_or_fail(f"needs Redis at {url}")
    return url


def database_vendor() -> str:
    from django.db import connection

    return connection.vendor


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests on committed data (browser, concurrency) run last: their writes are not rolled back.

    Tests marked `postgres` need PostgreSQL. On SQLite they are left out: on a laptop that is a
    skip; in CI the PostgreSQL pass runs them (and a test checks that pass really is PostgreSQL).
    """
    if database_vendor() != "postgresql":
        postgres_only = [item for item in items if item.get_closest_marker("postgres")]
        if postgres_only:
            if REQUIRE_ALL:
                config.hook.pytest_deselected(items=postgres_only)
                items[:] = [item for item in items if not item.get_closest_marker("postgres")]
            else:
                for item in postgres_only:
                    item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
    if os.environ.get("LUTON_FUZZ_EXAMPLES") == "0":
        # CI fuzzes the API once, in its SQLite pass (decision 0012): the PostgreSQL pass leaves it out.
        fuzz = [item for item in items if item.get_closest_marker("fuzz")]
        config.hook.pytest_deselected(items=fuzz)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]
    committed = [item for item in items if item.get_closest_marker("browser") or item.get_closest_marker("postgres")]
    items[:] = [item for item in items if item not in committed] + committed


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database, migrated and loaded with the Luton data once for the session.

    Replaces pytest-django's own, which creates databases only when some test asks for `db`: the
    tests on committed data (browser, concurrency) need it too, even when run alone. Each pytest-xdist
    worker has its own (django_db_modify_db_settings names it test_<name>_gw0, _gw1...).
    """
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # Live-server threads must not keep connections open between requests, or the test database
    # cannot be dropped at the end.
    connection.settings_dict["CONN_MAX_AGE"] = 0
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases={"default"})
        call_command("load_luton", verbosity=0)
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            # A browser request still in flight when the session ends holds a connection: end it.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture
def run_task_worker(monkeypatch):
    """Runs the real task worker (django-tasks-db's db_worker) until the queue is empty, inside the test's
    transaction: the worker closes connections between tasks, and so does each request a task makes
    through the WSGI handler (warming), which would end the test's transaction on PostgreSQL; here they
    are kept, as the worker would find the rows after the commit (the test client does the same)."""
    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> None:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    return run


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Tests roll their data back; what one cached must not be seen by the next.
    from django.core.cache import caches

    from indicators.models import DataVersion
    from portal.page_cache import forget_recent_pages

    for cache in caches.all():
        cache.clear()
    forget_recent_pages()
    DataVersion.forget_recent_publication()


@pytest.fixture(autouse=True)
def _own_file_storage(settings, tmp_path):
    # Files the portal keeps (the bulk downloads' builds, issued packs) go to a folder of the test's own.
    from portal.downloads import builds

    settings.MEDIA_ROOT = str(tmp_path / "media")
    builds.forget()


@pytest.fixture(autouse=True)
def _plain_http_in_tests(settings):
    # Production settings redirect to HTTPS; the test client and live server speak plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    # Tests read the publication version on every request (the poll is tested on its own, in test_page_cache).
    settings.LUTON_PUBLICATION_POLL_MS = 0


# ---- Signing in ---------------------------------------------------------------------------------


def app_code(device) -> str:
    """The code an authenticator app shows for `device` now; if that one was used already (two sign-ins
    in one 30-second step), the next step's, which the device accepts within its tolerance of one step."""
    from django_otp.oath import hotp

    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(now, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def give_app(user):
    """A confirmed authenticator app for `user`, as if they had set one up."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


class Client(django.test.Client):
    """Django's test client, whose force_login also completes the second factor where the account has
    or needs one, as if the person had entered a code: tests of other things start fully signed in.
    Tests of two-factor sign-in itself pass second_factor=False, or sign in through the pages."""

    def force_login(self, user, backend=None, *, second_factor: bool = True):
        from django_otp import DEVICE_ID_SESSION_KEY

        from accounts.two_factor import app_device, needs_second_factor

        super().force_login(user, backend)
        if not second_factor:
            return
        device = app_device(user)
        if device is None and needs_second_factor(user):
            device = give_app(user)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def admin_client(db, admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access whose writes are committed (for live servers and concurrent sessions)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def fixtures_dir():
    return settings.LUTON_FIXTURES_DIR


# ---- People and rounds for the returns cycle -----------------------------------------------------

OPEN_QUARTER = "2010/11 Q3"


def make_user(username: str, role: str | None, *, department=None, partner=None, email: str | None = None):
    from django.contrib.auth.models import Group, User

    from accounts.models import Profile

    user = User.objects.create_user(
        username=username,
        password="a-long-test-password",
        email=email or f"{username}@example.invalid",
        first_name=username.capitalize(),
    )
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if department is not None or partner is not None:
        Profile.objects.create(user=user, department=department, partner=partner)
    return user


@pytest.fixture
def people(db):
    """One user per role the permission tests name, with the assignments that make them who they are."""
    from core.roles import Role
    from indicators.models import Indicator
    from partners.models import Partner
    from plans.models import Action, OrgUnit

    housing = OrgUnit.objects.get(slug="housing-and-community-living-department")
    regeneration = OrgUnit.objects.get(slug="environment-and-regeneration-department")
    nhs = Partner.objects.get(slug="nhs-luton")
    nhs.may_enter_returns = True
    nhs.save()
    active = Partner.objects.get(slug="active-luton")
    users = {
        "officer": make_user("olivia", Role.OFFICER, department=housing),
        "other_officer": make_user("oscar", Role.OFFICER, department=regeneration),
        "approver": make_user("arun", Role.PERFORMANCE_TEAM),
        "member": make_user("councillor", Role.MEMBER),
        "lead_partner": make_user("priya", Role.PARTNER, partner=nhs),
        "other_partner": make_user("pat", Role.PARTNER, partner=active),
        "admin": make_user("ada", Role.ADMINISTRATOR),
    }
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    ni156 = Indicator.objects.get(code="NI 156")
    ni156.officers.add(users["officer"])
    ni156.department = housing
    ni156.save()
    action = Action.objects.filter(plan__slug="corporate-plan-2008-14", outcome__isnull=False).order_by("order").first()
    action.officers.add(users["officer"])
    return users


@pytest.fixture
def open_round(db):
    """The 2010/11 Q3 round, open, due in a fortnight; the quarter before it locked."""
    import datetime as dt

    from django.utils import timezone

    from indicators.models import ReportingPeriod
    from returns.actions import ensure_round
    from returns.models import RoundState

    quarter = ReportingPeriod.objects.get(label=OPEN_QUARTER)
    round_ = ensure_round(quarter)
    round_.state = RoundState.OPEN
    round_.opens_on = timezone.localdate() - dt.timedelta(days=7)
    round_.deadline = timezone.localdate() + dt.timedelta(days=14)
    round_.save()
    return round_


def pytest_configure(config):
    # Hashing test users' passwords with the production hasher takes most of a second each.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---- Builders shared by the tests (import them from here) ------------------------------------------

SNAPSHOT_APPS = ("plans", "indicators", "partners", "accounts", "returns", "auth")


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table the loader writes (history included), in primary-key order."""
    tables = {}
    for app_label in SNAPSHOT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            # Signing in records last_login: an effect of the test's log-in, not of the request.
            fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
            tables[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return tables


def open_round_for(period):
    """The round governing `period`, opened (created with its default dates if need be)."""
    from indicators.models import PeriodKind
    from returns import actions
    from returns.models import ReportingRound, RoundState

    quarter = period if period.kind == PeriodKind.QUARTER else period.quarters.get(quarter=4)
    round_ = ReportingRound.objects.governing(period) or actions.ensure_round(quarter)
    if round_.state != RoundState.OPEN:
        round_.state = RoundState.OPEN
        round_.save()
    return round_


def publish(code: str, period: str, value, *, by, approve: bool = True):
    """Enter, submit and (by default) approve a figure; `value` may be {breakdown slug: figure}."""
    from decimal import Decimal

    from indicators.models import Indicator, ReportingPeriod, Return
    from returns import actions

    indicator = Indicator.objects.get(code=code)
    open_round_for(ReportingPeriod.objects.get(label=period))
    figures = value if isinstance(value, dict) else {"value": value}
    submission = actions.do_save_return(
        indicator=indicator,
        period=ReportingPeriod.objects.get(label=period),
        entered=actions.ReturnInput(
            numbers={key: {"value": Decimal(str(v))} for key, v in figures.items()},
            commentary="Test figure.",
            change_confirmed=True,
        ),
        by=by,
        expected_version=Return.objects.filter(indicator=indicator, period__label=period)
        .values_list("version", flat=True)
        .first()
        or 0,
        submit=True,
    )
    if approve:
        submission = actions.do_review_return(
            submission=submission, by=by, approve=True, expected_version=submission.version
        )
    return submission


def wait_until_another_session_waits_for_a_lock(timeout: float = 10) -> None:
    """A barrier for concurrency tests on PostgreSQL: return once some other session is blocked waiting
    for a lock (pg_locks shows a lock not granted), rather than sleeping and hoping it got there."""
    import time

    from django.db import connection

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT 1 FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid() LIMIT 1")
            if cursor.fetchone():
                return
            time.sleep(0.01)
    raise AssertionError(f"no other session waited for a lock within {timeout} s")
