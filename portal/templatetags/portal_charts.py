"""The portal's small charts in templates: `{{ rollup|status_bar }}`."""

from django import template
from django.utils.safestring import SafeString

from indicators import charts
from indicators.status import Rollup

register = template.Library()


@register.filter
def status_bar(rollup: Rollup) -> SafeString:
    """A roll-up's statuses as a small stacked bar (decorative: the counts in words stand beside it)."""
    return charts.status_bar(rollup)
