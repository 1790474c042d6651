"""What must always hold is held by the database itself, whatever writes the row (a migration, a
script, a future code path that forgets the model's checks)."""

import pytest
from django.db import IntegrityError, transaction

from indicators.models import PlanIndicator, ReportingPeriod
from partners.models import Partner, SignUp
from plans.models import Action, Risk
from returns.models import ActionUpdate

pytestmark = pytest.mark.django_db


def _refused(obj) -> bool:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        return True
    return False


def test_an_laa_target_has_one_lead_partner():
    link = (
        PlanIndicator.objects.filter(plan__slug="laa-2008-11", sign_ups__lead=False).order_by("order").first()
    )
    assert link.sign_ups.filter(lead=True).count() == 1
    other = link.sign_ups.filter(lead=False).first()
    other.lead = True
    assert _refused(other)
    # A second partner that is not the lead is fine.
    signed = link.sign_ups.values("partner")
    extra = SignUp(plan_indicator=link, partner=Partner.objects.exclude(pk__in=signed).first(), printed_name="x", order=99)
    assert not _refused(extra)


@pytest.mark.parametrize(
    ("field", "value", "refused"),
    [
        ("residual_score", 26, True),
        ("residual_score", 0, True),
        ("residual_score", 25, False),
        ("initial_likelihood", 6, True),
        ("initial_impact", 0, True),
        ("initial_impact", 5, False),
    ],
)
def test_risk_scores_stay_on_the_registers_scale(field, value, refused):
    risk = Risk.objects.filter(plan__slug="corporate-plan-2011-14").first()
    setattr(risk, field, value)
    assert _refused(risk) is refused


@pytest.mark.parametrize(("percent", "refused"), [(101, True), (100, False), (0, False)])
def test_an_action_is_between_0_and_100_percent_complete(percent, refused):
    update = ActionUpdate(
        action=Action.objects.first(),
        period=ReportingPeriod.objects.get(label="2010/11 Q3"),
        percent_complete=percent,
    )
    assert _refused(update) is refused
