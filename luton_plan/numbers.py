from decimal import Decimal


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """A stored decimal without the storage's trailing zeros: 0.7000 -> 0.7, 1500.0000 -> 1500."""
    if value is None:
        return None
    normalised = value.normalize()
    # normalize() writes 1500 as 1.5E+3; quantize back to an exponent of 0 for whole numbers.
    return normalised.quantize(Decimal(1)) if normalised == normalised.to_integral_value() else normalised
