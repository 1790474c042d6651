"""Two people saving the same return at once: the second save is refused, nothing is overwritten.

Needs PostgreSQL (SQLite has no row locks): two real sessions on two connections, released together.
"""

import threading

import pytest
from django.db import connection

from indicators.models import Indicator, ReportingPeriod, Return
from returns import actions

pytestmark = pytest.mark.postgres


def test_the_database_is_postgresql_here(committed_db):
    assert connection.vendor == "postgresql"
    assert not connection.in_atomic_block  # these tests see committed data, as other sessions do


def test_a_concurrent_second_save_is_refused_not_merged(committed_db):
    # Not pytest-django's django_user_model fixture: it asks for `db`, which wraps the test in a
    # transaction that the other sessions could not see through.
    from django.contrib.auth import get_user_model

    django_user_model = get_user_model()
    from tests.conftest import open_round_for

    indicator = Indicator.objects.get(code="NI 181")
    period = ReportingPeriod.objects.get(label="2009/10 Q2")
    round_ = open_round_for(period)
    officer = django_user_model.objects.create_user("concurrent-officer", password="a-long-test-password")
    first = actions.do_save_return(
        indicator=indicator,
        period=period,
        entered=actions.ReturnInput(numbers={"value": {"value": 40}}),
        by=officer,
        expected_version=0,
        submit=False,
    )
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def save(figure: int) -> None:
        try:
            start.wait(timeout=10)
            actions.do_save_return(
                indicator=indicator,
                period=period,
                entered=actions.ReturnInput(numbers={"value": {"value": figure}}),
                by=officer,
                expected_version=first.version,
                submit=False,
            )
            outcomes[figure] = "saved"
        except actions.StaleEdit as error:
            outcomes[figure] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(figure,)) for figure in (41, 42)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(outcomes.values(), key=lambda outcome: outcome != "saved")[0] == "saved"
        refused = [outcome for outcome in outcomes.values() if outcome != "saved"]
        assert len(refused) == 1
        assert "was changed by concurrent-officer" in refused[0]
        winner = next(figure for figure, outcome in outcomes.items() if outcome == "saved")
        saved = Return.objects.get(pk=first.pk)
        assert (saved.version, saved.values.get().value) == (first.version + 1, winner)
    finally:
        Return.objects.filter(pk=first.pk).delete()
        round_.delete()
        officer.delete()


def test_two_people_saving_in_two_rounds_in_opposite_orders_do_not_deadlock(committed_db):
    # Each save holds its round (so that it cannot be signed off meanwhile) and locks its return. Were the
    # rounds held exclusively, one session holding round A while the other holds round B would each wait
    # for the other in its second save: PostgreSQL would abort one of them. They are held shared.
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from tests.conftest import open_round_for

    q2, q3 = ReportingPeriod.objects.get(label="2009/10 Q2"), ReportingPeriod.objects.get(label="2009/10 Q3")
    rounds = [open_round_for(q2), open_round_for(q3)]
    officer = get_user_model().objects.create_user("deadlock-officer", password="a-long-test-password")
    first_saved, second_saved = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def save(code: str, period: ReportingPeriod) -> None:
        actions.do_save_return(
            indicator=Indicator.objects.get(code=code),
            period=period,
            entered=actions.ReturnInput(numbers={"value": {"value": 40}}),
            by=officer,
            expected_version=0,
            submit=False,
        )

    def session(name: str, code: str, periods: list[ReportingPeriod], *, leads: bool) -> None:
        # Both first saves happen while the other session's transaction is open and holds its round.
        try:
            if not leads:
                assert first_saved.wait(timeout=10), "the first session did not save"
            with transaction.atomic():
                save(code, periods[0])
                if leads:
                    first_saved.set()
                    assert second_saved.wait(timeout=10), "the second session's first save waited on the first's"
                else:
                    second_saved.set()
                save(code, periods[1])
            outcomes[name] = "saved"
        except Exception as error:  # whatever it is, the assertion below names it
            outcomes[name] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=session, args=("first", "NI 181", [q2, q3]), kwargs={"leads": True}),
        threading.Thread(target=session, args=("second", "NI 192", [q3, q2]), kwargs={"leads": False}),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert outcomes == {"first": "saved", "second": "saved"}
    finally:
        Return.objects.filter(period__in=[q2, q3], indicator__code__in=["NI 181", "NI 192"]).delete()
        for round_ in rounds:
            round_.delete()
        officer.delete()


