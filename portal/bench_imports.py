"""Timing the import paths (`make bench`, after the pages): 10,000 targets through `import_records`'
resource and 10,000 figures through the returns upload, each beside, in the same run and on the same
rows, django-import-export's default ModelResource and a raw bulk write (no checks, no history).

Speed is reported as ratios against those references, never as a single absolute time: this machine
is shared and noisy. Every run is rolled back, so the three paths see the same database. Ours and the raw
write are each timed RUNS times, in turn, and the fastest of each is kept (others' work on the machine only
ever adds time); the default resource, a minute or more a run and far behind, once.
"""

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from import_export import resources

from core.audit import Channel, audit
from core.importing import run_import
from core.roles import Role
from indicators.models import Breakdown, DataVersion, Indicator, PeriodKind, ReportingPeriod, Return, Target, Value
from indicators.resources import TargetResource
from plans.models import Plan
from returns import bulk
from returns.actions import ensure_round
from returns.models import RoundState

ROWS = 10_000
RUNS = 3


class _Rollback(Exception):
    pass


@dataclass
class Timing:
    seconds: float
    queries: int
    outcome: str


def _compared(ours: Callable[[], str], default: Callable[[], str], raw: Callable[[], str]) -> dict[str, Timing]:
    """Ours and the raw write, the fastest of RUNS runs each taken in turn; the default resource once."""
    runs = [(_timed(ours), _timed(raw)) for _ in range(RUNS)]
    return {
        "ours": min((o for o, _ in runs), key=lambda timing: timing.seconds),
        "default": _timed(default),
        "raw": min((r for _, r in runs), key=lambda timing: timing.seconds),
    }


def _timed(run: Callable[[], str]) -> Timing:
    """Run inside a transaction that is rolled back, counting its queries."""
    outcome = ""
    reset_queries()  # the query log holds 9,000 entries: start each count from an empty log
    started = time.perf_counter()
    try:
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            outcome = run()
            if connection.vendor == "postgresql":
                # Foreign keys are checked at commit, which a rolled-back run never reaches: check them
                # here, as our paths do before moving the data version, so every path pays for them.
                connection.check_constraints()
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return Timing(elapsed, len(queries.captured_queries), outcome)


# ---- 10,000 targets -------------------------------------------------------------------------------------


def _target_keys() -> tuple[Plan, list[tuple[Indicator, ReportingPeriod]]]:
    plan = Plan.objects.filter(slug__startswith="bench-plan-").order_by("order").first()
    indicators = list(Indicator.objects.filter(slug__startswith="lbc-", breakdowns__isnull=True).order_by("slug"))
    quarters = list(ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER).order_by("start"))
    existing = set(Target.objects.filter(plan=plan).values_list("indicator_id", "period_id"))
    keys = [(i, q) for i in indicators for q in quarters if (i.pk, q.pk) not in existing]
    if len(keys) < ROWS:
        raise RuntimeError(f"only {len(keys)} free target keys in the bench data; {ROWS} needed")
    return plan, keys[:ROWS]


class DefaultTargetResource(resources.ModelResource):
    """django-import-export's default path: foreign keys by id, one query per lookup and save per row."""

    class Meta:
        model = Target
        fields = ("plan", "indicator", "period", "breakdown", "text", "value", "designated")
        import_id_fields = ("plan", "indicator", "period", "breakdown")


def bench_targets() -> dict[str, Timing]:
    plan, keys = _target_keys()
    ours = tablib.Dataset(headers=["plan", "indicator", "period", "breakdown", "text", "value", "designated"])
    default = tablib.Dataset(headers=["plan", "indicator", "period", "breakdown", "text", "value", "designated"])
    for n, (indicator, period) in enumerate(keys):
        value = str(100 + n % 50)
        ours.append([plan.slug, indicator.slug, period.label, "", value, value, "no"])  # bench codes are not real codes
        default.append([plan.pk, indicator.pk, period.pk, "", value, value, "0"])

    def our_import() -> str:
        with DataVersion.changes():
            report = run_import(TargetResource(), ours, dry_run=False)
        return report.summary()

    def default_import() -> str:
        with audit(channel=Channel.IMPORT):
            result = DefaultTargetResource().import_data(default, dry_run=False, use_transactions=True)
        return f"{result.totals['new']} new, {len(result.row_errors())} errors"

    def raw_write() -> str:
        rows = [
            Target(plan=plan, indicator=i, period=p, text=str(100 + n % 50), value=100 + n % 50)
            for n, (i, p) in enumerate(keys)
        ]
        models.QuerySet(Target).bulk_create(rows, batch_size=1000)
        return f"{len(rows)} rows"

    return _compared(our_import, default_import, raw_write)


