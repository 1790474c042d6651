"""Who may do what in the returns cycle. Every view and API endpoint asks these, never the groups directly.

- Officers enter and edit the returns of the indicators and actions assigned to them.
- The performance team sees every return, approves or returns it, locks and reopens rounds.
- Members read everything approved.
- Partner users read their organisation's targets and, where the performance team allows it, enter
  values for the LAA targets their organisation leads.
- Administrators maintain plans, indicators, assignments and users (in the admin).
"""

from django.contrib.auth.models import AnonymousUser, User

from core.roles import Role, has_role, is_performance_team  # the role rules live in core
from indicators.models import Indicator
from partners.models import SignUp
from plans.models import Action

AnyUser = User | AnonymousUser


def is_officer(user: AnyUser) -> bool:
    return has_role(user, Role.OFFICER)


def can_read_internal(user: AnyUser) -> bool:
    """Council-wide views of approved data: members, officers and the performance team."""
    return user.is_authenticated and (
        is_performance_team(user) or has_role(user, Role.MEMBER) or has_role(user, Role.OFFICER)
    )


def partner_of(user: AnyUser):
    if not has_role(user, Role.PARTNER):
        return None
    profile = getattr(user, "profile", None)
    return profile.partner if profile is not None else None


def can_enter_returns(user: AnyUser) -> bool:
    """Has a "My returns" page: officers, and partner users whose organisation may enter returns."""
    if is_officer(user):
        return True
    partner = partner_of(user)
    return partner is not None and partner.may_enter_returns


def can_edit_indicator(user: AnyUser, indicator: Indicator) -> bool:
    """An assigned officer, or a user of the lead partner of one of its LAA targets (when allowed)."""
    if not user.is_authenticated:
        return False
    if is_officer(user) and indicator.officers.filter(pk=user.pk).exists():
        return True
    partner = partner_of(user)
    return (
        partner is not None
        and partner.may_enter_returns
        and SignUp.objects.filter(partner=partner, lead=True, plan_indicator__indicator=indicator).exists()
    )


def can_edit_action(user: AnyUser, action: Action) -> bool:
    return is_officer(user) and action.officers.filter(pk=user.pk).exists()


def can_see_unapproved(user: AnyUser, indicator: Indicator) -> bool:
    """Unapproved figures: the performance team, the indicator's officers, and its lead partner's users
    (whose own returns they are). Never the public, nor partners of other organisations."""
    if is_performance_team(user) or (is_officer(user) and indicator.officers.filter(pk=user.pk).exists()):
        return True
    partner = partner_of(user)
    return (
        partner is not None
        and partner.may_enter_returns  # only then are the lead partner's returns its own
        and SignUp.objects.filter(partner=partner, lead=True, plan_indicator__indicator=indicator).exists()
    )
