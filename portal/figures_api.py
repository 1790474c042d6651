"""GET /api/v1/figures/: every published (approved) figure with its target, status and direction.

The rows come from `portal.figures.published_figures` (remembered under the data version); the
filters are a django-filter FilterSet, which checks the query and describes it in the schema, and are
applied to those rows. A figure that is not approved is never in the table, whoever asks.
"""

import contextlib

from django.db.models import Q
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from core.api import StandardPagination
from indicators.codes import InvalidCode, normalise_code
from indicators.models import Indicator, ReportingPeriod, Value
from indicators.status import Direction, Rag
from partners.models import Partner, SignUp
from plans.models import Plan
from portal.figures import Figure, published_figures

STATUS_CHOICES = [(rag.value, rag.label) for rag in Rag]
DIRECTION_CHOICES = [(direction.value, direction.value.replace("_", " ")) for direction in Direction]


def _number(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=4, allow_null=True, coerce_to_string=False, help_text=help_text
    )


class FigureSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The figure's identifier; stable while the figure exists.")
    indicator = serializers.CharField(
        help_text='The indicator\'s slug, e.g. "ni-16" (its page is /indicators/<slug>/).'
    )
    indicator_code = serializers.CharField(allow_null=True, help_text='E.g. "NI 16"; null for uncoded measures.')
    indicator_title = serializers.CharField()
    period = serializers.CharField(help_text='The reporting period as labelled, e.g. "2009/10 Q3" or "2009/10".')
    period_kind = serializers.CharField(help_text="quarter, financial_year, academic_year or calendar_year.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    breakdown = serializers.CharField(
        allow_null=True, help_text='The part of a split indicator ("male", a ward, a band); null for the whole.'
    )
    value = _number("The approved figure, in the indicator's unit.")
    unit = serializers.CharField(help_text="percentage, count, rate, ...; empty when not recorded.")
    target = _number("The target for the figure's year, where it states a number.")
    target_text = serializers.CharField(help_text="The target as printed; empty when none is set.")
    target_compared = _number(
        "The target the figure is judged against: a share of the year's target for a quarter of a cumulative "
        "or summed indicator, else the year's target."
    )
    status = serializers.ChoiceField(choices=STATUS_CHOICES, help_text="The figure judged against its target.")
    status_label = serializers.CharField(help_text='The status in words, e.g. "On track".')
    direction = serializers.ChoiceField(
        choices=DIRECTION_CHOICES, help_text="Against the previous figure of the same kind of period."
    )
    direction_since_last_year = serializers.ChoiceField(
        choices=DIRECTION_CHOICES, help_text="Against the same period a year before."
    )
    commentary = serializers.CharField(help_text="The council's approved commentary on the figure.")
    remedial_action = serializers.CharField(help_text="What is being done about an off-target figure.")
    is_demonstration = serializers.BooleanField(
        help_text="True for invented demonstration figures, never for real ones."
    )
    updated_at = serializers.DateTimeField(help_text="When the figure's return was last approved or changed.")


class FigureFilter(filters.FilterSet):
    """The query a client may send; `apply` filters the published rows by it."""

    indicator = filters.CharFilter(help_text='An indicator\'s code or slug: "NI 16", "ni-16".')
    plan = filters.CharFilter(help_text="A plan's slug: the indicators it names.")
    period = filters.CharFilter(help_text='A period\'s label or slug: "2009/10 Q3", "2009-10-q3".')
    partner = filters.CharFilter(help_text="A partner's slug: the indicators it signed up to.")
    status = filters.ChoiceFilter(choices=STATUS_CHOICES, help_text="Only figures with this status.")
    since = filters.IsoDateTimeFilter(
        help_text="Only figures approved or changed at or after this time (ISO 8601, e.g. 2010-01-01T00:00:00Z)."
    )

    class Meta:
        model = Value
        fields = ["indicator", "plan", "period", "partner", "status", "since"]

    def apply(self, rows: list[Figure]) -> list[Figure]:
        """The rows that match every filter given. Up to one query per filter given."""
        query = self.form.cleaned_data
        if query.get("indicator"):
            ids = self._indicator_ids(query["indicator"])
            rows = [row for row in rows if row.indicator_id in ids]
        if query.get("plan"):
            if not Plan.objects.filter(slug=query["plan"]).exists():
                raise ValidationError({"plan": [f"No plan has the slug {query['plan']!r} (see /api/v1/plans/)."]})
            ids = set(Indicator.objects.for_plan(query["plan"]).values_list("pk", flat=True))
            rows = [row for row in rows if row.indicator_id in ids]
        if query.get("partner"):
            if not Partner.objects.filter(slug=query["partner"]).exists():
                raise ValidationError({"partner": [f"No partner has the slug {query['partner']!r} (see /partners/)."]})
            ids = set(
                SignUp.objects.filter(partner__slug=query["partner"]).values_list(
                    "plan_indicator__indicator_id", flat=True
                )
            )
            rows = [row for row in rows if row.indicator_id in ids]
        if query.get("period"):
            ids = self._period_ids(query["period"])
            rows = [row for row in rows if row.period_id in ids]
        if query.get("status"):
            rows = [row for row in rows if row.status == query["status"]]
        if query.get("since"):
            rows = [row for row in rows if row.updated_at >= query["since"]]
        return rows

    @staticmethod
    def _indicator_ids(given: str) -> set[int]:
        match = Q(slug=given.strip().lower())
        with contextlib.suppress(InvalidCode):
            match |= Q(code=normalise_code(given))
        ids = set(Indicator.objects.filter(match).values_list("pk", flat=True))
        if not ids:
            raise ValidationError({"indicator": [f"No indicator has the code or slug {given!r}."]})
        return ids

    @staticmethod
    def _period_ids(given: str) -> set[int]:
        wanted = given.strip().lower()
        ids = {p.pk for p in ReportingPeriod.objects.all() if wanted in (p.label.lower(), p.slug)}
        if not ids:
            raise ValidationError({"period": [f'No reporting period is labelled {given!r} (e.g. "2009/10 Q3").']})
        return ids


class FigureViewSet(viewsets.GenericViewSet):
    """Published figures: approved figures only, each with its target, status and direction. Public.

    Who: anyone; the figures are those the public pages show.
    """

    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    serializer_class = FigureSerializer
    filterset_class = FigureFilter
    queryset = Value.objects.none()  # for the schema's filters: the rows are published_figures()

    def list(self, request, *args, **kwargs):
        filterset = FigureFilter(request.query_params, queryset=self.queryset, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        # The version portal.conditional read for the validators, if it did: one query fewer.
        rows = filterset.apply(published_figures(version=getattr(request, "data_version", None)))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
