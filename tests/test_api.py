"""The read API: public, read-only, shaped as documented, and constant in queries."""

import pytest

from indicators.models import Indicator, PlanIndicator, Target
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


def test_plans_list_names_the_four_documents_and_the_strategy_they_serve(client):
    plans = {p["slug"]: p for p in all_pages(client, "/api/v1/plans/")}

    assert set(plans) == {
        "luton-sustainable-community-strategy",
        "corporate-plan-2008-14",
        "corporate-plan-2011-14",
        "service-plans-2024",
        "laa-2008-11",
    }
    assert plans["laa-2008-11"]["kind"] == "local_area_agreement"
    assert plans["laa-2008-11"]["period"] == {
        "start": "2008-04-01",
        "end": "2011-03-31",
        "label": "2008-2011",
    }
    assert plans["corporate-plan-2011-14"]["serves"] == "luton-sustainable-community-strategy"
    assert plans["service-plans-2024"]["period"]["label"] == "2024/25"


def test_plan_detail_has_priorities_with_outcomes_and_their_indicator_codes(client):
    plan = client.get("/api/v1/plans/corporate-plan-2008-14/").json()

    assert plan["priorities"][0]["title"] == "A financially sound and efficient Council"
    assert len(plan["priorities"]) == 5
    assert sum(len(p["outcomes"]) for p in plan["priorities"]) == 38
    customers_first = plan["priorities"][0]["outcomes"][0]
    assert customers_first["title"] == "Putting Customers First"
    # Printed "N1 14 Avoidable Contact": the typo does not break the link to NI 14.
    assert customers_first["indicators"][0] == "NI 14"


def test_unknown_plan_is_a_404_not_an_error(client):
    assert client.get("/api/v1/plans/no-such-plan/").status_code == 404


def test_indicators_of_a_plan_are_all_reachable_through_next(client):
    indicators = all_pages(client, "/api/v1/indicators/?plan=laa-2008-11&page_size=7")

    codes = [i["code"] for i in indicators]
    assert len(codes) == len(set(codes)) == 58
    assert codes[:3] == ["NI 1", "NI 7", "NI 8"]  # in the agreement's printed order


def test_an_indicator_carries_its_baseline_targets_and_partners(client):
    (ni16,) = client.get("/api/v1/indicators/?plan=laa-2008-11&code=NI 16").json()["results"]

    assert ni16["title"] == "Serious acquisitive crime rate per 1,000 population"
    assert ni16["polarity"] == "lower"
    assert ni16["baseline"] == {
        "value": 37.93,
        "text": "37.93 (7,085 offences)",
        "period": None,
        "breakdowns": [],
    }
    assert [(t["period"], t["value"], t["text"], t["designated"]) for t in ni16["targets"]] == [
        ("2008/09", 35.65, "35.65 (6,660 offences)", True),
        ("2009/10", 33.37, "33.37 (6,235 offences)", True),
        ("2010/11", 31.1, "31.10 (5,810 offences)", True),
    ]
    assert [(p["name"], p["lead"]) for p in ni16["partners"]] == [("SoLUTiONS", True)]


def test_a_split_target_has_one_entry_per_breakdown(client):
    (ni120,) = client.get("/api/v1/indicators/?plan=laa-2008-11&code=NI 120").json()["results"]

    assert ni120["baseline"]["text"] == "791 (m) 561 (f)"
    assert ni120["baseline"]["value"] is None
    assert [(b["breakdown"], b["value"]) for b in ni120["baseline"]["breakdowns"]] == [
        ("male", 791),
        ("female", 561),
    ]
    assert [(t["period"], t["breakdown"], t["value"]) for t in ni120["targets"]][:2] == [
        ("2008/09", "male", 800),
        ("2008/09", "female", 587),
    ]


def test_a_text_target_keeps_its_words_and_has_no_value(client):
    (ni153,) = client.get("/api/v1/indicators/?plan=laa-2008-11&code=NI 153").json()["results"]

    assert {(t["text"], t["value"]) for t in ni153["targets"]} == {("100 taken off benefits in key wards", None)}


