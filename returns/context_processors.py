from returns import permissions


def navigation(request) -> dict:
    """What the service navigation offers the signed-in user."""
    user = request.user
    return {
        "nav": {
            "returns": permissions.can_enter_returns(user),
            "performance_team": permissions.is_performance_team(user),
            "dashboard": permissions.can_read_internal(user),
            "partner": permissions.partner_of(user) is not None,
            "signed_in": user.is_authenticated,
        }
    }
