"""`make bench`'s report packs (issue 11): the time to draw each format of the LAA's pack and of a synthetic
plan's, until the file is ready, whether it is drawn in the request or by the task worker.

A file drawn in the background is timed from the request that asks for it, through the worker drawing it
(`db_worker --batch`, in this process), to its progress page saying it is ready. Each round draws afresh:
the page cache is off (it would hand back a public pack's file) and a finished task is forgotten (else the
next request finds its file). CPU time is this process's, the worker's included: unlike the wall clock it
does not grow when other programs share the machine.
"""

import math
import signal
import statistics
import time
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django_tasks_db.models import DBTaskResult

from indicators.models import PeriodKind, ReportingPeriod
from plans.models import Plan

FORMATS = (("page", "/"), ("PDF", ".pdf"), ("XLSX", ".xlsx"), ("CSV", ".csv"))


def pack_urls() -> dict[str, str]:
    """The LAA's pack at 2010/11 Q2, and the first synthetic plan's at its latest quarter with figures."""
    packs = {"the LAA's": "/reports/laa-2008-11/2010-11-q2"}
    plan = Plan.objects.filter(slug__startswith="bench-plan-").order_by("order").first()
    latest = (
        ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, returns__indicator__slug__startswith="lbc-")
        .order_by("-start")
        .first()
    )
    if plan is not None and latest is not None:
        packs["a synthetic plan's"] = f"/reports/{plan.slug}/{latest.slug}"
    return packs


@dataclass(frozen=True)
class Drawn:
    where: str  # "request" or "background"
    p50: float  # seconds, wall clock
    p95: float
    cpu: float  # seconds of this process's CPU, median
    queries: int  # the request's (the most of any round)


def measure_file(client: Client, url: str, *, rounds: int) -> Drawn:
    """How long `url` (a pack's page or file) takes until it is ready (see the module's docstring)."""
    walls, cpus, queries, where = [], [], 0, "request"
    with override_settings(LUTON_PAGE_CACHE=False):
        _draw(client, url)  # code, templates and stylesheets loaded, as in a running server
        for _ in range(rounds):
            _forget_drawn_files()
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                background = _draw(client, url)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            queries = max(queries, len(captured.captured_queries))
            where = "background" if background else where
        _forget_drawn_files()
    walls.sort()
    return Drawn(where, statistics.median(walls), walls[max(0, math.ceil(len(walls) * 0.95) - 1)],
                 statistics.median(cpus), queries)


def _draw(client: Client, url: str) -> bool:
    """Ask for `url` and wait until its file is ready; whether the worker drew it."""
    response = client.get(url, secure=True)
    if response.status_code == 302 and "/reports/files/" in response["Location"]:
        _run_worker()
        progress = client.get(response["Location"], secure=True)
        if b"is ready" not in progress.content:
            raise RuntimeError(f"{url}: the worker did not draw the file")
        return True
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return False


def _run_worker() -> None:
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    finally:  # the worker sets its own; a benchmark interrupted with Ctrl-C should stop
        for number, handler in handlers.items():
            signal.signal(number, handler)


def _forget_drawn_files() -> None:
    for task in DBTaskResult.objects.filter(task_path__startswith="reports."):
        if task.return_value and task.return_value.get("name"):
            default_storage.delete(task.return_value["name"])
        task.delete()
