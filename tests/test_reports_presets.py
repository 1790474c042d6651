"""Report packs narrowed by scope (issue 11): one partner's targets, one department or directorate, and the
year end's out-turn; each pack's contents checked against the database."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.test import override_settings

from core.roles import Role
from indicators.forecast import Method, Outlook
from indicators.models import Indicator, OutcomeIndicator, PlanIndicator, ReportingPeriod
from partners.models import Partner, SignUp
from plans.models import OrgUnit, Plan
from reports.choices import choose
from tests.conftest import make_user, publish

LAA = "/reports/laa-2008-11"


@pytest.fixture
def approver(db):
    return make_user("presets-approver", Role.PERFORMANCE_TEAM)


def test_a_partners_pack_holds_the_laa_targets_it_signed_up_to_those_it_leads_first(client, approver):
    nhs = Partner.objects.get(slug="nhs-luton")
    signed = dict(
        SignUp.objects.filter(plan_indicator__plan__slug="laa-2008-11", partner=nhs).values_list(
            "plan_indicator__indicator_id", "lead"
        )
    )
    assert any(signed.values()) and not all(signed.values())  # NHS Luton leads some and supports others

    pack = choose("laa-2008-11", "2010-11-q2", {"partner": "nhs-luton", "audience": "forum"}).build()

    assert {row.indicator.pk for row in pack.rows} == set(signed)
    assert [g.title for g in pack.groups] == ["Targets NHS Luton leads", "Targets NHS Luton supports"]
    leads = [row.indicator.pk for row in pack.rows if row.group.title.endswith("leads")]
    assert leads == [row.indicator.pk for row in pack.rows][: len(leads)]  # lead first
    assert set(leads) == {pk for pk, lead in signed.items() if lead}
    assert all(row.lead_partner == "NHS Luton" for row in pack.rows if row.indicator.pk in leads)
    assert pack.title.endswith("performance report for Luton Forum on NHS Luton's targets, 2010/11 Q2")
    # The reward grant is over the partner's designated targets only.
    assert {row.indicator.pk for row, _ in pack.reward_rows} <= set(signed)

    page = client.get(f"{LAA}/2010-11-q2/?audience=forum&partner=nhs-luton").content.decode()
    assert "The targets NHS Luton signed up to, those it leads first" in page
    assert 'href="/reports/laa-2008-11/2010-11-q2.pdf?audience=forum&amp;partner=nhs-luton"' in page
    response = client.get(f"{LAA}/2010-11-q2.csv?partner=nhs-luton")
    assert response["Content-Disposition"] == 'attachment; filename="laa-2008-11-2010-11-q2-nhs-luton.csv"'
    codes = {row["code"] for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert codes == set(Indicator.objects.filter(pk__in=signed).values_list("code", flat=True))


def test_a_department_pack_holds_the_indicators_the_plan_lists_under_it(db):
    plan = Plan.objects.get(slug="corporate-plan-2011-14")
    unit = OrgUnit.objects.get(slug="children-and-learning-department")
    listed = set(PlanIndicator.objects.filter(plan=plan, org_unit=unit).values_list("indicator_id", flat=True))
    assert len(listed) == 19

    pack = choose(plan.slug, "2010-11-q2", {"department": unit.slug}).build()

    assert {row.indicator.pk for row in pack.rows} == listed
    assert pack.total.total == 19
    assert pack.title == f"{plan.title}: performance report on Children and Learning Department, 2010/11 Q2"


def test_a_directorate_pack_holds_its_services_indicators(db):
    plan = Plan.objects.get(slug="service-plans-2024")
    directorate = OrgUnit.objects.get(slug="children-families-education")
    services = OrgUnit.objects.filter(parent=directorate)
    expected = set(PlanIndicator.objects.filter(plan=plan, org_unit__in=services).values_list("indicator_id", flat=True))
    expected |= set(
        OutcomeIndicator.objects.filter(outcome__priority__plan=plan, indicator__department__in=services).values_list(
            "indicator_id", flat=True
        )
    )
    quarter = ReportingPeriod.objects.filter(kind="quarter", start__year=2024).order_by("start").first()

    pack = choose(plan.slug, quarter.slug, {"department": directorate.slug, "audience": "scrutiny"}).build()

    assert {row.indicator.pk for row in pack.rows} == expected and len(expected) == 15
    assert [g.title for g in pack.groups] == [f"{directorate.name}: {s.name}" for s in services.order_by("order")]


def test_the_year_end_pack_gives_each_out_turn_against_the_years_target(client, approver):
    for quarter, value in zip(["2010/11 Q1", "2010/11 Q2", "2010/11 Q3", "2010/11 Q4"], [640, 620, 600, 590], strict=True):
        publish("NI 156", quarter, value, by=approver)  # fewer is better; the target is 570
    publish("NI 110", "2010/11", "74.0", by=approver)  # a year's own figure (target 72.9%)

    choice = choose("laa-2008-11", "2010-11", {})
    assert (choice.year_end, choice.quarter.label) == (True, "2010/11 Q4")
    pack = choice.build()

    ni156 = next(row for row in pack.rows if row.indicator.code == "NI 156")
    assert [part.quarters for part in ni156.parts] == [[D(640), D(620), D(600), D(590)]]
    assert (ni156.parts[0].forecast.method, ni156.parts[0].forecast.value) == (Method.YEAR_FIGURE, D(590))
    assert ni156.outlook == Outlook.MISSED and "Missed the year's target" in ni156.exception_reasons
    ni110 = next(row for row in pack.rows if row.indicator.code == "NI 110")
    assert (ni110.parts[0].forecast.value, ni110.outlook) == (D("74.0"), Outlook.MET)

    page = client.get(f"{LAA}/2010-11/").content.decode()
    assert "performance report, year end 2010/11" in page
    assert "the year's out-turn against its targets" in page and ">Out-turn</th>" in page
    assert 'href="/reports/laa-2008-11/2010-11.xlsx"' in page
    response = client.get(f"{LAA}/2010-11.csv")
    assert response["Content-Disposition"] == 'attachment; filename="laa-2008-11-2010-11-year-end.csv"'


@pytest.mark.parametrize(
    ("url", "more"),
    [
        (f"{LAA}/2010-11/", 0),  # as a quarter's (tests/test_reports_pages.py), at the fourth
        (f"{LAA}/2010-11-q2/?partner=nhs-luton", 2),  # two more: the partner named, its sign-ups
        ("/reports/corporate-plan-2011-14/2010-11-q2/?department=children-and-learning-department", 2),  # the unit, the units
    ],
)
@override_settings(LUTON_PAGE_CACHE=False)  # what rendering costs (anonymous visitors get the page cache)
def test_a_narrower_packs_page_reads_a_fixed_number_of_queries(client, approver, url, more, django_assert_num_queries):
    from tests.test_reports_pages import PAGE_QUERIES

    queries = PAGE_QUERIES + more
    quarters = ("2010/11 Q1", "2010/11 Q2", "2010/11 Q3", "2010/11 Q4")
    for quarter in quarters:  # NI 117 is the department's; NI 39 is NHS Luton's (it leads); NI 16 neither's
        for code in ("NI 117", "NI 39", "NI 16"):
            publish(code, quarter, "6", by=approver)
    client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)
    for code in ("NI 111", "NI 19", "NI 123", "NI 156"):  # more indicators with figures, three NHS Luton's
        for quarter in quarters:
            publish(code, quarter, "100", by=approver)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
