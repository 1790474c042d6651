"""The open-data API's departments, services and budget tables: what the loaded documents say, checked
against the database, with each key measure's status as the pages judge it (approved figures only)."""

import pytest

from indicators.models import Indicator, PlanIndicator
from indicators.performance import judge_indicators
from plans.models import Action, BudgetLine, BudgetTable, OrgUnit, StrategyReference
from tests.conftest import publish
from tests.test_open_data_figures import all_pages

pytestmark = pytest.mark.django_db


def test_departments_hold_every_measure_priority_project_and_strategy_the_plan_prints(client):
    departments = all_pages(client, "/api/v1/departments/?page_size=4")

    units = OrgUnit.objects.filter(kind="department").order_by("order")
    assert [d["slug"] for d in departments] == [unit.slug for unit in units]
    for department, unit in zip(departments, units, strict=True):
        assert department["plan"] == "corporate-plan-2011-14"
        assert department["head"] == unit.head
        measures = PlanIndicator.objects.filter(org_unit=unit, inclusion="key_performance_measure").order_by("order")
        assert [m["printed"] for m in department["key_measures"]] == [m.printed for m in measures]
        for key, kind in (("delivery_priorities", "delivery_priority"), ("efficiency_projects", "efficiency_project")):
            actions = Action.objects.filter(org_unit=unit, kind=kind).order_by("order")
            assert [a["text"] for a in department[key]] == [a.text for a in actions]
        strategies = StrategyReference.objects.filter(org_unit=unit).order_by("order")
        assert department["cross_cutting_strategies"] == [s.title for s in strategies]
    # The plan's counts, as printed: 132 delivery priorities, 28 efficiency projects, 32 strategies.
    assert sum(len(d["delivery_priorities"]) for d in departments) == 132
    assert sum(len(d["efficiency_projects"]) for d in departments) == 28
    assert sum(len(d["cross_cutting_strategies"]) for d in departments) == 32


def test_a_delivery_priority_names_its_theme(client):
    department = client.get("/api/v1/departments/children-and-learning-department/").json()
    themed = [p for p in department["delivery_priorities"] if p["theme"] is not None]
    assert themed, "the department's delivery priorities are printed under the plan's themes"
    action = Action.objects.filter(org_unit__slug=department["slug"], priority__isnull=False).order_by("order").first()
    first = themed[0]
    assert (first["text"], first["theme"], first["theme_title"]) == (
        action.text,
        action.priority.number,
        action.priority.title,
    )


def test_a_key_measures_status_is_the_pages_judgement_of_approved_figures_only(client, people):
    publish("NI 181", "2010/11 Q2", "12.5", by=people["approver"])
    publish("NI 181", "2010/11 Q3", "99", by=people["approver"], approve=False)  # submitted: not public

    corporate = client.get("/api/v1/departments/customer-and-corporate-service-department/").json()
    ni181 = next(m for m in corporate["key_measures"] if m["code"] == "NI 181")
    judged = judge_indicators([Indicator.objects.get(code="NI 181")])[Indicator.objects.get(code="NI 181").pk]
    assert ni181["status"]["status"] == judged.rag.value != "no_data"
    assert ni181["status"]["status_label"] == judged.rag.label
    assert ni181["status"]["period"] == "2010/11 Q2"
    assert ni181["status"]["figure"] == judged.figure_text == "12.5 days"

    children = client.get("/api/v1/departments/children-and-learning-department/").json()
    ni59 = next(m for m in children["key_measures"] if m["code"] == "NI 59")
    assert ni59["status"] == {**ni59["status"], "status": "no_data", "period": None, "figure": ""}


