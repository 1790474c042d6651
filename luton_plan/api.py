"""Pieces shared by every app's part of the open-data API."""

from decimal import Decimal

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def number(value: Decimal | None) -> Decimal | None:
    """A stored decimal without the storage's trailing zeros (0.7000 -> 0.7); JSON renders it as a number."""
    if value is None:
        return None
    normalised = value.normalize()
    # normalize() writes 1500 as 1.5E+3; quantize back to an exponent of 0 for whole numbers.
    return normalised.quantize(Decimal(1)) if normalised == normalised.to_integral_value() else normalised
