"""`make load`: 50 officers (each their own account, saving drafts of their returns), 20 members
(browsing the dashboard's filters) and 100 public visitors at once, through gunicorn with the
production settings, driven by locust (scripts/locustfile.py). The table gives p50/p95 per request
type, errors and requests per second.

Aims (issue 13), on this machine: p95 under 500 ms for writes and under 1 s for dashboards, 0 errors.
"""

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import Role
from indicators.models import Frequency, Indicator, ReportingPeriod, Unit
from portal.bench_http import Server
from returns.actions import ensure_round
from returns.models import RoundState

OFFICERS, MEMBERS, VISITORS = 50, 20, 100
QUARTER = "2010/11 Q3"
PASSWORD = "load-test-password-not-for-real-use"  # noqa: S105 - accounts in a load-test database only


def prepare() -> dict:
    """The accounts and the open round; run again, it changes nothing."""
    users = get_user_model()
    officer_group = Group.objects.get_or_create(name=Role.OFFICER.value)[0]
    member_group = Group.objects.get_or_create(name=Role.MEMBER.value)[0]
    quarter = ReportingPeriod.objects.get(label=QUARTER)
    round_ = ensure_round(quarter)
    if round_.state != RoundState.OPEN:
        round_.state = RoundState.OPEN
        round_.save()
    for n in range(OFFICERS):
        indicator, _ = Indicator.objects.get_or_create(
            slug=f"load-measure-{n:02d}",
            defaults={"title": f"Load-test measure {n}", "frequency": Frequency.QUARTERLY, "unit": Unit.COUNT},
        )
        user, _ = users.objects.get_or_create(username=f"load-officer-{n:02d}")
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([officer_group])
        indicator.officers.set([user])  # each officer their own return: no two edit the same one
    for n in range(MEMBERS):
        user, _ = users.objects.get_or_create(username=f"load-member-{n:02d}")
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([member_group])
    return {"officers": OFFICERS, "members": MEMBERS, "round": round_}


def _table(stats_csv: Path, seconds: int) -> str:
    lines = [
        f"Load: {OFFICERS} officers, {MEMBERS} members, {VISITORS} public visitors at once for {seconds} s after",
        "ramping up, through gunicorn (production settings, page cache on); times in ms.",
        "Aims: writes p95 < 500, dashboards p95 < 1000, 0 errors.",
        "",
        "| request | requests | errors | p50 ms | p95 ms | requests/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    with stats_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
            lines.append(
                f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} "
                f"| {float(row['Requests/s']):.1f} |"
            )
    return "\n".join(lines)


def run(*, seconds: int) -> str:
    server = Server(WEB_CONCURRENCY=os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() * 2 + 1)))
    server.start()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            prefix = Path(scratch) / "load"
            env = {**os.environ, "LUTON_LOAD_PASSWORD": PASSWORD, "LUTON_LOAD_QUARTER": QUARTER}
            subprocess.run(  # noqa: S603 - our own arguments
                [
                    str(Path(sys.executable).with_name("locust")),
                    "--locustfile", str(settings.BASE_DIR / "scripts" / "locustfile.py"),
                    "--headless",
                    "--host", f"http://127.0.0.1:{server.port}",
                    "--users", str(OFFICERS + MEMBERS + VISITORS),
                    "--spawn-rate", "20",
                    "--run-time", f"{seconds + 10}s",
                    "--csv", str(prefix),
                    "--only-summary",
                    "--reset-stats",  # measure the steady state, not the sign-ins of the ramp
                    "--loglevel", "WARNING",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                check=False,  # locust exits 1 when any request failed: the table says which
                timeout=seconds + 120,
            )
            return _table(Path(f"{prefix}_stats.csv"), seconds)
    finally:
        server.stop()
