"""Pieces shared by every app's part of the open-data API."""

import math
from decimal import Decimal

from django_filters import rest_framework as filters
from drf_spectacular.openapi import AutoSchema
from rest_framework.exceptions import Throttled
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.views import exception_handler as drf_exception_handler

from core.numbers import plain_decimal


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def number(value: Decimal | None) -> Decimal | None:
    """A stored decimal as the API writes it; JSON renders it as a number (0.7, not "0.7000")."""
    return plain_decimal(value)


def exception_handler(exc, context):
    """DRF's handler, with a 429 that says in words what the limit is and when to come back."""
    response = drf_exception_handler(exc, context)
    if isinstance(exc, Throttled) and response is not None:
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        signed_in = context["request"].user.is_authenticated
        who = "for your account" if signed_in else "for clients that are not signed in"
        when = f"Try again in {wait} second{'s' if wait != 1 else ''}." if wait is not None else "Try again later."
        response.data = {
            "detail": f"Too many requests: the API limits how often it may be called {who}. {when}",
            "retry_after": wait,
        }
    return response


ERROR_BODY = {
    "type": "object",
    "additionalProperties": True,
    "description": 'What was wrong, in words: {"detail": "..."}, or the message(s) for each field named.',
}
ERRORS = {
    "400": "The query or body was not valid: each field named with what was wrong.",
    "403": "Not signed in (no session or token), or not allowed to do this.",
    "404": "No such record, or no such page of results.",
    "429": "Too many requests: the API's throttle for this client; says when to come back.",
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers every endpoint can give declared too, so that a
    client (and a schema-driven test) knows a 400, 403, 404 or 429 is an answer and not a fault."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "404", "429"]
        if not any(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes.append("403")
        for code in codes:
            responses.setdefault(
                code,
                {"description": ERRORS[code], "content": {"application/json": {"schema": ERROR_BODY}}},
            )
        return responses


def slug_filter(queryset, *, noun: str, help_text: str, field_name: str | None = None):
    """A filter naming a record by its slug, whose 400 says which slug matched nothing, in words."""
    return filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=queryset,
        help_text=help_text,
        error_messages={"invalid_choice": f"No {noun} has the slug %(value)r."},
    )
