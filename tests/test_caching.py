"""Judged statuses are cached under a version of the data they read: every change must move it, so
that a page never shows a status the data no longer support."""

import pytest
from django.db import transaction
from django.utils.html import escape

from indicators.models import (
    Baseline,
    Breakdown,
    Indicator,
    OutcomeIndicator,
    PlanIndicator,
    Polarity,
    ReportingPeriod,
    Target,
    Value,
)
from indicators.performance import data_version
from partners.models import Partner, SignUp
from plans.models import BudgetLine, OrgUnit, Outcome, Plan, Priority, Risk
from returns import actions
from tests.conftest import publish

pytestmark = pytest.mark.django_db


def _edit_target():
    target = Target.objects.filter(value__isnull=False).first()
    target.value += 1
    target.save()


def _edit_indicator():
    indicator = Indicator.objects.get(code="NI 16")
    indicator.tolerance_percent = 10
    indicator.save()


def _edit_breakdown():
    breakdown = Breakdown.objects.first()
    breakdown.polarity = (
        Polarity.HIGHER_IS_BETTER if breakdown.polarity != Polarity.HIGHER_IS_BETTER else Polarity.LOWER_IS_BETTER
    )
    breakdown.save()


def _move_plan_link():
    link = PlanIndicator.objects.filter(priority__isnull=False).first()
    link.priority = Priority.objects.filter(plan=link.plan).exclude(pk=link.priority_id).first()
    link.save()


def _drop_outcome_link():
    OutcomeIndicator.objects.first().delete()


def _reparent_unit():
    unit = OrgUnit.objects.filter(parent__isnull=False).first()
    unit.parent = None
    unit.save()


def _relabel_period():
    period = ReportingPeriod.objects.get(label="2010/11 Q2")
    period.label = "2010/11 q2"
    period.save()


def _reorder_plans():
    plan = Plan.objects.get(slug="laa-2008-11")
    plan.order += 10
    plan.save()


def _move_outcome():
    outcome = Outcome.objects.select_related("priority").first()
    outcome.priority = Priority.objects.exclude(pk=outcome.priority_id).filter(plan=outcome.priority.plan).first()
    outcome.number = 999  # numbers are unique within a priority
    outcome.save()


def _delete_target():
    Target.objects.filter(value__isnull=False).first().delete()


def _edit_baseline():
    baseline = Baseline.objects.filter(value__isnull=False).first()
    baseline.value += 1
    baseline.save()


def _rescore_risk():
    risk = Risk.objects.filter(residual_score__isnull=False).first()
    risk.residual_score = 1 if risk.residual_score != 1 else 2
    risk.residual_likelihood = risk.residual_impact = None
    risk.save()


def _rename_partner():
    partner = Partner.objects.first()
    partner.name += " (renamed)"
    partner.save()


def _drop_sign_up():
    SignUp.objects.filter(lead=False).first().delete()


def _correct_budget_line():
    line = BudgetLine.objects.first()
    line.label += " (corrected)"
    line.save()


CHANGES = [
    _edit_baseline,
    _rescore_risk,
    _rename_partner,
    _drop_sign_up,
    _correct_budget_line,
    _edit_target,
    _delete_target,
    _edit_indicator,
    _edit_breakdown,
    _move_plan_link,
    _drop_outcome_link,
    _reparent_unit,
    _relabel_period,
    _reorder_plans,
    _move_outcome,
]


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_judging_reads_moves_the_version(change):
    before = data_version()
    assert data_version() == before  # reading changes nothing
    change()
    assert data_version() != before


def test_a_figure_edited_without_its_return_moves_the_version(people):
    before = data_version()
    publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])
    published = data_version()
    assert published != before
    value = Value.objects.get(submission__indicator__code="NI 192", submission__period__label="2010/11 Q2")
    value.value = 12
    value.save()
    assert data_version() != published


@pytest.mark.parametrize("change", [_edit_target, _move_plan_link, _reorder_plans])
def test_a_change_rolled_back_leaves_the_version(change):
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        change()
        raise RuntimeError("abandoned")
    assert data_version() == before


def test_a_submission_leaves_the_version_and_its_approval_moves_it(people):
    before = data_version()
    submission = publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"], approve=False)
    assert data_version() == before  # a draft and a submission change nothing the public sees
    actions.do_review_return(
        submission=submission, by=people["approver"], approve=True, expected_version=submission.version
    )
    assert data_version() != before


def test_a_target_edit_shows_on_the_members_dashboard_at_once(client, people):
    publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])  # target 40: on track
    client.force_login(people["member"])
    url = "/dashboard/?quarter=2010-11-q2&status=green"
    assert "NI 192: % of household waste" in client.get(url).content.decode()

    target = Target.objects.get(indicator__code="NI 192", period__label="2010/11", breakdown=None)
    target.value, target.text = 60, "60%"
    target.save()
    assert "NI 192: % of household waste" not in client.get(url).content.decode()
    red = client.get("/dashboard/?quarter=2010-11-q2&status=red").content.decode()
    assert "NI 192: % of household waste" in red


def test_a_reorganisation_shows_on_the_members_dashboard_at_once(client, people):
    publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])
    department = OrgUnit.objects.filter(parent__isnull=False).select_related("parent").first()
    indicator = Indicator.objects.get(code="NI 192")
    indicator.department = department
    indicator.save()
    client.force_login(people["member"])
    url = "/dashboard/?quarter=2010-11-q2&status=green"
    directorate_row = f'unit={department.parent.pk}">{escape(department.parent.name)}</a>'
    assert directorate_row in client.get(url).content.decode()

    department.parent = OrgUnit.objects.create(
        slug="new-directorate", kind=department.parent.kind, name="Renamed Place"
    )
    department.save()
    page = client.get(url).content.decode()
    # The department's directorate is now the new one, listed with the department under it.
    renamed = page.index(f'unit={department.parent.pk}">Renamed Place</a>')
    assert page.index(f'unit={department.pk}">{escape(department.name)}</a>', renamed) > renamed


def test_a_figure_corrected_in_the_admin_shows_on_the_public_pages_at_once(client, admin_client, people):
    from tests.forms_helper import form_data

    publish("NI 192", "2010/11 Q2", "43.0", by=people["approver"])  # target 40: on track
    assert "1 on track, 0 close to target, 0 off track" in client.get("/").content.decode()

    value = Value.objects.get(submission__indicator__code="NI 192", submission__period__label="2010/11 Q2")
    url = f"/admin/indicators/value/{value.pk}/change/"
    data = form_data(admin_client.get(url).content.decode())
    data["value"] = "12"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "0 on track, 0 close to target, 1 off track" in client.get("/").content.decode()
