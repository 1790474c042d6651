"""Pieces shared by every app's part of the open-data API."""

from decimal import Decimal

from rest_framework.pagination import PageNumberPagination

from core.numbers import plain_decimal


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def number(value: Decimal | None) -> Decimal | None:
    """A stored decimal as the API writes it; JSON renders it as a number (0.7, not "0.7000")."""
    return plain_decimal(value)
