"""The public pages and dashboards: what they say, that they show approved figures only, and that
their number of queries does not grow with the data."""


import pytest
from django.test import override_settings

from indicators.models import Indicator, PlanIndicator, ReportingPeriod, Return, Target
from partners.models import Partner, SignUp
from plans.models import Plan
from tests.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people):
    """NI 16 on track then off track and worsening; NI 192 on track; NI 156 submitted but not approved."""
    approver = people["approver"]
    publish("NI 16", "2010/11 Q1", "30.5", by=approver)  # target 31.10, lower is better: on track
    publish("NI 16", "2010/11 Q2", "36.0", by=approver)  # off track, worsening
    publish("NI 192", "2010/11 Q2", "43.0", by=approver)  # target 42.57, higher is better: on track
    publish("NI 156", "2010/11 Q2", "999", by=approver, approve=False)  # never shown in public


def test_home_shows_each_plan_with_its_headline_and_counts(client, published):
    page = client.get("/").content.decode()
    assert "Luton&#x27;s Local Area Agreement 2008 – 2011 (2nd revision 2009-10)" in page
    assert "1 on track, 0 close to target, 1 off track, 56 without published data" in page
    assert '<strong class="govuk-tag govuk-tag--red">Off track</strong>' in page


def test_plan_page_rolls_up_each_priority(client, published):
    page = client.get("/plans/laa-2008-11/").content.decode()
    assert "Safer Stronger Communities" in page
    assert "0 on track, 0 close to target, 1 off track, 12 without published data" in page  # NI 16's theme
    assert 'href="/plans/laa-2008-11/scorecard/"' in page


def test_indicator_page_shows_targets_values_chart_table_partners_and_outcomes(client, published):
    page = client.get("/indicators/ni-16/").content.decode()
    assert "35.65 (6,660 offences)" in page and "31.10 (5,810 offences)" in page  # the LAA's printed targets
    assert "Latest published figure 36 for 2010/11 Q2, against a target of 31.10 (5,810 offences)" in page
    assert "Off track" in page and "Worsening" in page
    assert (
        '<svg class="luton-chart__svg" id="chart-ni-16"' in page
        and '<desc id="chart-ni-16-desc">Published figures from 2010/11 Q1 (30.5) to 2010/11 Q2 (36)' in page
    )
    assert "SoLUTiONS</a> <strong>(lead partner)</strong>" in page
    assert "Demonstration data" not in page
    served = client.get("/indicators/ni-14/").content.decode()
    assert "Outcomes it serves" in served and "Putting Customers First</a> (Draft Corporate Plan 2008-14)" in served


def test_unapproved_figures_never_appear_in_public(client, published):
    page = client.get("/indicators/ni-156/").content.decode()
    assert "999" not in page
    assert "No figures have been approved for publication yet." in page
    assert "999" not in client.get("/plans/laa-2008-11/scorecard/").content.decode()
    assert "999" not in client.get("/indicators/ni-156/published-figures.csv").content.decode()
    assert "999" not in client.get("/partners/luton-borough-council/").content.decode()