def test_services_sit_under_their_directorates_with_outcomes_and_every_change(client):
    services = all_pages(client, "/api/v1/services/?page_size=5")

    assert len(services) == OrgUnit.objects.filter(kind="service").count() == 12
    assert len({s["directorate"]["slug"] for s in services}) == 4
    changes = [change for service in services for change in service["changes"]]
    assert len(changes) == Action.objects.filter(kind="change").count() == 58
    measured = [change for change in changes if change["key_measure"]]
    assert len(measured) == PlanIndicator.objects.filter(inclusion="key_measure").count()

    education = next(s for s in services if s["slug"] == "education")
    assert education["directorate"] == {"slug": "children-families-education", "name": "Children, Families & Education"}
    assert education["overview"].startswith("Education is situated in the children, families and education directorate")
    assert [o["label"] for o in education["outcomes"]] == ["Outcome 1", "Outcome 2", "Outcome 3", "Outcome 4"]
    assert education["outcomes"][1]["title"] == (
        "Reducing educational and health inequalities for children and young people in Luton."
    )
    first = education["changes"][0]
    assert first["text"].startswith("Establishing a local inclusion plan and framework/kitemark")
    assert first["key_measure"]["printed"].startswith("All schools are evaluated either by Ofsted")
    assert first["key_measure"]["status"]["status"] == "no_data"


def test_services_filter_by_directorate_and_a_bad_slug_is_named(client):
    economy = all_pages(client, "/api/v1/services/?directorate=inclusive-economy")
    assert {s["directorate"]["slug"] for s in economy} == {"inclusive-economy"}
    assert {s["slug"] for s in economy} == set(
        OrgUnit.objects.filter(parent__slug="inclusive-economy").values_list("slug", flat=True)
    )
    response = client.get("/api/v1/services/?directorate=nowhere")
    assert response.status_code == 400
    assert response.json() == {"directorate": ["No directorate has the slug 'nowhere'."]}


def test_budget_tables_keep_every_cell_and_check_each_printed_total(client):
    tables = all_pages(client, "/api/v1/budgets/")
    assert [(t["plan"], t["title"]) for t in tables] == list(
        BudgetTable.objects.order_by("plan__order", "order").values_list("plan__slug", "title")
    )
    assert sum(len(t["lines"]) for t in tables) == BudgetLine.objects.count()

    revenue = next(t for t in tables if t["title"] == "Revenue expenditure in 2011/12")
    assert revenue["columns"] == ["2011/12 expenditure £m", "2010/11 expenditure £m", "Percentage of the Council's budget"]
    assert revenue["lines"][0] == {
        "row": 0,
        "kind": "row",
        "note": "A",
        "label": "Education and children's services",
        "cells": ["256.62", "233.29", "50%"],
    }
    assert [(line["label"], line["kind"]) for line in revenue["lines"] if line["kind"] != "row"] == [
        ("Service expenditure", "subtotal"),
        ("TOTAL", "total"),
    ]
    assert revenue["lines"][-1]["cells"] == ["480.08", "499.78", None]
    # Each printed total against the rows it totals (plans/budgets.py), as printed: they all agree.
    assert [(c["label"], c["column"], c["printed"], c["summed"], c["agrees"]) for c in revenue["totals"]] == [
        ("Service expenditure", 1, 518.07, 518.07, True),
        ("Service expenditure", 2, 495.48, 495.48, True),
        ("TOTAL", 1, 480.08, 480.08, True),
        ("TOTAL", 2, 499.78, 499.78, True),
    ]
    assert revenue["notes"][1] == "A £40.90m B £1.32m C -£0.64m D -£1.83m E -£39.75 (contra balance)"
    # A list without a printed total is not added up.
    additional = next(t for t in tables if t["title"] == "Additional investment 2008/09")
    assert additional["totals"] == []
    assert additional["lines"][9]["cells"] == [None]  # "Highways": printed without an amount


def test_a_printed_total_that_is_not_the_sum_of_its_rows_is_said_not_corrected(client):
    line = BudgetLine.objects.get(table__title="Capital expenditure in 2011/12", label="Highways")
    line.cells = ["65.00", "41%"]
    line.save()
    table = client.get(f"/api/v1/budgets/{line.table_id}/").json()
    assert table["lines"][-1]["cells"][0] == "156.86"  # as printed
    assert table["totals"] == [{"label": "TOTAL", "column": 1, "printed": 156.86, "summed": 156.68, "agrees": False}]

    only_2011 = all_pages(client, "/api/v1/budgets/?plan=corporate-plan-2011-14")
    assert {t["plan"] for t in only_2011} == {"corporate-plan-2011-14"} and len(only_2011) == 3
