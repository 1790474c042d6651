"""GET /api/v1/figures/: approved figures only, judged by the pages' rules, filtered, in a stable
order, in a number of queries that does not grow with the data."""

import pytest

from indicators.models import Indicator, PlanIndicator, ReportingPeriod, Target, Value
from indicators.performance import judge_indicators
from partners.models import Partner, SignUp
from plans.models import Plan
from tests.conftest import publish

pytestmark = pytest.mark.django_db


def all_pages(client, url):
    results = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        results.extend(body["results"])
        url = body["next"]
    return results


@pytest.fixture
def published(people):
    """NI 16 on track then off track and worsening; NI 187 by band; NI 156 submitted, never approved."""
    approver = people["approver"]
    publish("NI 16", "2010/11 Q1", "30.5", by=approver)  # target 31.10, lower is better: on track
    publish("NI 16", "2010/11 Q2", "36.0", by=approver)  # off track, worsening
    publish("NI 192", "2010/11 Q2", "43.0", by=approver)  # target 42.57, higher is better: on track
    # 2010/11 targets: 8.50% below SAP 35 (lower is better), 31.25% at SAP 65 and above (higher is better).
    publish("NI 187", "2010/11", {"sap-below-35": "8.0", "sap-65-above": "28.0"}, by=approver)
    publish("NI 156", "2010/11 Q2", "999", by=approver, approve=False)  # submitted: never public


def test_every_approved_figure_and_nothing_else_is_published(client, published):
    figures = all_pages(client, "/api/v1/figures/?page_size=2")

    assert sorted(f["id"] for f in figures) == sorted(Value.objects.published().values_list("pk", flat=True))
    assert "ni-156" not in {f["indicator"] for f in figures}
    assert all(f["value"] != 999 for f in figures)


def test_no_unapproved_figure_appears_anonymously_through_any_filter(client, published, people):
    publish("NI 192", "2010/11 Q3", "77.7", by=people["approver"], approve=False)
    unapproved = set(Value.objects.exclude(submission__status="approved").values_list("pk", flat=True))
    assert len(unapproved) == 2
    for query in (
        "",
        "?indicator=NI 156",
        "?indicator=ni-192",
        "?period=2010/11 Q3",
        "?plan=laa-2008-11",
        "?partner=luton-borough-council",
        "?status=no_target",
        "?since=2000-01-01T00:00:00Z",
    ):
        figures = all_pages(client, f"/api/v1/figures/{query}")
        assert not {f["id"] for f in figures} & unapproved, query
        assert all(f["value"] not in (999, 77.7) for f in figures), query


def test_a_figure_carries_its_target_status_direction_and_commentary(client, published):
    figures = all_pages(client, "/api/v1/figures/?indicator=NI 16")

    assert [(f["period"], f["value"], f["status"], f["direction"]) for f in figures] == [
        ("2010/11 Q1", 30.5, "green", "not_comparable"),
        ("2010/11 Q2", 36, "red", "worsening"),
    ]
    latest = figures[-1]
    assert latest["indicator_code"] == "NI 16" and latest["breakdown"] is None
    assert latest["target"] == 31.1 and latest["target_text"].startswith("31.10")
    assert latest["status_label"] == "Off track"
    assert latest["commentary"] == "Test figure."
    assert latest["is_demonstration"] is False
    assert latest["period_kind"] == "quarter" and latest["period_start"] == "2010-07-01"


def test_statuses_are_those_the_pages_judge(client, published):
    """The latest figure of each indicator has the status judge_indicators gives the pages."""
    figures = all_pages(client, "/api/v1/figures/")
    indicators = list(Indicator.objects.filter(slug__in={f["indicator"] for f in figures}))
    statuses = judge_indicators(indicators)
    for indicator in indicators:
        judged = statuses[indicator.pk]
        for part in judged.parts:
            latest = [f for f in figures if f["indicator"] == indicator.slug and f["breakdown"] == part.breakdown][-1]
            assert (latest["period"], latest["status"], latest["direction"]) == (
                part.latest.period.label,
                part.rag.value,
                part.since_last.value,
            ), (indicator.slug, part.breakdown)


def test_each_band_of_a_split_indicator_is_judged_in_its_own_direction(client, published):
    figures = all_pages(client, "/api/v1/figures/?indicator=ni-187")
    # Under its target is good below SAP 35 (fewer is better); 3.25 short of 31.25 at SAP 65 is red.
    assert [(f["breakdown"], f["value"], f["status"]) for f in figures] == [
        ("SAP below 35", 8, "green"),
        ("SAP 65 & above", 28, "red"),
    ]