# ---- 10,000 figures through the returns upload --------------------------------------------------------


def uploader() -> tuple[object, object, list[Indicator]]:
    """An officer with 2,500 quarterly measures of four wards each: 10,000 figures a quarter."""
    user, created = get_user_model().objects.get_or_create(username="bench-uploader")
    if created:
        user.groups.add(Group.objects.get_or_create(name=Role.OFFICER)[0])
    indicators = list(Indicator.objects.filter(slug__startswith="bench-upload-").order_by("slug"))
    if not indicators:
        indicators = models.QuerySet(Indicator).bulk_create(
            Indicator(slug=f"bench-upload-{n:04d}", title=f"Upload measure {n}", unit="count", frequency="quarterly")
            for n in range(ROWS // 4)
        )
        models.QuerySet(Breakdown).bulk_create(
            Breakdown(indicator=i, dimension="ward", name=f"Ward {w}", slug=f"ward-{w}", order=w)
            for i in indicators
            for w in range(4)
        )
        Indicator.officers.through.objects.bulk_create(
            Indicator.officers.through(indicator_id=i.pk, user_id=user.pk) for i in indicators
        )
    quarter = ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER).order_by("-start").first()
    round_ = ensure_round(quarter)
    if round_.state != RoundState.OPEN:
        round_.state = RoundState.OPEN
        round_.save()
    return user, round_, indicators


def bench_upload() -> dict[str, Timing]:
    user, round_, indicators = uploader()
    quarter = round_.period
    wards = {i.pk: list(i.breakdowns.order_by("order")) for i in indicators}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "period", "breakdown", "value"])
    for indicator in indicators:
        for ward in wards[indicator.pk]:
            writer.writerow([indicator.slug, quarter.label, ward.name, 10 + ward.order])
    content = out.getvalue().encode()

    def our_upload() -> str:
        report = bulk.upload_returns(user, round_, SimpleUploadedFile("returns.csv", content))
        return report.summary() if report.ok else f"refused: {report.problems[:2]}"

    def _returns() -> list[Return]:
        return models.QuerySet(Return).bulk_create(Return(indicator=i, period=quarter) for i in indicators)

    def default_import() -> str:
        submissions = _returns()  # the returns the default resource's values belong to (setup, timed too)
        dataset = tablib.Dataset(headers=["submission", "breakdown", "value"])
        for submission in submissions:
            for ward in wards[submission.indicator_id]:
                dataset.append([submission.pk, ward.pk, 10 + ward.order])

        class DefaultValueResource(resources.ModelResource):
            class Meta:
                model = Value
                fields = ("submission", "breakdown", "value")
                import_id_fields = ("submission", "breakdown")

        with audit(channel=Channel.IMPORT, user=user):
            result = DefaultValueResource().import_data(dataset, dry_run=False, use_transactions=True)
        return f"{result.totals['new']} new, {len(result.row_errors())} errors"

    def raw_write() -> str:
        submissions = _returns()
        values = [
            Value(submission=s, breakdown=w, value=10 + w.order) for s in submissions for w in wards[s.indicator_id]
        ]
        models.QuerySet(Value).bulk_create(values, batch_size=1000)
        return f"{len(values)} values"

    return _compared(our_upload, default_import, raw_write)


def report(vendor: str) -> str:
    lines = [
        f"Imports on {vendor}: {ROWS:,} rows each, every run rolled back; times in seconds (ours and the raw",
        f"write the fastest of {RUNS} runs), and ours as a ratio to django-import-export's default ModelResource",
        "(aim: at least 10× faster) and to a raw bulk write (aim: at most 3× slower).",
        "",
        "| path | ours s | queries | default resource s | raw write s | default ÷ ours | ours ÷ raw |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, timings in (("targets (import_records)", bench_targets()), ("figures (returns upload)", bench_upload())):
        ours, default, raw = timings["ours"], timings["default"], timings["raw"]
        lines.append(
            f"| {name} | {ours.seconds:.2f} | {ours.queries} | {default.seconds:.2f} | {raw.seconds:.2f} "
            f"| {default.seconds / ours.seconds:.1f}× | {ours.seconds / raw.seconds:.1f}× |"
        )
        lines.append(f"<!-- {name}: ours {ours.outcome}; default {default.outcome}; raw {raw.outcome} -->")
    return "\n".join(lines)
