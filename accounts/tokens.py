"""API tokens: a person's key for their own scripts, for the returns API only.

`Authorization: Token <key>` authenticates a request to `/api/v1/returns/...` as the key's owner, who
can then do exactly what they could do signed in (the returns API checks permissions per indicator, as
the pages do): no more, since the token names only a person, never a role or a scope of its own. The
browser keeps using the session, with CSRF; Basic authentication is never accepted. The owner creates
and revokes the key on their account page; both are recorded as security events.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.events import record_event
from accounts.models import ApiToken, SecurityEventKind
from core.audit import Channel

KEY_PREFIX = "lpt_"  # recognisable in a leaked file or a secret scanner
KEYWORDS = (b"token", b"bearer")
LAST_USED_EVERY = dt.timedelta(minutes=1)  # a script's every request need not write a row


def _digest(key: str) -> str:
    # The key has 256 random bits: a fast hash is enough (there is nothing to guess by brute force).
    return hashlib.sha256(key.encode()).hexdigest()


def do_create_token(*, user, by) -> str:
    """A new key for `user`, replacing any they had; the key is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.filter(user=user).delete()
        ApiToken.objects.create(user=user, digest=_digest(key), prefix=key[: len(KEY_PREFIX) + 4])
        record_event(
            kind=SecurityEventKind.API_TOKEN_CREATED,
            username=user.get_username(),
            user=user,
            by=by,
            channel=Channel.FORM,
        )
    return key


def do_revoke_token(*, user, by) -> bool:
    """Delete `user`'s key; False when they had none."""
    with transaction.atomic():
        deleted, _ = ApiToken.objects.filter(user=user).delete()
        if deleted:
            record_event(
                kind=SecurityEventKind.API_TOKEN_REVOKED,
                username=user.get_username(),
                user=user,
                by=by,
                channel=Channel.FORM,
            )
    return bool(deleted)


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` (or `Bearer <key>`): the key's owner, if the key is current and the
    account active. A request without such a header is left to the other authentication (the session)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the token as one word after the keyword: Authorization: Token <key>.")
        key = parts[1].decode("latin-1")
        token = ApiToken.objects.select_related("user").filter(digest=_digest(key)).first()
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(
                "This token is not valid: it may have been revoked or replaced. Create one on your account page."
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Token"


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the schema (drf-spectacular) describes the token: the Authorization header."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Your API token (from "Your account"), as: Token <key>',
        }