@pytest.mark.parametrize(
    ("query", "indicators"),
    [
        ("indicator=NI016", {"ni-16"}),
        ("indicator=ni-192", {"ni-192"}),
        ("plan=laa-2008-11", {"ni-16", "ni-192", "ni-187"}),
        ("period=2010-11-q1", {"ni-16"}),
        ("period=2010/11 Q2", {"ni-16", "ni-192"}),
        ("period=2010/11", {"ni-187"}),
        ("status=red", {"ni-16", "ni-187"}),
        ("status=green&period=2010/11 Q1", {"ni-16"}),
        ("partner=solutions", {"ni-16", "ni-187"}),
        ("since=2000-01-01T00:00:00Z", {"ni-16", "ni-192", "ni-187"}),
        ("since=2999-01-01T00:00:00Z", set()),
    ],
)
def test_filters(client, published, query, indicators):
    figures = all_pages(client, f"/api/v1/figures/?{query}")
    assert {f["indicator"] for f in figures} == indicators


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("plan=no-such-plan", "plan", "No plan has the slug"),
        ("partner=nobody", "partner", "No partner has the slug"),
        ("indicator=NI 9999", "indicator", "No indicator has the code or slug"),
        ("period=2099 Q9", "period", "No reporting period is labelled"),
        ("status=purple", "status", "purple"),
        ("since=yesterday", "since", "date"),
    ],
)
def test_a_bad_filter_is_a_400_that_names_it(client, published, query, field, words):
    response = client.get(f"/api/v1/figures/?{query}")
    assert response.status_code == 400
    assert words.lower() in " ".join(response.json()[field]).lower()


def test_the_order_is_stable_across_pages(client, published):
    one_by_one = all_pages(client, "/api/v1/figures/?page_size=1")
    at_once = all_pages(client, "/api/v1/figures/?page_size=200")
    assert [f["id"] for f in one_by_one] == [f["id"] for f in at_once]
    keys = [(f["indicator"], f["period_start"]) for f in at_once]
    assert keys == sorted(keys)


def test_an_approval_shows_in_the_figures_at_once(client, people):
    assert client.get("/api/v1/figures/?indicator=NI 192").json()["count"] == 0
    publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])
    assert client.get("/api/v1/figures/?indicator=NI 192").json()["count"] == 1


def _grow(people, count: int) -> None:
    """More indicators in the LAA, each with a target, a partner and two published quarters."""
    plan = Plan.objects.get(slug="laa-2008-11")
    partner = Partner.objects.get(slug="luton-borough-council")
    year = ReportingPeriod.objects.get(label="2010/11")
    for n in range(count):
        indicator = Indicator.objects.create(
            slug=f"grown-{n}",
            code=f"LBC {800 + n}",
            title=f"Grown {n}",
            polarity="higher",
            unit="count",
            frequency="quarterly",
        )
        link = PlanIndicator.objects.create(
            plan=plan,
            indicator=indicator,
            inclusion="local",
            printed=f"LBC {800 + n}",
            title=f"Grown {n}",
            order=500 + n,
        )
        Target.objects.create(plan=plan, indicator=indicator, period=year, text="100", value=100)
        SignUp.objects.create(plan_indicator=link, partner=partner, printed_name="LBC", lead=True)
        for quarter in ("2010/11 Q1", "2010/11 Q2"):
            publish(f"LBC {800 + n}", quarter, 90 + n, by=people["approver"])


URLS = [
    "/api/v1/figures/",
    "/api/v1/figures/?plan=laa-2008-11&partner=luton-borough-council&period=2010/11 Q2&indicator=NI 16",
    "/api/v1/figures/?status=green&since=2000-01-01T00:00:00Z",
]


@pytest.mark.parametrize("url", URLS)
def test_figure_queries_do_not_grow_with_the_data(client, people, published, url, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _grow(people, 8)
    cache.clear()
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url).status_code == 200


def test_pinned_figure_query_counts(client, published, django_assert_num_queries):
    # The publication version (the page cache's key); the version and its moment (Last-Modified);
    # indicators with published figures; judging (figures, their periods, targets, breakdowns); the
    # returns' commentary.
    with django_assert_num_queries(8):
        assert client.get("/api/v1/figures/").json()["count"] == 5
    # The same address again: the page cache answers, reading the version only.
    with django_assert_num_queries(1):
        client.get("/api/v1/figures/")
    # Another address: the page cache's version, the version and its moment, then the table from memory;
    # each filter that names a record looks it up: plan and partner (two each), indicator and period (one).
    with django_assert_num_queries(8):
        client.get("/api/v1/figures/?plan=laa-2008-11&partner=solutions&indicator=NI 16&period=2010/11 Q2")
