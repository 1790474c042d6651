"""An indicator's status as the open-data API writes it beside the indicator (the indicator list, a
department's key measures, a service's key measures): the pages' own judgement of its latest approved
figure, from `indicators.performance.judge_indicators` (no rule restated here)."""

from rest_framework import serializers

from indicators.models import Indicator
from indicators.performance import DIRECTION, IndicatorStatus, judge_indicators
from portal.figures_api import DIRECTION_CHOICES, STATUS_CHOICES


def judge(indicators: list[Indicator]) -> dict[int, IndicatorStatus]:
    """The latest approved figure of each indicator judged, with its direction of travel: five queries
    (judge_indicators), however many indicators. Approved figures only, whoever asks."""
    return judge_indicators(indicators, history=DIRECTION)


def judge_links(links: list) -> None:
    """Set `judged` on each link to an indicator (a plan's measure: anything with `indicator`), judging
    each indicator once: five queries for them all."""
    indicators = list({link.indicator_id: link.indicator for link in links}.values())
    statuses = judge(indicators)
    for link in links:
        link.judged = statuses[link.indicator_id]


class StatusSerializer(serializers.Serializer):
    """An IndicatorStatus, as the public sees it."""

    status = serializers.ChoiceField(
        source="rag", choices=STATUS_CHOICES, help_text="The latest approved figure judged against its target."
    )
    status_label = serializers.CharField(source="rag.label", help_text='The status in words, e.g. "On track".')
    period = serializers.CharField(
        source="latest_period.label",
        allow_null=True,
        default=None,
        help_text='The period of the latest approved figure, e.g. "2010/11 Q2"; null when none is published.',
    )
    figure = serializers.CharField(
        source="figure_text",
        help_text='The latest approved figure(s) for people, e.g. "42.5%"; empty when none is published. '
        "The numbers are at /api/v1/figures/.",
    )
    direction = serializers.ChoiceField(
        source="since_last", choices=DIRECTION_CHOICES, help_text="Against the previous figure."
    )
    direction_since_last_year = serializers.ChoiceField(
        source="since_last_year", choices=DIRECTION_CHOICES, help_text="Against the same period a year before."
    )
    is_demonstration = serializers.BooleanField(
        help_text="True when the figures judged include invented demonstration figures."
    )
