"""`make bench` is not run in CI (it takes minutes); this keeps its builder and timer from rotting."""

from django.test.utils import override_settings

from indicators.models import Indicator, Return
from partners.models import Partner
from plans.models import Plan
from portal import bench


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
        reports = bench.report_types()
        assert reports["the LAA's report pack, PDF"] == ["/reports/laa-2008-11/2010-11-q2.pdf"]
        assert reports["a synthetic plan's report pack, XLSX"][0].startswith("/reports/bench-plan-0/")
        for urls in reports.values():
            p50, p95, queries, cold = bench.measure(bench.Client(), urls, rounds=1)
            assert 0 < p50 <= p95 and queries > 0