def test_published_figures_download_as_csv(client, published):
    response = client.get("/indicators/ni-16/published-figures.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "indicator,period,breakdown,value,target,target_as_printed,demonstration"
    assert lines[1:] == [
        'NI 16,2010/11 Q1,,30.5,31.1,"31.10 (5,810 offences)",no',
        'NI 16,2010/11 Q2,,36,31.1,"31.10 (5,810 offences)",no',
    ]


def test_a_text_target_is_no_numeric_target_not_red(client, people):
    publish("NI 153", "2010/11 Q2", {"biscot": "4.2", "dallow": "4.5", "northwell": "4.0"}, by=people["approver"])
    page = client.get("/indicators/ni-153/").content.decode()
    assert "No numeric target" in page
    assert "Off track" not in page


def test_each_band_is_judged_in_its_own_direction(people):
    from indicators.performance import judge_indicators
    from indicators.status import Rag

    # NI 187 as a whole has no direction; its bands run opposite ways. 2010/11 targets: 8.50% below
    # SAP 35 (lower is better), 31.25% at SAP 65 and above (higher is better).
    publish("NI 187", "2010/11", {"sap-below-35": "8.0", "sap-65-above": "28.0"}, by=people["approver"])
    status = judge_indicators([Indicator.objects.get(code="NI 187")])[Indicator.objects.get(code="NI 187").pk]
    assert [(part.breakdown, part.rag) for part in status.parts] == [
        ("SAP below 35", Rag.GREEN),  # under its target: good, as fewer is better
        ("SAP 65 & above", Rag.RED),  # 3.25 short of 31.25, beyond the 5% band
    ]
    assert status.rag == Rag.RED


def test_partner_page_marks_the_targets_it_leads_with_status(client, published):
    page = client.get("/partners/solutions/").content.decode()
    assert page.count("<strong>Lead partner</strong>") == 6  # NI 15, 16, 17, 21, 30 and 32
    assert "NI 16: Serious acquisitive crime rate per 1,000 population" in page
    leads = page[page.index("Targets it leads: ") :]
    assert leads.index("0 on track, 0 close to target, 1 off track") < leads.index("All targets it signed up to")


def test_scorecard_lists_every_indicator_with_baseline_target_and_status(client, published):
    page = client.get("/plans/laa-2008-11/scorecard/").content.decode()
    assert page.count('class="govuk-tag') >= 58
    assert "NI 192: % of household waste sent for reuse, recycling and composting" in page
    assert "32.49%" in page  # its baseline, as printed


def test_risk_register_is_sorted_by_residual_score_with_a_heat_map(client):
    page = client.get("/plans/corporate-plan-2011-14/risks/").content.decode()
    climate = page.index("Climate change and environmental")
    treasury = page.index("Treasury management")
    assert climate < treasury  # residual 8 before residual 3
    assert "Number of risks at each score, before and after controls" in page
    assert '<strong class="govuk-tag govuk-tag--red">High (8)</strong>' in page  # climate change, residual 8


def test_assessment_and_timeline_are_pages_of_their_plan(client):
    page = client.get("/plans/corporate-plan-2008-14/assessment/").content.decode()
    assert "Overall score: 3 out of 4" in page
    assert "Performance management" in page and "With these theme scores the rules give 3." in page
    timeline = client.get("/plans/corporate-plan-2008-14/timeline/").content.decode()
    assert "LAA2 agreed" in timeline


def test_search_by_code_as_printed_goes_straight_to_the_indicator(client):
    assert client.get("/search/", {"q": "N1 14"})["Location"] == "/indicators/ni-14/"
    assert client.get("/search/", {"q": "*NI 016"})["Location"] == "/indicators/ni-16/"
    page = client.get("/search/", {"q": "temporary accommodation"}).content.decode()
    assert "NI 156: Number of households living in temporary accommodation" in page


def test_the_methodology_page_is_the_status_rules_document(client):
    page = client.get("/about/status/").content.decode()
    assert '<h1 class="govuk-heading-xl">How statuses are decided</h1>' in page
    assert "590 is close to target" in page


def test_the_members_dashboard_puts_exceptions_first_and_filters(client, people, published):
    client.force_login(people["member"])
    page = client.get("/dashboard/", {"quarter": "2010-11-q2"}).content.decode()
    assert page.index("NI 16: Serious acquisitive crime") < page.index("NI 192: % of household waste")
    assert "Trend: 2010/11 Q1 30.5, 2010/11 Q2 36" in page  # the sparkline's words

    red_only = client.get("/dashboard/", {"quarter": "2010-11-q2", "status": "red"}).content.decode()
    assert "NI 16: Serious acquisitive crime" in red_only and "NI 192:" not in red_only
    assert "1 indicator shown, 1 exception." in red_only


def test_the_partner_dashboard_shows_its_own_unapproved_returns(client, people):
    publish("NI 39", "2010/11 Q2", "2500", by=people["lead_partner"], approve=False)
    client.force_login(people["lead_partner"])
    page = client.get("/partners/my-targets/").content.decode()
    assert "Our returns not yet approved" in page and "2,500" in page
    client.force_login(people["other_partner"])
    assert "2,500" not in client.get("/partners/my-targets/").content.decode()


def test_demonstration_figures_carry_the_banner(client, people):
    submission = publish("NI 192", "2010/11 Q1", "40", by=people["approver"])
    row = Return.objects.get(pk=submission.pk)
    row.is_demonstration = True
    row.save()
    assert "Demonstration data" in client.get("/indicators/ni-192/").content.decode()
    assert "Demonstration data" in client.get("/").content.decode()


# ---- Query counts do not grow with the data ------------------------------------------------------


def _grow(plan: Plan, people, count: int) -> None:
    """More indicators in the LAA, each with targets, a partner and two published quarters."""
    partner = Partner.objects.get(slug="luton-borough-council")
    year = ReportingPeriod.objects.get(label="2010/11")
    theme = plan.priorities.first()
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
            priority=theme,
            printed=f"LBC {800 + n}",
            title=f"Grown {n}",
            order=500 + n,
        )
        Target.objects.create(plan=plan, indicator=indicator, period=year, text="100", value=100)
        SignUp.objects.create(plan_indicator=link, partner=partner, printed_name="LBC", lead=True)
        for quarter in ("2010/11 Q1", "2010/11 Q2"):
            publish(f"LBC {800 + n}", quarter, 90 + n, by=people["approver"])


