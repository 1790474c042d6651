"""The audit trail of sign-in security: one function writes it, as a row and as a log line."""

import logging

from django.contrib.auth import get_user_model

from accounts.models import SecurityEvent, SecurityEventKind

logger = logging.getLogger("luton.security")

# Worth a look from whoever watches the logs; the rest are routine.
_WARNINGS = {SecurityEventKind.LOCKED, SecurityEventKind.LOCK_LIFTED, SecurityEventKind.SECOND_FACTOR_RESET}


def record_event(
    *, kind: SecurityEventKind, username: str, channel: str, by=None, user=None, detail: str = ""
) -> SecurityEvent:
    """Record `kind` for the account `username` (looked up when `user` is not given), done by `by`."""
    if user is None:
        user = get_user_model().objects.filter(username=username).first()
    event = SecurityEvent.objects.create(
        kind=kind,
        username=username[:150],
        user=user,
        by=by if by is not None and by.is_authenticated else None,
        channel=channel,
        detail=detail[:200],
    )
    logger.log(
        logging.WARNING if kind in _WARNINGS else logging.INFO,
        kind.label,
        extra={
            "event": kind.value,
            "username": event.username,
            "account_id": event.user_id,
            "by_user_id": event.by_id,
            "channel": channel,
            "detail": event.detail,
        },
    )
    return event
