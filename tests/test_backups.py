"""Backups restore: every row of every table comes back identical, and a damaged file is refused."""

import hashlib
import os
import secrets
import sqlite3
import subprocess
import sys
import uuid

import pytest
from django.db import connection

from core.backups import SUFFIXES
from tests.conftest import ROOT_DIR, skip_or_fail


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_sqlite_backup_restores_every_row(tmp_path):
    source = tmp_path / "portal.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE figures (id INTEGER PRIMARY KEY, code TEXT, value REAL)")
        db.executemany("INSERT INTO figures (code, value) VALUES (?, ?)", [("NI 16", 30.5), ("NI 192", 43.0)])
    backups = tmp_path / "backups"

    made = manage("backup", "--output-dir", str(backups), database_url=f"sqlite:///{source}")
    assert made.returncode == 0, made.stderr
    [backup] = backups.glob("*.sqlite3")
    checksum = (backups / f"{backup.name}.sha256").read_text()
    assert checksum == f"{hashlib.sha256(backup.read_bytes()).hexdigest()}  {backup.name}\n"

    restored = tmp_path / "restored.sqlite3"
    result = manage("restore", str(backup), database_url=f"sqlite:///{restored}")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(restored) as db:
        assert db.execute("SELECT * FROM figures ORDER BY id").fetchall() == [(1, "NI 16", 30.5), (2, "NI 192", 43.0)]


@pytest.mark.django_db
def test_a_damaged_backup_or_a_database_with_tables_is_refused(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from core.backups import write_checksum

    backup = tmp_path / f"luton-portal-20261129T013000Z{SUFFIXES[connection.vendor]}"
    backup.write_bytes(b"a backup's bytes " * 100)
    write_checksum(backup)
    # The test database has tables: restoring over it is refused (after the checksum passed).
    with pytest.raises(CommandError, match=r"already has \d+ tables\. Restore into a new, empty database"):
        call_command("restore", str(backup))

    content = bytearray(backup.read_bytes())
    content[len(content) // 2] ^= 0xFF  # one byte changed
    backup.write_bytes(bytes(content))
    with pytest.raises(CommandError, match="does not match its checksum: the file is damaged or was changed"):
        call_command("restore", str(backup))
    backup.with_name(backup.name + ".sha256").unlink()
    with pytest.raises(CommandError, match="is missing: without its checksum"):
        call_command("restore", str(backup))


# ---- PostgreSQL: a populated portal, backed up and restored into a fresh database -----------------------


def _postgres_url(name: str) -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def _fingerprint(database: str) -> dict[str, tuple[int, str]]:
    """Every table of `database`: its row count and a digest of all its rows in a fixed order; and every
    sequence's next value (so that new rows after a restore get fresh keys)."""
    import psycopg2
    from psycopg2 import sql

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params["dbname"] = database
    result = {}
    with psycopg2.connect(**params) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        for (table,) in cursor.fetchall():
            query = "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
            cursor.execute(sql.SQL(query).format(sql.Identifier(table)))
            result[table] = cursor.fetchone()
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        for sequence, last_value in cursor.fetchall():
            result[f"sequence {sequence}"] = (last_value, "")
    db.close()
    return result


@pytest.fixture
def populated(committed_db):
    """The Luton data plus a quarter's returns through the cycle: drafts, submissions, approvals with
    their figures, people, and the history of each change."""
    from core.roles import Role
    from indicators.models import Indicator, ReportingPeriod, Return
    from returns import actions
    from returns.actions import ensure_round
    from returns.models import ReportingRound, RoundState
    from tests.conftest import make_user

    officer = make_user("backup-officer", Role.OFFICER)
    approver = make_user("backup-approver", Role.PERFORMANCE_TEAM)
    quarter = ReportingPeriod.objects.get(label="2010/11 Q2")
    round_ = ensure_round(quarter)
    round_.state = RoundState.OPEN
    round_.save()
    made = []
    for code, figure in [("NI 16", 36), ("NI 192", 43), ("NI 156", 560)]:
        indicator = Indicator.objects.get(code=code)
        indicator.officers.add(officer)
        submission = actions.do_save_return(
            indicator=indicator,
            period=indicator.period_owed(quarter, ReportingPeriod.objects.academic_by_reporting_year()),
            entered=actions.ReturnInput(numbers={"value": {"value": figure}}, commentary="Backed up."),
            by=officer,
            expected_version=0,
            submit=True,
        )
        if code != "NI 156":
            submission = actions.do_review_return(
                submission=submission, by=approver, approve=True, expected_version=submission.version
            )
        made.append(submission.pk)
    yield
    Return.objects.filter(pk__in=made).delete()
    ReportingRound.objects.filter(pk=round_.pk).delete()
    officer.delete()
    approver.delete()


@pytest.mark.postgres
def test_a_postgres_backup_restores_every_plan_target_figure_approval_user_and_history_row(populated, tmp_path):
    import shutil

    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        skip_or_fail("pg_dump and pg_restore are not installed (apt-get install postgresql-client)")
    source = connection.settings_dict["NAME"]
    fresh = f"luton_restore_{uuid.uuid4().hex[:12]}"
    before = _fingerprint(source)
    for table in [
        "plans_plan",
        "indicators_target",
        "indicators_value",
        "indicators_return",
        "auth_user",
        "indicators_historicalreturn",
        "indicators_historicaltarget",
        "indicators_historicalvalue",
    ]:
        assert before[table][0] > 0, f"{table} is empty: the test would prove nothing about it"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM indicators_return WHERE status = 'approved'")
        assert cursor.fetchone()[0] >= 2

    made = manage("backup", "--output-dir", str(tmp_path), database_url=_postgres_url(source))
    assert made.returncode == 0, made.stderr
    [dump] = tmp_path.glob("*.dump")
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert (tmp_path / f"{dump.name}.sha256").exists()

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored = manage("restore", str(dump), database_url=_postgres_url(fresh))
        assert restored.returncode == 0, restored.stderr
        after = _fingerprint(fresh)
        assert set(after) == set(before)
        differing = [table for table in before if after[table] != before[table]]
        assert differing == []

    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