PAGES = [
    "/",
    "/plans/laa-2008-11/",
    "/plans/laa-2008-11/scorecard/",
    "/plans/corporate-plan-2008-14/a-stronger-safer-community/reducing-crime-including-serious-acquisitive-crime-covering/",
    "/indicators/ni-16/",
    "/partners/",
    "/partners/luton-borough-council/",
    "/plans/corporate-plan-2011-14/risks/",
    "/search/?q=crime",
]


@pytest.mark.parametrize("url", PAGES)
def test_public_page_queries_do_not_grow(client, people, published, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _grow(Plan.objects.get(slug="laa-2008-11"), people, 12)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "role"), [("/dashboard/?quarter=2010-11-q2", "member"), ("/partners/my-targets/", "lead_partner")]
)
def test_dashboard_queries_do_not_grow(client, people, published, url, role, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people[role])
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _grow(Plan.objects.get(slug="laa-2008-11"), people, 12)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url).status_code == 200


def test_pinned_query_counts(client, published, django_assert_num_queries):
    # Pinned so that a change in a page's queries is a deliberate one.
    # the publication version (the page cache's key); plans; the data's version; plan links; outcome
    # links; indicators; judging: breakdowns, latest periods, figures, their periods, targets
    with django_assert_num_queries(11):
        client.get("/")
    # The second time the whole page comes from the page cache: the publication version only.
    with django_assert_num_queries(1):
        client.get("/")
    # Rendered again (the page cache off), its roll-ups come from the cache keyed on the data's version.
    with override_settings(LUTON_PAGE_CACHE=False), django_assert_num_queries(2):
        client.get("/")
    # the publication version; indicator; aliases; breakdowns; targets; plan links; sign-ups; baselines;
    # outcome links; judging (latest periods, figures, their periods, targets); the published series
    with django_assert_num_queries(14):
        client.get("/indicators/ni-16/")


def test_an_approval_shows_at_once_despite_the_cache(client, people):
    page = client.get("/").content.decode()
    assert "1 on track" not in page
    publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])
    assert "1 on track, 0 close to target, 0 off track" in client.get("/").content.decode()
