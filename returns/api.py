"""The returns API: read a return, save it as a draft or submit it, under the same rules as the form.

PUT /api/v1/returns/<indicator>/<period>/ with {"values": {"value": 12} or {"male": 1, "female": 2},
"commentary": "...", "version": 3, "submit": false}. Session-authenticated (with CSRF) like the site,
or, for a person's scripts, with their API token (`Authorization: Token <key>`, accounts.tokens).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework import status as http_status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.tokens import TokenAuthentication
from core.api import number
from core.audit import Channel
from core.numbers import parse_number
from indicators.models import Confidence, Indicator, ReportingPeriod, Return
from returns import actions, permissions


def _period(slug: str) -> ReportingPeriod:
    for period in ReportingPeriod.objects.all():
        if period.slug == slug:
            return period
    raise Http404("No such period")


def _serialise(submission: Return | None, context: actions.ReturnContext) -> dict:
    values = context.values_by_key()
    return {
        "indicator": context.indicator.code or context.indicator.slug,
        "period": context.period.label,
        "status": submission.status if submission else "not_started",
        "version": submission.version if submission else 0,
        "values": {key: number(values[key].value) if key in values else None for key, _l, _b in context.part_keys()},
        "commentary": submission.commentary if submission else "",
        "remedial_action": submission.remedial_action if submission else "",
        "return_reason": submission.return_reason if submission else "",
    }


RETURN_SCHEMA = inline_serializer(
    "Return",
    {
        "indicator": serializers.CharField(),
        "period": serializers.CharField(),
        "status": serializers.CharField(),
        "version": serializers.IntegerField(),
        "values": serializers.DictField(
            child=serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
        ),
        "commentary": serializers.CharField(),
        "remedial_action": serializers.CharField(),
        "return_reason": serializers.CharField(),
    },
)
RETURN_INPUT = inline_serializer(
    "ReturnInput",
    {
        "values": serializers.DictField(
            child=serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
        ),
        "commentary": serializers.CharField(required=False, help_text="Left out: the saved commentary is kept."),
        "remedial_action": serializers.CharField(required=False),
        "data_source": serializers.CharField(required=False),
        "evidence": serializers.CharField(required=False),
        "confidence": serializers.ChoiceField(choices=["", "high", "medium", "low"], required=False),
        "change_confirmed": serializers.BooleanField(required=False),
        "version": serializers.IntegerField(min_value=0),
        "submit": serializers.BooleanField(required=False),
    },
)


class ReturnView(APIView):
    """Who: GET, anyone for an approved return, else its officers, lead partner and the performance team;
    PUT, the indicator's officers (or its lead partner's users, when allowed)."""

    # The session first: a request with neither is refused 403, as elsewhere. Never Basic authentication.
    authentication_classes = [SessionAuthentication, TokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_scope = "returns"  # a tighter rate than other reads (settings: LUTON_API_RETURNS_RATE)

    def _load(self, indicator_slug: str, period_slug: str):
        indicator = get_object_or_404(Indicator, slug=indicator_slug)
        period = _period(period_slug)
        return indicator, period, actions.load_context(indicator, period)

    @extend_schema(responses={200: RETURN_SCHEMA, 404: OpenApiTypes.OBJECT})
    def get(self, request, indicator_slug: str, period_slug: str):
        indicator, _, context = self._load(indicator_slug, period_slug)
        submission = context.submission
        approved = submission is not None and submission.is_published
        if not approved and not permissions.can_see_unapproved(request.user, indicator):
            return Response({"detail": "Not found."}, status=http_status.HTTP_404_NOT_FOUND)
        return Response(_serialise(submission, context))

    @extend_schema(
        request=RETURN_INPUT,
        responses={200: RETURN_SCHEMA, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def put(self, request, indicator_slug: str, period_slug: str):
        indicator, period, context = self._load(indicator_slug, period_slug)
        if not permissions.can_edit_indicator(request.user, indicator):
            return Response(
                {"detail": "You may not enter this indicator's returns."},
                status=http_status.HTTP_403_FORBIDDEN,
            )
        entered, version, submit, errors = _read_body(request.data, context)
        if errors:
            return Response({"errors": errors}, status=http_status.HTTP_400_BAD_REQUEST)
        try:
            submission = actions.do_save_return(
                indicator=indicator,
                period=period,
                entered=entered,
                by=request.user,
                expected_version=version,
                submit=submit,
                channel=Channel.API,
            )
        except actions.InvalidEntry as error:
            return Response(
                {"errors": {p.field: p.message for p in error.problems}},
                status=http_status.HTTP_400_BAD_REQUEST,
            )
        except actions.StaleEdit as error:  # the one conflict: someone saved it after the version given
            return Response({"detail": str(error)}, status=http_status.HTTP_409_CONFLICT)
        except actions.WorkflowError as error:  # the round is locked or not open, the return not editable
            return Response({"detail": str(error)}, status=http_status.HTTP_400_BAD_REQUEST)
        return Response(_serialise(submission, actions.load_context(indicator, period)))


TEXTS = ("commentary", "remedial_action", "data_source", "evidence", "confidence")
FLAGS = ("change_confirmed", "submit")
FIGURE_NAMES = ("value", "numerator", "denominator")


def _read_body(body, context: actions.ReturnContext) -> tuple[actions.ReturnInput | None, int, bool, dict]:
    """The request body, strictly: an object whose `values` is an object of part -> figure (a number, a
    string such as "5,810" or "42.5%", or null; for a rate, {"numerator": n, "denominator": d}), texts as
    strings, flags as booleans and `version` a whole number. Texts left out keep what is saved. Every
    problem is named by its field."""
    if not isinstance(body, dict):
        return None, 0, False, {"body": "send a JSON object"}
    errors: dict[str, str] = {}
    allowed = {"values", "version", *TEXTS, *FLAGS}
    for name in body:
        if name not in allowed:
            errors[name] = f"unknown field; the fields are {', '.join(sorted(allowed))}"
    raw_values = body.get("values", {})
    if not isinstance(raw_values, dict):
        errors["values"] = 'an object of each part\'s figure, e.g. {"value": 43} or {"male": 1, "female": 2}'
        raw_values = {}
    keys = [key for key, _label, _breakdown in context.part_keys()]
    errors.update({f"values.{key}": "not a part of this indicator" for key in raw_values if key not in keys})
    unit = context.indicator.unit
    numbers: dict[str, dict] = {}
    for key in keys:
        raw = raw_values.get(key)
        # A rate is entered as {"numerator": n, "denominator": d}; anything else is the figure itself.
        parts = raw if isinstance(raw, dict) else {"value": raw}
        numbers[key] = {}
        for name, figure in parts.items():
            where = f"values.{key}" if not isinstance(raw, dict) else f"values.{key}.{name}"
            if name not in FIGURE_NAMES:
                errors[where] = "expected value, or numerator and denominator"
            elif figure is None or figure == "":
                numbers[key][name] = None
            elif not isinstance(figure, int | float | str) or isinstance(figure, bool):
                errors[where] = 'a figure is a number, or text such as "5,810"'
            else:
                try:
                    numbers[key][name] = parse_number(figure, unit=unit if name == "value" else "")
                except ValueError as error:
                    errors[where] = str(error)
    texts = {}
    saved = context.submission
    for name in TEXTS:
        value = body.get(name, getattr(saved, name) if saved else "")
        if not isinstance(value, str):
            errors[name] = "must be text (a JSON string)"
        texts[name] = value if isinstance(value, str) else ""
    if texts["confidence"] and texts["confidence"] not in Confidence.values:
        errors["confidence"] = f"one of {', '.join(Confidence.values)}, or empty"
    flags = {}
    for name in FLAGS:
        value = body.get(name, False)
        if not isinstance(value, bool):
            errors[name] = "must be true or false"
        flags[name] = value is True
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        errors["version"] = "give the version you started from (0 for a new return)"
        version = 0
    entered = actions.ReturnInput(numbers=numbers, change_confirmed=flags["change_confirmed"], **texts)
    return entered, version, flags["submit"], errors
