"""The returns API: read a return, save it as a draft or submit it, under the same rules as the form.

PUT /api/v1/returns/<indicator>/<period>/ with {"values": {"value": 12} or {"male": 1, "female": 2},
"commentary": "...", "version": 3, "submit": false}. Session-authenticated (with CSRF) like the site.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework import status as http_status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import number
from core.audit import Channel
from core.numbers import parse_number
from indicators.models import Indicator, ReportingPeriod, Return, ReturnStatus
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
        "return_reason": serializers.CharField(),
    },
)
RETURN_INPUT = inline_serializer(
    "ReturnInput",
    {
        "values": serializers.DictField(
            child=serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
        ),
        "commentary": serializers.CharField(required=False),
        "data_source": serializers.CharField(required=False),
        "change_confirmed": serializers.BooleanField(required=False),
        "version": serializers.IntegerField(),
        "submit": serializers.BooleanField(required=False),
    },
)


class ReturnView(APIView):
    """Who: GET, anyone for an approved return, else its officers, lead partner and the performance team;
    PUT, the indicator's officers (or its lead partner's users, when allowed)."""

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
        approved = submission is not None and submission.status == ReturnStatus.APPROVED
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
        body = request.data if isinstance(request.data, dict) else {}
        raw_values = body.get("values") if isinstance(body.get("values"), dict) else {}
        keys = {key for key, _l, _b in context.part_keys()}
        errors = {f"values.{key}": "not a part of this indicator" for key in raw_values if key not in keys}
        numbers = {}
        for key in keys:
            raw = raw_values.get(key)
            # A rate is entered as {"numerator": n, "denominator": d}; anything else is the figure itself.
            parts = raw if isinstance(raw, dict) else {"value": raw}
            numbers[key] = {}
            for name, figure in parts.items():
                if name not in ("value", "numerator", "denominator"):
                    errors[f"values.{key}.{name}"] = "expected value, or numerator and denominator"
                    continue
                try:
                    numbers[key][name] = None if figure in (None, "") else parse_number(figure)
                except ValueError as error:
                    errors[f"values.{key}"] = str(error)
        version = body.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            errors["version"] = "give the version you started from (0 for a new return)"
        if errors:
            return Response({"errors": errors}, status=http_status.HTTP_400_BAD_REQUEST)
        entered = actions.ReturnInput(
            numbers=numbers,
            commentary=str(body.get("commentary") or ""),
            data_source=str(body.get("data_source") or ""),
            change_confirmed=bool(body.get("change_confirmed")),
        )
        try:
            submission = actions.do_save_return(
                indicator=indicator,
                period=period,
                entered=entered,
                by=request.user,
                expected_version=version,
                submit=bool(body.get("submit")),
                channel=Channel.API,
            )
        except actions.InvalidEntry as error:
            return Response(
                {"errors": {p.field: p.message for p in error.problems}},
                status=http_status.HTTP_400_BAD_REQUEST,
            )
        except actions.StaleEdit as error:
            return Response({"detail": str(error)}, status=http_status.HTTP_409_CONFLICT)
        except actions.WorkflowError as error:
            return Response({"detail": str(error)}, status=http_status.HTTP_409_CONFLICT)
        return Response(_serialise(submission, actions.load_context(indicator, period)))
