"""Who may open a page: the one decorator every signed-in view states its rule with."""

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def allowed(check: Callable) -> Callable:
    """Signed-in users for whom `check(user)` holds; others get 403 (anonymous users the sign-in page)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
