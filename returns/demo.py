"""Demonstration accounts and figures for trying the portal locally (`make run`), never production.

The source documents hold targets, not actuals, so the figures made here are invented: every
return made here is flagged is_demonstration, and the pages that show values say so.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from core.roles import Role
from indicators.models import Indicator, PeriodKind, ReportingPeriod, Return, Target
from partners.models import Partner
from plans.models import Action, OrgUnit
from returns import actions
from returns.models import ReportingRound, RoundState

DEMO_PASSWORD_DEFAULT = "luton-demo-password"  # noqa: S105 - published in the README; DEBUG only

# username -> (role, first name, last name, staff)
ACCOUNTS = {
    "officer": (Role.OFFICER, "Olivia", "Officer", False),
    "approver": (Role.PERFORMANCE_TEAM, "Arun", "Approver", False),
    "member": (Role.MEMBER, "Councillor", "Member", False),
    "partner": (Role.PARTNER, "Priya", "Partner", False),
    "admin": (Role.ADMINISTRATOR, "Ada", "Administrator", True),
}
OFFICER_INDICATORS = ["NI 156", "NI 181", "NI 192", "NI 193"]
OFFICER_DEPARTMENT = "housing-and-community-living-department"
PARTNER = "nhs-luton"
FIRST_YEAR, LAST_YEAR = 2008, 2010  # the LAA's financial years
OPEN_QUARTER = "2010/11 Q3"


def create_accounts(password: str) -> dict:
    users = get_user_model()
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    accounts = {}
    for username, (role, first, last, is_staff) in ACCOUNTS.items():
        user, _ = users.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.invalid"
        user.is_staff = is_staff
        user.is_superuser = role == Role.ADMINISTRATOR
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        accounts[username] = user
    department = OrgUnit.objects.filter(slug=OFFICER_DEPARTMENT).first()
    partner = Partner.objects.get(slug=PARTNER)
    Profile.objects.update_or_create(user=accounts["officer"], defaults={"department": department, "partner": None})
    Profile.objects.update_or_create(user=accounts["partner"], defaults={"partner": partner, "department": None})
    if not partner.may_enter_returns:
        partner.may_enter_returns = True
        partner.save()
    for code in OFFICER_INDICATORS:
        indicator = Indicator.objects.get(code=code)
        indicator.officers.add(accounts["officer"])
        if indicator.department_id != getattr(department, "pk", None):
            indicator.department = department
            indicator.save()
    first_actions = Action.objects.filter(plan__slug="corporate-plan-2008-14", outcome__isnull=False).order_by("order")[
        :3
    ]
    for action in first_actions:
        action.officers.add(accounts["officer"])
    return accounts


def _quarters() -> list[ReportingPeriod]:
    return list(
        ReportingPeriod.objects.filter(
            kind=PeriodKind.QUARTER, parent__start__year__gte=FIRST_YEAR, parent__start__year__lte=LAST_YEAR
        ).order_by("start")
    )


def create_rounds(today: dt.date, approver) -> None:
    """Every LAA quarter has a round: earlier ones locked, the demo quarter open and due soon."""
    for quarter in _quarters():
        round_ = actions.ensure_round(quarter)
        if quarter.label == OPEN_QUARTER:
            round_.state = RoundState.OPEN
            round_.deadline = today + dt.timedelta(days=14)
            round_.opens_on = min(round_.opens_on, today)
        elif quarter.start < ReportingPeriod.objects.get(label=OPEN_QUARTER).start:
            round_.state = RoundState.OPEN  # unlocked while its demonstration figures are written
        round_.save()


def _figure(rng: random.Random, target: Decimal, polarity: str) -> Decimal:
    """A plausible figure near the target: most on track, some a little off, a few well off."""
    roll = rng.random()
    miss = Decimal("0") if roll < 0.6 else Decimal("0.03") if roll < 0.85 else Decimal("0.15")
    worse = -1 if polarity == "higher" else 1
    figure = target * (1 + worse * miss) + target * Decimal(str(rng.uniform(-0.02, 0.02)))
    return figure.quantize(Decimal("0.1"))


@transaction.atomic
def create_demonstration_returns(approver, officer) -> int:
    """Approved demonstration figures for the LAA's quarterly indicators, up to the open quarter."""
    if Return.objects.filter(is_demonstration=True).exists():
        return 0
    rng = random.Random(2008)  # noqa: S311 - demonstration figures, the same on every machine
    open_start = ReportingPeriod.objects.get(label=OPEN_QUARTER).start
    quarters = [q for q in _quarters() if q.start < open_start]
    years = list(ReportingPeriod.objects.filter(kind=PeriodKind.FINANCIAL_YEAR, label__in=["2008/09", "2009/10"]))
    academic = list(ReportingPeriod.objects.filter(kind=PeriodKind.ACADEMIC_YEAR, label__in=["2008", "2009"]))
    indicators = Indicator.objects.filter(plan_links__plan__slug="laa-2008-11").distinct()
    made = 0
    for indicator in indicators.prefetch_related("breakdowns"):
        breakdowns = list(indicator.breakdowns.all())
        periods = quarters if indicator.frequency == "quarterly" else academic if indicator.statutory else years
        for quarter in periods:
            year = quarter.parent if quarter.kind == PeriodKind.QUARTER else quarter
            targets = {t.breakdown_id: t for t in Target.objects.filter(indicator=indicator, period=year)}
            if not targets or any(t.value is None for t in targets.values()):
                continue
            numbers = {}
            for key, _label, breakdown in actions.ReturnContext(indicator, quarter, breakdowns).part_keys():
                target = targets.get(breakdown.pk if breakdown else None)
                if target is None:
                    break
                number = _figure(rng, target.value, indicator.polarity)
                if indicator.unit in ("count", "level"):
                    number = number.to_integral_value()
                if indicator.unit == "percentage":
                    number = min(max(number, Decimal(0)), Decimal(100))
                numbers[key] = {"value": number}
            else:
                entered = actions.ReturnInput(
                    numbers=numbers, commentary="Demonstration figure.", change_confirmed=True
                )
                submission = actions.do_save_return(
                    indicator=indicator,
                    period=quarter,
                    entered=entered,
                    by=officer,
                    expected_version=0,
                    submit=True,
                    is_demonstration=True,
                )
                actions.do_review_return(
                    submission=submission, by=approver, approve=True, expected_version=submission.version
                )
                made += 1
    for quarter in quarters:
        round_ = ReportingRound.objects.get(period=quarter)
        round_.state = RoundState.LOCKED
        round_.locked_by = approver
        round_.locked_at = timezone.now()
        round_.save()
    return made
