from decimal import Decimal, InvalidOperation


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """A stored decimal without the storage's trailing zeros: 0.7000 -> 0.7, 1500.0000 -> 1500."""
    if value is None:
        return None
    normalised = value.normalize()
    # normalize() writes 1500 as 1.5E+3; quantize back to an exponent of 0 for whole numbers.
    return normalised.quantize(Decimal(1)) if normalised == normalised.to_integral_value() else normalised


MAX_FIGURE = Decimal("1e12")


def parse_number(text) -> Decimal:
    """A figure as typed: digits with an optional sign and decimal point; thousands separators and
    spaces are ignored. NaN, infinities and absurdly large numbers are refused (ValueError)."""
    cleaned = str(text).replace(",", "").replace(" ", "").strip()
    try:
        number = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        raise ValueError(f"{text!r} is not a number") from None
    if not number.is_finite() or number.adjusted() >= MAX_FIGURE.adjusted():
        raise ValueError(f"{text!r} is not a number this portal can hold")
    return number