def test_a_large_upload_makes_no_one_wait(committed_db, tmp_path):
    """While an officer uploads 10,000 figures, another officer saves and submits a return and the
    performance team signs one off, each without waiting more than a second for a lock: the upload is
    checked before any lock is taken, writes in bulk, holds its round only with a shared lock and moves
    the data version as its very last write (docs/decisions/0003). The upload runs in its own process,
    as it would in production. PostgreSQL's lock_timeout makes any wait over a second an error, so the
    test measures waiting for locks, not this shared machine's speed."""
    import csv
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from indicators.models import Breakdown, Frequency, Unit
    from tests.conftest import open_round_for

    users = get_user_model().objects
    period = ReportingPeriod.objects.get(label="2009/10 Q1")
    round_ = open_round_for(period)
    from django.contrib.auth.models import Group

    from core.roles import Role

    uploader = users.create_user("bulk-officer", password="a-long-test-password")
    officer = users.create_user("busy-officer", password="a-long-test-password")
    approver = users.create_user("busy-approver", password="a-long-test-password")
    officers, _ = Group.objects.get_or_create(name=Role.OFFICER)
    officers.user_set.add(uploader, officer)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            slug=f"bulk-measure-{n}", title=f"Bulk measure {n}", unit=Unit.COUNT, frequency=Frequency.QUARTERLY
        )
        for n in range(2_500)
    )
    Breakdown.objects.bulk_create(
        Breakdown(indicator=indicator, dimension="ward", name=f"Ward {w}", slug=f"ward-{w}", order=w)
        for indicator in indicators
        for w in range(4)
    )
    Indicator.officers.through.objects.bulk_create(
        Indicator.officers.through(indicator_id=indicator.pk, user_id=uploader.pk) for indicator in indicators
    )
    path = tmp_path / "returns.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "period", "breakdown", "value"])
        for indicator in indicators:
            for w in range(4):
                writer.writerow([indicator.slug, period.label, f"Ward {w}", 10 + w])
    own = [Indicator.objects.get(code=code) for code in ("NI 181", "NI 192", "NI 193")]
    for indicator in own:
        indicator.officers.add(officer)
    script = (
        "from django.contrib.auth import get_user_model;"
        "from django.core.files.uploadedfile import SimpleUploadedFile;"
        "from returns.bulk import upload_returns;"
        "from returns.models import ReportingRound;"
        f"f = SimpleUploadedFile('returns.csv', open({str(path)!r}, 'rb').read());"
        f"r = upload_returns(get_user_model().objects.get(username='bulk-officer'), ReportingRound.objects.get(pk={round_.pk}), f);"
        "print('UPLOADED', r.saved, r.problems[:3])"
    )
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    timings: list[tuple[str, float]] = []
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'")
    try:
        upload = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "shell", "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        n = 0
        while upload.poll() is None:
            indicator = own[n % len(own)]
            existing = Return.objects.filter(indicator=indicator, period=period).first()
            started = time.monotonic()
            submitted = actions.do_save_return(
                indicator=indicator,
                period=period,
                entered=actions.ReturnInput(numbers={"value": {"value": 40 + n % 5}}, commentary="Busy."),
                by=officer,
                expected_version=existing.version if existing else 0,
                submit=True,
            )
            timings.append(("save", time.monotonic() - started))
            started = time.monotonic()
            actions.do_review_return(
                submission=submitted, by=approver, approve=False, reason="Again, please.", expected_version=submitted.version
            )
            timings.append(("sign-off", time.monotonic() - started))
            n += 1
        out, err = upload.communicate(timeout=300)
        assert "UPLOADED 2500 []" in out, err[-3000:]
        assert Return.objects.filter(indicator__in=indicators, period=period).count() == 2_500
        # Every save and sign-off above succeeded: none waited a second for a lock (lock_timeout).
        assert len(timings) >= 4, "the other officer's work never overlapped the upload"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
        Return.objects.filter(period=period).delete()
        Indicator.objects.filter(pk__in=[i.pk for i in indicators]).delete()
        for indicator in own:
            indicator.officers.remove(officer)
        round_.delete()
        users.filter(pk__in=[uploader.pk, officer.pk, approver.pk]).delete()
