"""The read side of the returns cycle: one place that builds each list, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q

from core.roles import Role
from indicators.models import Indicator, ReportingPeriod, Return, ReturnStatus, Target
from partners.models import SignUp
from plans.models import Action
from returns import permissions
from returns.models import ActionUpdate, ReportingRound

NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: "Not started", **dict(ReturnStatus.choices)}
# A return still owed: the one definition of "outstanding" (and, once its round's deadline has passed,
# of "late") for completeness, reminders and the members' dashboard.
OUTSTANDING = (NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.RETURNED)


def period_slug(period: ReportingPeriod) -> str:
    return period.slug


def round_by_slug(slug: str) -> ReportingRound | None:
    for round_ in ReportingRound.objects.select_related("period__parent"):
        if period_slug(round_.period) == slug:
            return round_
    return None


@dataclass
class ReturnRow:
    indicator: Indicator
    period: ReportingPeriod
    submission: Return | None
    target: Target | None
    previous: Decimal | None
    round: ReportingRound
    people: list = field(default_factory=list)  # who owes it (owed_in): its officers, its lead partner's users

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else NOT_STARTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING

    def is_late(self, today) -> bool:
        return self.is_outstanding and self.round.is_late(today)


@dataclass
class ActionRow:
    action: Action
    update: ActionUpdate | None
    round: ReportingRound
    people: list = field(default_factory=list)  # who owes it (owed_in): the action's officers

    @property
    def status(self) -> str:
        return self.update.status if self.update else NOT_STARTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING

    def is_late(self, today) -> bool:
        return self.is_outstanding and self.round.is_late(today)


def indicators_for(user) -> list[Indicator]:
    """The indicators whose returns `user` enters: assigned to them, or led by their organisation."""
    query = Q(officers=user) if permissions.is_officer(user) else Q(pk__in=[])
    partner = permissions.partner_of(user)
    if partner is not None and partner.may_enter_returns:
        led = SignUp.objects.filter(partner=partner, lead=True).values("plan_indicator__indicator")
        query |= Q(pk__in=led)
    return list(Indicator.objects.filter(query).distinct().prefetch_related("breakdowns").order_by("slug"))


def _owing():
    led = SignUp.objects.filter(lead=True, partner__may_enter_returns=True).values("plan_indicator__indicator")
    return Indicator.objects.filter(Q(officers__isnull=False) | Q(department__isnull=False) | Q(pk__in=led)).distinct()


def owing_indicators():
    """Indicators whose returns someone owes: assigned to officers, owned by a department, or led by a
    partner allowed to enter returns. With their officers, department and plans, for lists of them."""
    officers = Prefetch("officers", User.objects.select_related("profile__partner").order_by("username"))
    return _owing().select_related("department").prefetch_related(officers, "plan_links__plan")


def late_indicator_ids(round_: ReportingRound, today) -> set[int]:
    """Indicators whose return owed in the round is outstanding after its deadline (three queries)."""
    if not round_.is_late(today):
        return set()
    academic = ReportingPeriod.objects.academic_by_reporting_year()
    owed = {}
    for indicator in _owing().only("pk", "frequency", "statutory"):
        period = indicator.period_owed(round_.period, academic)
        if period is not None:
            owed[indicator.pk] = period.pk
    done = Return.objects.filter(indicator_id__in=owed, period_id__in=set(owed.values())).exclude(
        status__in=[status for status in OUTSTANDING if status != NOT_STARTED]
    )
    handed_in = {(i, p) for i, p in done.values_list("indicator_id", "period_id")}
    return {indicator_id for indicator_id, period_id in owed.items() if (indicator_id, period_id) not in handed_in}


def return_rows(indicators: list[Indicator], rounds: list[ReportingRound]) -> list[ReturnRow]:
    """Each indicator's return owed in each round, with its status, the target and last period's figure.

    Five queries whatever the number of indicators and rounds.
    """
    academic = ReportingPeriod.objects.academic_by_reporting_year()
    owed = [
        (indicator, period, round_)
        for round_ in rounds
        for indicator in indicators
        if (period := indicator.period_owed(round_.period, academic)) is not None
    ]
    if not owed:
        return []
    indicator_ids = {i.pk for i, _, _ in owed}
    period_ids = {p.pk for _, p, _ in owed}
    submissions = {
        (r.indicator_id, r.period_id): r
        for r in Return.objects.filter(indicator_id__in=indicator_ids, period_id__in=period_ids).prefetch_related(
            "values"
        )
    }
    years = {p.target_year_id for _, p, _ in owed}
    targets: dict[tuple[int, int], Target] = {}
    for target in Target.objects.filter(
        indicator_id__in=indicator_ids, period_id__in=years, breakdown__isnull=True
    ).order_by("plan__order"):
        targets.setdefault((target.indicator_id, target.period_id), target)
    earlier = Return.objects.filter(indicator_id__in=indicator_ids).select_related("period").prefetch_related("values")
    history: dict[int, list[Return]] = defaultdict(list)
    for r in earlier.order_by("period__start"):
        history[r.indicator_id].append(r)
    rows = []
    for indicator, period, round_ in owed:
        before = [r for r in history[indicator.pk] if r.period.kind == period.kind and r.period.start < period.start]
        previous = None
        if before:
            whole = [v.value for v in before[-1].values.all() if v.breakdown_id is None]
            previous = whole[0] if whole else None
        year = period.target_year_id
        rows.append(
            ReturnRow(
                indicator=indicator,
                period=period,
                submission=submissions.get((indicator.pk, period.pk)),
                target=targets.get((indicator.pk, year)),
                previous=previous,
                round=round_,
            )
        )
    return rows


def action_rows(user, rounds: list[ReportingRound]) -> list[ActionRow]:
    if not permissions.is_officer(user) or not rounds:
        return []
    actions = list(Action.objects.filter(officers=user).select_related("plan").order_by("plan__order", "order"))
    updates = {
        (u.action_id, u.period_id): u
        for u in ActionUpdate.objects.filter(action__in=actions, period__in=[r.period for r in rounds])
    }
    return [ActionRow(action=a, update=updates.get((a.pk, r.period_id)), round=r) for r in rounds for a in actions]


@dataclass
class Owed:
    """Every return owed in a round: indicators' figures (entered by officers or a lead partner's users)
    and actions' updates, each with the people who owe it."""

    returns: list[ReturnRow]
    updates: list[ActionRow]

    @property
    def outstanding(self) -> list[ReturnRow | ActionRow]:
        return [row for row in [*self.returns, *self.updates] if row.is_outstanding]


