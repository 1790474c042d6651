"""The open-data API's actions (with their latest approved update), partners (with their sign-ups), the
glossary and the indicator list's statuses, checked against the database; and every new list's query
count, pinned, not growing with the data."""

import pytest

from indicators.models import Indicator, PlanIndicator, ReportingPeriod
from indicators.performance import DIRECTION, judge_indicators
from partners.models import GlossaryTerm, Partner, SignUp
from plans.models import Action, BudgetLine, BudgetTable, OrgUnit, Plan, StrategyReference
from returns.models import ActionUpdate
from tests.conftest import publish
from tests.test_open_data_figures import all_pages

pytestmark = pytest.mark.django_db


def _update(action, period: str, *, progress: str, status: str, commentary: str) -> ActionUpdate:
    return ActionUpdate.objects.create(
        action=action,
        period=ReportingPeriod.objects.get(label=period),
        progress=progress,
        percent_complete=50,
        commentary=commentary,
        status=status,
    )


def test_actions_of_each_kind_as_the_plans_print_them(client):
    for plan, kind, count in (
        ("corporate-plan-2008-14", "action", 222),
        ("corporate-plan-2011-14", "delivery_priority", 132),
        ("corporate-plan-2011-14", "efficiency_project", 28),
        ("service-plans-2024", "change", 58),
    ):
        actions = all_pages(client, f"/api/v1/actions/?plan={plan}&kind={kind}&page_size=200")
        expected = Action.objects.filter(plan__slug=plan, kind=kind).order_by("order")
        assert len(actions) == count
        assert [a["text"] for a in actions] == [a.text for a in expected]
    housing = all_pages(client, "/api/v1/actions/?org_unit=housing-and-community-living-department&page_size=200")
    assert {a["org_unit"] for a in housing} == {"housing-and-community-living-department"}
    assert client.get("/api/v1/actions/?plan=nope").json() == {"plan": ["No plan has the slug 'nope'."]}


def test_an_action_shows_its_latest_approved_update_and_never_a_later_unapproved_one(client):
    action = Action.objects.filter(plan__slug="corporate-plan-2008-14").order_by("order").first()
    _update(action, "2010/11 Q1", progress="on_track", status="approved", commentary="Older, approved.")
    _update(action, "2010/11 Q2", progress="at_risk", status="approved", commentary="Approved.")
    _update(action, "2010/11 Q3", progress="off_track", status="submitted", commentary="Not yet approved.")

    shown = client.get(f"/api/v1/actions/{action.pk}/").json()
    assert shown["latest_update"]["period"] == "2010/11 Q2"
    assert shown["latest_update"]["progress"] == "at_risk"
    assert shown["latest_update"]["commentary"] == "Approved."
    listed = client.get("/api/v1/actions/?plan=corporate-plan-2008-14&page_size=1").json()["results"][0]
    assert listed["latest_update"] == shown["latest_update"]
    assert "Not yet approved." not in client.get("/api/v1/actions/?page_size=200").content.decode()


def test_partners_with_their_members_and_every_sign_up(client):
    partners = all_pages(client, "/api/v1/partners/?page_size=200")
    assert len(partners) == Partner.objects.count()
    assert sum(len(p["sign_ups"]) for p in partners) == SignUp.objects.count()

    nhs = client.get("/api/v1/partners/nhs-luton/").json()
    rows = SignUp.objects.filter(partner__slug="nhs-luton").order_by("plan_indicator__order", "order")
    assert [(s["code"], s["printed_name"], s["lead"]) for s in nhs["sign_ups"]] == [
        (r.plan_indicator.indicator.code, r.printed_name, r.lead) for r in rows
    ]
    assert any(s["lead"] for s in nhs["sign_ups"])
    trust = client.get("/api/v1/partners/childrens-trust/").json()
    assert trust["kind"] == "partnership"
    assert trust["members"][2] == {
        "partner": "learning-and-skills-council",
        "name": "Learning and Skills Council",
        "printed": "Learning & Skill Council (LSC)",
    }
    ni16 = all_pages(client, "/api/v1/partners/?indicator=ni-16")
    assert {p["slug"] for p in ni16} == set(
        SignUp.objects.filter(plan_indicator__indicator__slug="ni-16").values_list("partner__slug", flat=True)
    )


def test_the_glossary_as_printed_with_the_partner_each_term_names(client):
    terms = all_pages(client, "/api/v1/glossary/")
    assert [(t["term"], t["expansion"]) for t in terms] == list(
        GlossaryTerm.objects.order_by("order").values_list("term", "expansion")
    )
    by_term = {t["term"]: t for t in terms}
    assert by_term["CYPSB"]["expansion"] == "Children & Young People Strategic Board"
    assert by_term["CYPSB"]["partner"] is None
    assert (by_term["LBC"]["partner"], by_term["LBC"]["partner_name"]) == (
        "luton-borough-council",
        "Luton Borough Council",
    )
    assert by_term["CAB"]["partner"] == "luton-cab"  # its abbreviation
    assert [t["term"] for t in all_pages(client, "/api/v1/glossary/?term=weee partnership")] == ["WEEE Partnership"]


