"""Read-only open-data API for partners with their sign-ups, and the LAA's glossary. Public: all as
published in the Local Area Agreement."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from core.api import StandardPagination
from partners.models import GlossaryTerm, Partner, PartnerKind, PartnerMembership, SignUp


class SignUpSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan_indicator.plan.slug", help_text="The plan's slug.")
    indicator = serializers.CharField(source="plan_indicator.indicator.slug", help_text="The indicator's slug.")
    code = serializers.CharField(source="plan_indicator.indicator.code", allow_null=True, help_text='E.g. "NI 16".')
    printed_name = serializers.CharField(help_text="The partner as the target's row prints it.")
    lead = serializers.BooleanField(help_text="The lead partner for the target.")

    class Meta:
        model = SignUp
        fields = ["plan", "indicator", "code", "printed_name", "lead"]


class MemberSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="member.slug", help_text="The member's slug.")
    name = serializers.CharField(source="member.name")
    printed = serializers.CharField(help_text="The member as the partner groups' list prints it.")

    class Meta:
        model = PartnerMembership
        fields = ["partner", "name", "printed"]


class PartnerSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", help_text="Its page on this site.")
    members = MemberSerializer(source="memberships", many=True, help_text="For a partner group: its members.")
    sign_ups = SignUpSerializer(many=True, help_text="Every target it signed up to, in the plan's order.")

    class Meta:
        model = Partner
        fields = ["slug", "name", "abbreviation", "expansion", "kind", "description", "url", "members", "sign_ups"]


class PartnerFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=PartnerKind.choices, help_text="organisation, partnership or sector.")
    indicator = filters.CharFilter(
        field_name="sign_ups__plan_indicator__indicator__slug",
        distinct=True,
        help_text="An indicator's slug, e.g. ni-16: the partners signed up to it.",
    )

    class Meta:
        model = Partner
        fields = ["kind", "indicator"]


class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Partner organisations, partnerships and sectors, with their members and every target they signed up
    to, by name. Public."""

    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    lookup_field = "slug"
    queryset = Partner.objects.prefetch_related(
        Prefetch("memberships", queryset=PartnerMembership.objects.select_related("member").order_by("order")),
        Prefetch(
            "sign_ups",
            queryset=SignUp.objects.select_related("plan_indicator__plan", "plan_indicator__indicator").order_by(
                "plan_indicator__plan__order", "plan_indicator__order", "order"
            ),
        ),
    ).order_by("name", "slug")


class GlossaryTermSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(
        source="partner_slug", allow_null=True, help_text="The slug of the partner the term names, if it names one."
    )
    partner_name = serializers.CharField(allow_null=True, help_text="That partner's name.")

    class Meta:
        model = GlossaryTerm
        fields = ["id", "term", "expansion", "partner", "partner_name"]


class GlossaryTermFilter(filters.FilterSet):
    term = filters.CharFilter(lookup_expr="iexact", help_text='A term as printed, e.g. "CYPSB" (any case).')

    class Meta:
        model = GlossaryTerm
        fields = ["term"]


class GlossaryViewSet(viewsets.ReadOnlyModelViewSet):
    """The Local Area Agreement's glossary, every row as printed, in its order, each linked to the partner it
    names. Public."""

    permission_classes = [AllowAny]
    pagination_class = StandardPagination
    serializer_class = GlossaryTermSerializer
    filterset_class = GlossaryTermFilter
    queryset = GlossaryTerm.objects.with_partner().order_by("order", "term")