def owed_in(round_: ReportingRound) -> Owed:
    """Every return owed in the round and who owes it: an indicator's officers and, where its lead partner
    enters returns, that partner's users; an action's officers. People whose accounts are switched off owe
    nothing. At most fifteen queries, however many returns and people."""
    returns = return_rows(list(owing_indicators()), [round_])
    ids = {row.indicator.pk for row in returns}
    leads: dict[int, set[int]] = defaultdict(set)
    for indicator_id, partner_id in SignUp.objects.filter(
        lead=True, partner__may_enter_returns=True, plan_indicator__indicator_id__in=ids
    ).values_list("plan_indicator__indicator_id", "partner_id"):
        leads[indicator_id].add(partner_id)
    partner_users: dict[int, list] = defaultdict(list)
    for user in (
        User.objects.filter(
            is_active=True,
            groups__name=Role.PARTNER,
            profile__partner_id__in={p for partners in leads.values() for p in partners},
        )
        .select_related("profile__partner")
        .order_by("username")
    ):
        partner_users[user.profile.partner_id].append(user)
    for row in returns:
        row.people = [officer for officer in row.indicator.officers.all() if officer.is_active]
        row.people += [user for partner_id in sorted(leads[row.indicator.pk]) for user in partner_users[partner_id]]
    assigned = (
        Action.objects.filter(officers__isnull=False)
        .distinct()
        .select_related("plan", "org_unit")
        .prefetch_related(Prefetch("officers", User.objects.select_related("profile__partner").order_by("username")))
        .order_by("plan__order", "order")
    )
    actions = list(assigned)
    updates = {u.action_id: u for u in ActionUpdate.objects.filter(action__in=actions, period_id=round_.period_id)}
    rows = [
        ActionRow(action, updates.get(action.pk), round_, [o for o in action.officers.all() if o.is_active])
        for action in actions
    ]
    return Owed(returns=returns, updates=rows)


def sign_off_queue():
    returns = (
        Return.objects.awaiting_sign_off()
        .select_related("indicator", "period", "entered_by")
        .prefetch_related(Prefetch("values"))
    )
    updates = ActionUpdate.objects.awaiting_sign_off().select_related("action__plan", "period", "entered_by")
    return list(returns), list(updates)
