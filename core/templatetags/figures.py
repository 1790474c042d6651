from decimal import Decimal

from django import template

from core.numbers import plain_decimal

register = template.Library()


@register.filter
def plain(number: Decimal | None) -> str:
    """A stored figure as a person writes it: 590, not 590.0000 or 5.9E+2."""
    if number is None:
        return ""
    return f"{plain_decimal(Decimal(number)):f}"