def test_the_indicator_list_carries_each_status_as_the_pages_judge_it(client, people):
    publish("NI 16", "2010/11 Q1", "30.5", by=people["approver"])
    publish("NI 16", "2010/11 Q2", "36.0", by=people["approver"])
    publish("NI 156", "2010/11 Q2", "999", by=people["approver"], approve=False)

    listed = {i["slug"]: i for i in all_pages(client, "/api/v1/indicators/?plan=laa-2008-11&page_size=200")}
    ni16 = Indicator.objects.get(code="NI 16")
    judged = judge_indicators([ni16], history=DIRECTION)[ni16.pk]
    assert listed["ni-16"]["status"] == {
        "status": "red",
        "status_label": judged.rag.label,
        "period": "2010/11 Q2",
        "figure": judged.figure_text,
        "direction": "worsening",
        "direction_since_last_year": judged.since_last_year.value,
        "is_demonstration": False,
    }
    assert judged.rag.value == "red"
    assert listed["ni-156"]["status"]["status"] == "no_data"
    assert client.get("/api/v1/indicators/ni-16/").json()["status"] == listed["ni-16"]["status"]


# ---- Query counts: pinned, and the same with more of everything ----------------------------------------

# The page cache's version, the version and its moment (Last-Modified), the count, the page, then:
LISTS = [
    ("/api/v1/departments/?page_size=200", 4 + 4 + 5),  # measures, delivery priorities, projects, strategies; judging
    ("/api/v1/services/?page_size=200", 4 + 4 + 5),  # plans, their outcomes, changes, measures; judging
    ("/api/v1/budgets/?page_size=200", 4 + 1),  # lines
    ("/api/v1/actions/?page_size=200", 4 + 1),  # published updates
    ("/api/v1/partners/?page_size=200", 4 + 2),  # members, sign-ups
    ("/api/v1/glossary/?page_size=200", 4),  # the partner each names is in the page's query
]


def _more_of_everything(n: int) -> None:
    plan = Plan.objects.get(slug="corporate-plan-2011-14")
    services = Plan.objects.get(slug="service-plans-2024")
    laa = PlanIndicator.objects.filter(plan__slug="laa-2008-11").first()
    directorate = OrgUnit.objects.get(slug="inclusive-economy")
    for i in range(n):
        indicator = Indicator.objects.create(slug=f"grown-{i}", title=f"Grown {i}")
        unit = OrgUnit.objects.create(slug=f"dept-{i}", kind="department", name=f"Dept {i}", defined_by=plan)
        PlanIndicator.objects.create(
            plan=plan,
            indicator=indicator,
            inclusion="key_performance_measure",
            org_unit=unit,
            printed="x",
            order=900 + i,
        )
        Action.objects.create(plan=plan, org_unit=unit, kind="delivery_priority", text="x", order=900 + 2 * i)
        Action.objects.create(plan=plan, org_unit=unit, kind="efficiency_project", text="x", order=901 + 2 * i)
        StrategyReference.objects.create(plan=plan, org_unit=unit, title="x", order=900 + i)
        service = OrgUnit.objects.create(
            slug=f"svc-{i}", kind="service", name=f"Service {i}", parent=directorate, defined_by=services
        )
        change = Action.objects.create(plan=services, org_unit=service, kind="change", text="x", order=900 + i)
        PlanIndicator.objects.create(
            plan=services, indicator=indicator, inclusion="key_measure", action=change, printed="x", order=900 + i
        )
        _update(change, "2010/11 Q1", progress="on_track", status="approved", commentary="x")
        table = BudgetTable.objects.create(plan=plan, title=f"Table {i}", columns=["a"], order=10 + i)
        BudgetLine.objects.create(table=table, label="TOTAL", cells=["1"], order=0)
        partner = Partner.objects.create(slug=f"partner-{i}", name=f"Partner {i}", abbreviation=f"P{i}")
        SignUp.objects.create(plan_indicator=laa, partner=partner, printed_name="x", order=100 + i)
        GlossaryTerm.objects.create(term=f"P{i}", expansion="x", order=100 + i)


@pytest.mark.parametrize(("url", "queries"), LISTS)
def test_list_queries_are_pinned_and_do_not_grow_with_the_data(client, people, url, queries, django_assert_num_queries):
    # A measure of a department and of a service with a published figure, so that judging reads it all.
    publish("NI 181", "2010/11 Q2", "12.5", by=people["approver"])
    change = Action.objects.filter(kind="change").order_by("order").first()
    PlanIndicator.objects.create(
        plan=change.plan,
        indicator=Indicator.objects.get(code="NI 181"),
        inclusion="key_measure",
        action=change,
        printed="NI 181",
        order=999,
    )
    with django_assert_num_queries(queries):
        before = client.get(url).json()["count"]
    _more_of_everything(5)
    with django_assert_num_queries(queries):
        after = client.get(url).json()["count"]
    assert after > before
