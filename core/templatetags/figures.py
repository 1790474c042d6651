"""Figures in templates, through the portal's one number format (core/numbers.py)."""

from decimal import Decimal

from django import template

from core import numbers

register = template.Library()


@register.filter
def plain(number: Decimal | None) -> str:
    """Plain digits, for inputs and machine-readable text: 590, not 590.0000 or 5.9E+2."""
    return numbers.plain(number)


@register.filter
def figure(number: Decimal | None, unit: str = "") -> str:
    """A figure for people: {{ value|figure:indicator.unit }} gives "5,810", "42.5%", "£1,200"."""
    return numbers.format_figure(number, unit)


@register.filter
def figure_or_text(value: object, unit: str = "") -> object:
    """A number through the one number format (a changed target, a figure in an audit trail); anything
    else (words, a status) as it is."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return numbers.format_figure(value, unit)
    return value


@register.filter
def money(amount: Decimal | None, unit: str = "") -> str:
    """An amount with its decimal places and unit: {{ check.printed|money:table.unit }} gives "£480.08m"."""
    return "" if amount is None else numbers.format_money(amount, unit)


@register.filter
def printed_cell(text: object, unit: str = "") -> str:
    """A cell of a printed financial table: {{ cell|printed_cell:table.unit }} ("256.62", "£3m", "50%")."""
    return numbers.format_printed_cell(text, unit)
