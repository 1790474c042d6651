"""Sign-in locks (django-axes): the page a locked pair sees, the log line for every lock, and the page
where the performance team and administrators see current locks and lift them."""

import logging

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.events import record_event
from accounts.models import SecurityEvent, SecurityEventKind
from core.access import allowed
from core.audit import Channel
from core.network import client_address
from core.roles import is_performance_team

logger = logging.getLogger("luton.security")


def cool_off_minutes() -> int:
    return round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Who: anyone whose username and address are locked. Says so in words, with 429 Too Many Requests."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": cool_off_minutes(), "failures": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


@receiver(user_login_failed, dispatch_uid="accounts.locks.log_failure")
def _log_failure(sender, credentials, request=None, **kwargs) -> None:
    # One line per failed password, so that many usernames tried from one address show in the logs.
    logger.info(
        "Sign-in failed",
        extra={
            "event": "sign-in-failed",
            "username": (credentials or {}).get("username", ""),
            "client": client_address(request) if request is not None else None,
        },
    )


@receiver(user_locked_out, dispatch_uid="accounts.locks.log")
def _log_lock(sender, request, username, ip_address, **kwargs) -> None:
    # django-axes sends this when a failure sets a lock (it has counted the failures by then) and again
    # for each attempt refused during the lock.
    if getattr(request, "axes_failures_since_start", None) is None:
        logger.warning(
            "Sign-in refused: locked", extra={"event": "lock-refused", "username": username, "client": ip_address}
        )
        return
    record_event(
        kind=SecurityEventKind.LOCKED,
        username=username or "",
        channel=Channel.FORM,  # the one sign-in page (the admin has none of its own)
        detail=f"from {ip_address} after {request.axes_failures_since_start} failures",
    )


def current_locks():
    """AccessAttempt rows that lock their pair now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=since
    ).order_by("-attempt_time")


@allowed(is_performance_team)
def locks(request: HttpRequest) -> HttpResponse:
    """Who: the performance team and administrators. The username and address pairs locked now, each
    with a button to lift its lock, and the latest locks and lifts."""
    rows = [
        {"attempt": attempt, "ends": attempt.attempt_time + settings.AXES_COOLOFF_TIME} for attempt in current_locks()
    ]
    history = SecurityEvent.objects.filter(
        kind__in=[SecurityEventKind.LOCKED, SecurityEventKind.LOCK_LIFTED]
    ).select_related("by")[:20]
    return render(
        request,
        "accounts/locks.html",
        {"rows": rows, "history": history, "minutes": cool_off_minutes(), "failures": settings.AXES_FAILURE_LIMIT},
    )


@require_POST
@allowed(is_performance_team)
def lift_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Who: the performance team and administrators. Lift one pair's lock, recorded with who lifted it."""
    with transaction.atomic():
        attempt = get_object_or_404(AccessAttempt.objects.select_for_update(), pk=pk)
        username, address = attempt.username or "", attempt.ip_address
        attempt.delete()
        record_event(
            kind=SecurityEventKind.LOCK_LIFTED,
            username=username,
            by=request.user,
            channel=Channel.FORM,
            detail=f"from {address}",
        )
    messages.success(request, f"Lifted the lock on {username} from {address}: they can sign in again.")
    return redirect("accounts:locks")
