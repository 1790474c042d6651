"""What a figure may be, given its indicator's unit: the one home of that rule, for returns entered by
officers (returns/rules.py) and targets imported by administrators (indicators/resources.py) alike."""

from decimal import Decimal

NON_NEGATIVE = ("rate", "days", "tonnes", "currency", "score", "level")


def check_value(value: Decimal, *, unit: str, label: str) -> str | None:
    """Why `value` cannot be a figure in `unit` (a percentage 0-100, a count a whole number of 0 or more,
    a rate, duration, amount or score not negative), or None if it can."""
    if unit == "percentage" and not Decimal(0) <= value <= Decimal(100):
        return f"{label} must be a percentage between 0 and 100"
    if unit == "count" and (value < 0 or value != value.to_integral_value()):
        return f"{label} must be a whole number, 0 or more"
    if unit in NON_NEGATIVE and value < 0:
        return f"{label} cannot be negative"
    return None


def limits(unit: str) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest a figure in `unit` can be (None: no limit), for carrying a trend forward
    (indicators.forecast): a count or a rate not below nought, a percentage within 0-100."""
    if unit == "percentage":
        return Decimal(0), Decimal(100)
    if unit == "count" or unit in NON_NEGATIVE:
        return Decimal(0), None
    return None, None
