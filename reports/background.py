"""Pack files too slow to draw within a request, drawn by the task worker (Django's tasks framework on the
database, django-tasks-db: `manage.py db_worker`) and kept in the default storage.

The rule (docs/decisions/0007, README): **a PDF of a plan naming more than LUTON_PACK_BACKGROUND_INDICATORS
indicators (80) is drawn in the background**; every other file is drawn in the request. Drawing a PDF
costs about 0.7 s plus 30 ms an indicator on this machine's CPUs (the LAA's 58: about 2.5 s; the benchmark's
synthetic plan of 104: about 6 s), and the XLSX and CSV of even the synthetic plan under half a second.
The estimate counts the plan's indicators, not a narrower pack's: a conservative, one-query guess.

A request for such a file finds the task already asked for the same file (or enqueues one) and shows its
progress. The same file is the same plan, period, query choices (reports/choices.py), format, site address
and publication version (indicators.models.DataVersion); a staff pack's also counts the figures awaiting
sign-off and when the last of them changed, which do not move the publication version. A failed task, or
a finished one whose file is gone, is asked for again.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Max
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from indicators.models import DataVersion, Indicator, Return, ReturnStatus
from reports.choices import PackChoice
from reports.tasks import draw_pack_file

STATUS_WORDS = {  # the task's status, as the progress page says it
    TaskResultStatus.READY: "Waiting to be drawn",
    TaskResultStatus.RUNNING: "Being drawn",
    TaskResultStatus.SUCCESSFUL: "Ready to download",
    TaskResultStatus.FAILED: "Could not be drawn",
}


def runs_in_background(choice: PackChoice, extension: str) -> bool:
    """Whether this file of this pack is drawn by the worker rather than in the request (the rule above).
    One query, for a PDF only."""
    if extension != "pdf":
        return False
    return Indicator.objects.for_plan(choice.plan.slug).count() > settings.LUTON_PACK_BACKGROUND_INDICATORS


def file_key(choice: PackChoice, extension: str, *, base_url: str) -> str:
    """What names one drawing of a file: the same key, the same bytes (but for the moment "figures as at")."""
    named: list = [choice.plan.slug, choice.period.slug, choice.params, extension, base_url]
    named.append(DataVersion.current_publication())
    if choice.staff_only:
        awaiting = Return.objects.filter(status=ReturnStatus.SUBMITTED).aggregate(n=Count("pk"), last=Max("updated_at"))
        named.append([awaiting["n"], awaiting["last"].isoformat() if awaiting["last"] else ""])
    return hashlib.sha256(json.dumps(named).encode()).hexdigest()[:40]


def asked_for(choice: PackChoice, extension: str, *, base_url: str) -> str:
    """The id of the task drawing this file: one already asked for (waiting, running, or done with its file
    still kept), else a new one. Four queries at most."""
    key = file_key(choice, extension, base_url=base_url)
    found = (
        DBTaskResult.objects.filter(task_path=draw_pack_file.module_path, args_kwargs__kwargs__key=key)
        .exclude(status=TaskResultStatus.FAILED)
        .order_by("-enqueued_at")
        .first()
    )
    if found is not None and (
        found.status != TaskResultStatus.SUCCESSFUL or default_storage.exists(found.return_value["name"])
    ):
        return str(found.pk)
    result = draw_pack_file.enqueue(
        key=key,
        plan=choice.plan.slug,
        period=choice.period.slug,
        params=choice.params,
        extension=extension,
        base_url=base_url,
        title=choice.title,
    )
    return str(result.id)


@dataclass(frozen=True)
class Progress:
    """A task drawing a pack's file, as its progress page shows it."""

    id: str
    status: str  # django.tasks.TaskResultStatus
    plan: str
    period: str
    params: dict
    extension: str
    title: str
    enqueued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    file: dict | None  # when done: {"name", "filename", "bytes"}

    @property
    def words(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def finished(self) -> bool:
        return self.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def progress(task_id) -> Progress | None:
    """The task drawing a pack's file, or None when there is no such task (one query)."""
    row = DBTaskResult.objects.filter(pk=task_id, task_path=draw_pack_file.module_path).first()
    if row is None:
        return None
    kwargs = row.args_kwargs["kwargs"]
    done = row.status == TaskResultStatus.SUCCESSFUL
    return Progress(
        id=str(row.pk),
        status=row.status,
        plan=kwargs["plan"],
        period=kwargs["period"],
        params=kwargs["params"],
        extension=kwargs["extension"],
        title=kwargs["title"],
        enqueued_at=_to_the_second(row.enqueued_at),
        started_at=_to_the_second(row.started_at),
        finished_at=_to_the_second(row.finished_at),
        file=row.return_value if done else None,
    )


def _to_the_second(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(microsecond=0) if moment else None  # HTML's datetime takes no microseconds