def test_statutory_targets_are_labelled_by_academic_year(client):
    (ni72,) = client.get("/api/v1/indicators/?plan=laa-2008-11&code=NI 72").json()["results"]

    assert [t["period"] for t in ni72["targets"]] == ["2008", "2009", "2010"]
    assert ni72["statutory"] is True


def test_an_unknown_plan_filter_says_which_plans_exist(client):
    response = client.get("/api/v1/indicators/?plan=laa-2099")

    assert response.status_code == 400
    assert "No plan has the slug 'laa-2099'" in response.json()["plan"]
    assert "laa-2008-11" in response.json()["plan"]


def test_the_api_is_read_only_even_for_staff(admin_client):
    assert admin_client.post("/api/v1/plans/", {"slug": "x"}).status_code == 405
    assert admin_client.delete("/api/v1/indicators/ni-16/").status_code == 405


def test_risks_of_the_2011_register_with_their_scores(client):
    risks = all_pages(client, "/api/v1/risks/?plan=corporate-plan-2011-14")

    assert len(risks) == 14
    assert (risks[0]["title"], risks[0]["initial_score"], risks[0]["residual_score"]) == (
        "Council’s reputation locally and reputation of Luton",  # apostrophe as printed
        8,
        6,
    )
    assert risks[0]["controls"].startswith("Wide-ranging public engagement")


def _add_indicators(plan: Plan, count: int) -> None:
    """More indicators in the plan, each with targets and a sign-up, to show queries do not grow."""
    partner = Partner.objects.get(slug="luton-borough-council")
    period = Target.objects.filter(plan=plan).first().period
    for n in range(count):
        indicator = Indicator.objects.create(slug=f"extra-{n}", code=f"LBC {900 + n}", title=f"Extra {n}")
        link = PlanIndicator.objects.create(
            plan=plan,
            indicator=indicator,
            inclusion="local",
            printed=f"LBC {900 + n}",
            title="x",
            order=1000 + n,
        )
        Target.objects.create(plan=plan, indicator=indicator, period=period, text="1", value=1)
        SignUp.objects.create(plan_indicator=link, partner=partner, printed_name="LBC", lead=True)


@pytest.mark.parametrize(
    "url", ["/api/v1/indicators/?plan=laa-2008-11&page_size=200", "/api/v1/indicators/?page_size=200"]
)
def test_indicator_list_queries_do_not_grow_with_indicators(client, people, django_assert_num_queries, url):
    # the publication version (the page cache's key), the version and its moment (Last-Modified), count,
    # page, then one query each for plan links, sign-ups, baselines and targets, and five for judging the
    # page's statuses (latest periods, figures, their periods, targets, breakdowns); with a plan filter
    # also the plan lookup and the outcome links. The indicators added between the two requests move the
    # publication version: rendered afresh.
    publish("NI 16", "2010/11 Q1", "30.5", by=people["approver"])  # a figure on each page, to judge
    expected = 15 if "plan=" in url else 13
    with django_assert_num_queries(expected):
        client.get(url)
    _add_indicators(Plan.objects.get(slug="laa-2008-11"), 30)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert any(i["code"] == "LBC 929" for i in response.json()["results"])


def test_plan_detail_queries_do_not_grow_with_outcomes(client, django_assert_num_queries):
    # the publication version, the version and its moment (Last-Modified), plan, priorities, outcomes,
    # outcome indicator links, their indicators
    with django_assert_num_queries(7):
        response = client.get("/api/v1/plans/corporate-plan-2008-14/")
    assert len(response.json()["priorities"]) == 5


def test_a_misprinted_code_keeps_its_printed_text_and_links_to_the_indicator_it_names(client):
    plan = client.get("/api/v1/plans/corporate-plan-2008-14/").json()
    safer = next(p for p in plan["priorities"] if p["title"] == "A Stronger, Safer Community")
    partnerships = safer["outcomes"][2]

    assert partnerships["title"].startswith("Creating partnerships")
    assert partnerships["indicators"][:2] == ["NI 7", "NI 3"]  # printed "NI 17 Environment for a thriving..."
