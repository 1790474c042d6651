"""Axis ranges and "nice" ticks: pure arithmetic, tested without a browser or a database."""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from core.numbers import plain_decimal

# Tick steps are 1, 2, 2.5 or 5 times a power of ten.
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_ticks(low: Decimal, high: Decimal, *, most: int = 6) -> list[Decimal]:
    """Evenly spaced ticks covering low..high, at most `most` of them, stepping by 1, 2, 2.5 or 5 × 10ⁿ:
    29.93..39.17 gives 27.5, 30, ..., 40, never 29.93, 34.55, 39.17."""
    low, high = Decimal(low), Decimal(high)
    if low > high:
        low, high = high, low
    if low == high:
        low, high = (low - 1, high + 1) if low == 0 else (low - abs(low) / 10, high + abs(high) / 10)
    span = high - low
    magnitude = Decimal(10) ** (span / (most - 1)).adjusted()
    for multiple in NICE_STEPS * 2:
        step = multiple * magnitude
        first = (low / step).to_integral_value(ROUND_FLOOR) * step
        last = (high / step).to_integral_value(ROUND_CEILING) * step
        count = int((last - first) / step) + 1
        if count <= most:
            return [plain_decimal(first + i * step) for i in range(count)]
        if multiple == NICE_STEPS[-1]:
            magnitude *= 10
    raise AssertionError("unreachable: a step of ten times the span always fits")  # pragma: no cover


def y_range(numbers: list[Decimal]) -> tuple[Decimal, Decimal]:
    """What the y axis must cover. Zero is kept in view when the figures sit closer to zero than they
    spread, so that a small change does not look like a collapse; otherwise the axis hugs the figures."""
    low, high = min(numbers), max(numbers)
    spread = high - low
    if low > 0 and low <= spread:
        low = Decimal(0)
    if high < 0 and -high <= spread:
        high = Decimal(0)
    # A little room beyond the figures, so that none sits on the axis (zero may: it is the floor).
    margin = (high - low) / 25
    return (low - margin if low else low), (high + margin if high else high)
