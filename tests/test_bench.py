"""`make bench` is not run in CI (it takes minutes); this keeps its builder and timer from rotting."""

from django.test.utils import override_settings
from django_tasks_db.models import DBTaskResult

from indicators.models import Indicator, Return
from partners.models import Partner
from plans.models import Plan
from portal import bench, bench_packs


def test_the_benchmark_builds_a_council_and_times_its_pages(db):
    indicators_before = Indicator.objects.count()
    bench.build(bench.Size(plans=2, priorities=2, outcomes=2, indicators=12, years=2, partners=3, risks=2))
    assert Indicator.objects.count() - indicators_before == 12
    assert Plan.objects.filter(slug__startswith="bench-plan-").count() == 2
    assert Partner.objects.filter(slug__startswith="bench-partner-").count() == 3
    assert Return.objects.filter(indicator__slug__startswith="lbc-").exists()

    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        pages = bench.page_types()
        assert set(pages) >= {"home", "plan", "outcome", "indicator", "partner", "API indicators of a plan"}
        for urls in pages.values():
            p50, p95, queries, cold = bench.measure(bench.Client(), urls, rounds=1)
            assert 0 < p50 <= p95 and queries > 0 and cold > 0
        p50, p95, queries, cold = bench.measure(bench.member_client(), ["/dashboard/"], rounds=1)
        assert queries > 0
    packs = bench_packs.pack_urls()
    assert packs["the LAA's"] == "/reports/laa-2008-11/2010-11-q2"
    assert packs["a synthetic plan's"].startswith("/reports/bench-plan-0/")


def test_the_benchmark_times_each_pack_format_until_its_file_is_ready(django_db_blocker, settings, tmp_path):
    """The bench's pack timing, on the LAA, with its PDF drawn by the real worker as a large plan's is (on
    committed data, as the benchmark runs: the worker reads the task as another process would)."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.LUTON_PACK_BACKGROUND_INDICATORS = 10  # the LAA's 58 indicators: drawn in the background
    with django_db_blocker.unblock(), override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        pdf = bench_packs.measure_file(bench.Client(), "/reports/laa-2008-11/2010-11-q2.pdf", rounds=1)
        csv = bench_packs.measure_file(bench.Client(), "/reports/laa-2008-11/2010-11-q2.csv", rounds=1)
    assert (pdf.where, csv.where) == ("background", "request")
    assert pdf.p50 > csv.p50 > 0 and pdf.cpu > 0 and pdf.queries > csv.queries
    assert not list(tmp_path.rglob("*.pdf"))  # each drawing forgotten, its file removed
    with django_db_blocker.unblock():
        assert not DBTaskResult.objects.filter(task_path__startswith="reports.").exists()
