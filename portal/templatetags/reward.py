"""The reward grant's amounts in words, through the portal's one number format (core.numbers)."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django import template

from core.numbers import format_figure
from indicators.reward import RewardRules

register = template.Library()


@register.filter
def of_pot(share: Decimal | None, rules: RewardRules) -> str:
    """A share of the pot in whole pounds when the pot is set ("£36,025"), else as a share ("2.57% of the
    pot"). Pounds are rounded for reading; the spreadsheet keeps the pence."""
    if share is None:
        return "–"
    pounds = rules.amount(share)
    if pounds is not None:
        return format_figure(pounds.quantize(Decimal(1), rounding=ROUND_HALF_UP), "currency")
    return f"{format_figure((share * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP), 'percentage')} of the pot"


@register.filter
def achieved(proportion: Decimal | None) -> str:
    """The proportion of a targeted improvement achieved, as a whole percentage ("72%"), cut rather than
    rounded: 59.6% is "59%", since it earns nothing under a 60% threshold and must not read as 60%."""
    if proportion is None:
        return "–"
    return format_figure((proportion * 100).quantize(Decimal(1), rounding=ROUND_DOWN), "percentage")
